package io.wharf.registry;

import io.wharf.spec.Reference;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import java.io.IOException;

/** Records when each tag was pulled ({@link PullRecords}), which retention's {@code keepwithin} relies on. */
final class TagPullRecorder extends ForwardingManifestStore {
    private final PullRecords pulls;

    TagPullRecorder(ManifestStore inner, PullRecords pulls) {
        super(inner);
        this.pulls = pulls;
    }

    @Override
    public StoredManifest get(RepositoryName repo, Reference reference) throws IOException {
        StoredManifest found = inner.get(repo, reference);
        if (reference instanceof Tag tag) {
            pulls.pulled(repo, tag);
        }
        return found;
    }
}
