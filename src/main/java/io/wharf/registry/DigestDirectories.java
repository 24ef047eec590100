package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the {@code <dir>/<alg>/<hex>} directories Distribution uses for revisions and blob links. */
final class DigestDirectories {
    private DigestDirectories() {
    }

    /** The digests named below {@code dir}; empty when it is absent. Malformed names are skipped. */
    static List<Digest> list(StorageDriver driver, String dir) throws IOException {
        List<Digest> out = new ArrayList<>();
        List<String> algorithms;
        try {
            algorithms = driver.list(dir);
        } catch (PathNotFoundException e) {
            return out;
        }
        for (String algPath : algorithms) {
            String alg = algPath.substring(algPath.lastIndexOf('/') + 1);
            List<String> hexes;
            try {
                hexes = driver.list(algPath);
            } catch (PathNotFoundException e) {
                continue;
            }
            for (String hexPath : hexes) {
                Digest d = StorageLayout.digestOfDir(alg, hexPath.substring(hexPath.lastIndexOf('/') + 1));
                if (d != null) {
                    out.add(d);
                }
            }
        }
        return out;
    }
}
