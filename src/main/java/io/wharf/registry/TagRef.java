package io.wharf.registry;

import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;

/**
 * One tag of one repository, as a key for {@link ActivityGuard} and {@link PullRecords}.
 *
 * @param repo the repository
 * @param tag the tag
 */
public record TagRef(RepositoryName repo, Tag tag) {
    @Override
    public String toString() {
        return repo + ":" + tag;
    }
}
