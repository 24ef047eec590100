package io.wharf.registry;

import io.wharf.spec.RepositoryName;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import io.wharf.storage.WalkVisitor;
import java.io.IOException;
import java.util.List;

/**
 * The four directories that make up one repository ({@code _layers}, {@code _manifests},
 * {@code _uploads}, {@code _referrers}); repositories nested below it are separate and untouched.
 */
final class RepositoryContents {
    private static final List<String> PARTS = List.of("_layers", "_manifests", "_uploads", "_referrers");

    private RepositoryContents() {
    }

    /** True when the repository has a {@code _layers} or {@code _manifests} directory (what the catalog lists). */
    static boolean exists(StorageDriver driver, RepositoryName repo) throws IOException {
        return isDirectory(driver, StorageLayout.layersDir(repo)) || isDirectory(driver, StorageLayout.manifestsDir(repo));
    }

    /** True when none of the repository's directories holds a file. */
    static boolean isEmpty(StorageDriver driver, RepositoryName repo) throws IOException {
        for (String part : PARTS) {
            boolean[] found = {false};
            try {
                driver.walk(StorageLayout.repository(repo) + "/" + part, info -> {
                    found[0] |= !info.directory();
                    return found[0] ? WalkVisitor.Next.STOP : WalkVisitor.Next.CONTINUE;
                });
            } catch (PathNotFoundException e) {
                continue;
            }
            if (found[0]) {
                return false;
            }
        }
        return true;
    }

    /** Deletes the repository's directories. Durable when it returns. */
    static void clear(StorageDriver driver, RepositoryName repo) throws IOException {
        for (String part : PARTS) {
            try {
                driver.delete(StorageLayout.repository(repo) + "/" + part);
            } catch (PathNotFoundException e) {
                // This part never existed.
            }
        }
    }

    private static boolean isDirectory(StorageDriver driver, String path) throws IOException {
        try {
            return driver.stat(path).directory();
        } catch (PathNotFoundException e) {
            return false;
        }
    }
}
