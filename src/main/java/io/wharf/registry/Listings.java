package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.RepositoryName;
import java.io.IOException;
import java.util.List;

/** What callers list: tags, the catalog, referrers (distribution-spec "Content discovery"). */
public interface Listings {
    /** The repository's tags in lexical order; empty when it has none. */
    List<String> tags(RepositoryName repo) throws IOException;

    /** Whether the repository exists (holds manifests or blobs, as the catalog counts it). */
    boolean exists(RepositoryName repo) throws IOException;

    /** Up to {@code limit} repository names after {@code last} (or from the start when null), in catalog order. */
    List<String> catalog(String last, int limit) throws IOException;

    /** Whether the catalog has names after {@code last}. */
    boolean catalogHasAfter(String last) throws IOException;

    /** The manifests in the repository whose subject is the digest, optionally of one artifact type. */
    List<Registry.ReferrerDescriptor> referrers(RepositoryName repo, Digest subject, String artifactType)
            throws IOException;
}
