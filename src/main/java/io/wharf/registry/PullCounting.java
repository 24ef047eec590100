package io.wharf.registry;

import io.wharf.spec.Reference;
import io.wharf.spec.RepositoryName;
import java.io.IOException;

/**
 * Counts manifest pulls per repository into {@link PullStatistics}: a pull is a successful manifest {@code GET} or
 * {@code HEAD} by tag or digest, as Docker Hub counts them. A decorator of {@link ManifestStore}, assembled with
 * {@link RegistryParts#decorateManifests}.
 */
public final class PullCounting extends ForwardingManifestStore {
    private final PullStatistics statistics;

    public PullCounting(ManifestStore inner, PullStatistics statistics) {
        super(inner);
        this.statistics = statistics;
    }

    @Override
    public StoredManifest get(RepositoryName repo, Reference reference) throws IOException {
        StoredManifest found = inner.get(repo, reference);
        statistics.pulled(repo);
        return found;
    }
}
