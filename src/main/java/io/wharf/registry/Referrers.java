package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.RepositoryName;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifests of a repository whose {@code subject} is a given digest (distribution-spec
 * "Listing Referrers"), kept as links under {@code _referrers/<subject>/<referrer>/link}.
 */
public final class Referrers {
    private final StorageDriver driver;
    private final Links links;

    Referrers(StorageDriver driver, Links links) {
        this.driver = driver;
        this.links = links;
    }

    void add(RepositoryName repo, Digest subject, Digest referrer) throws IOException {
        links.write(StorageLayout.referrerLink(repo, subject, referrer), referrer);
    }

    void remove(RepositoryName repo, Digest subject, Digest referrer) throws IOException {
        String link = StorageLayout.referrerLink(repo, subject, referrer);
        links.deleteIfPresent(link.substring(0, link.length() - "/link".length()));
    }

    /** Digests of the manifests that refer to the subject, in lexical order; empty when none. */
    public List<Digest> list(RepositoryName repo, Digest subject) throws IOException {
        List<Digest> out = new ArrayList<>();
        try {
            for (String algorithmDir : driver.list(StorageLayout.referrersDir(repo, subject))) {
                for (String entry : driver.list(algorithmDir)) {
                    links.read(entry + "/link").ifPresent(out::add);
                }
            }
        } catch (PathNotFoundException e) {
            return List.of();
        }
        out.sort(null);
        return out;
    }
}
