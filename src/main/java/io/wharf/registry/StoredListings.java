package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.RepositoryName;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@link Listings} answered from the storage layout and the in-memory repository index. */
final class StoredListings implements Listings {
    private final StorageDriver driver;
    private final Tags tags;
    private final RepositoryIndex index;
    private final Referrers referrers;
    private final Manifests manifests;

    StoredListings(StorageDriver driver, Tags tags, RepositoryIndex index, Referrers referrers, Manifests manifests) {
        this.driver = driver;
        this.tags = tags;
        this.index = index;
        this.referrers = referrers;
        this.manifests = manifests;
    }

    @Override
    public List<String> tags(RepositoryName repo) throws IOException {
        return tags.list(repo);
    }

    @Override
    public boolean exists(RepositoryName repo) throws IOException {
        return isDirectory(StorageLayout.manifestsDir(repo)) || isDirectory(StorageLayout.layersDir(repo));
    }

    private boolean isDirectory(String path) throws IOException {
        try {
            return driver.stat(path).directory();
        } catch (PathNotFoundException e) {
            return false;
        }
    }

    @Override
    public List<String> catalog(String last, int limit) throws IOException {
        return index.page(last, limit);
    }

    @Override
    public boolean catalogHasAfter(String last) throws IOException {
        return index.hasAfter(last);
    }

    @Override
    public List<Registry.ReferrerDescriptor> referrers(RepositoryName repo, Digest subject, String artifactType)
            throws IOException {
        List<Registry.ReferrerDescriptor> out = new ArrayList<>();
        for (Digest d : referrers.list(repo, subject)) {
            if (!manifests.hasRevision(repo, d)) {
                continue;
            }
            var stored = manifests.load(d);
            if (stored.isEmpty()) {
                continue;
            }
            var m = stored.get().manifest();
            if (artifactType == null || artifactType.equals(m.artifactType())) {
                out.add(new Registry.ReferrerDescriptor(m.mediaType().value(), d, stored.get().payload().length,
                        m.artifactType(), m.annotations()));
            }
        }
        return out;
    }
}
