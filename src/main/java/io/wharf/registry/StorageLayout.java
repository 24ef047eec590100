package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;

/**
 * Every storage path the registry uses, in one place. It is CNCF Distribution's layout
 * ({@code registry/storage/paths.go}), so a data directory is shared with Distribution 2.x and 3.x:
 *
 * <pre>
 * /docker/registry/v2/
 *   blobs/&lt;alg&gt;/&lt;hex[0:2]&gt;/&lt;hex&gt;/data                 content, addressed by digest
 *   repositories/&lt;name&gt;/
 *     _layers/&lt;alg&gt;/&lt;hex&gt;/link                        blob linked into the repository
 *     _manifests/revisions/&lt;alg&gt;/&lt;hex&gt;/link            manifest present in the repository
 *     _manifests/tags/&lt;tag&gt;/current/link                  digest the tag points to
 *     _manifests/tags/&lt;tag&gt;/index/&lt;alg&gt;/&lt;hex&gt;/link    every digest the tag has pointed to
 *     _uploads/&lt;uuid&gt;/data                              upload in progress
 *     _uploads/&lt;uuid&gt;/startedat                         RFC 3339 start time
 *     _referrers/&lt;alg&gt;/&lt;hex&gt;/&lt;alg&gt;/&lt;hex&gt;/link          Wharf only: manifest whose subject is the first digest
 * </pre>
 *
 * A link file holds the digest as text ({@code sha256:...}). Distribution skips directories whose
 * name starts with an underscore that it does not know, so {@code _referrers} does not disturb it.
 */
public final class StorageLayout {
    /** Root of all registry data inside the driver. */
    public static final String ROOT = "/docker/registry/v2";
    public static final String BLOBS = ROOT + "/blobs";
    public static final String REPOSITORIES = ROOT + "/repositories";

    private StorageLayout() {
    }

    /** Directory of one blob. */
    public static String blobDir(Digest d) {
        return BLOBS + "/" + d.algorithm().id() + "/" + d.hex().substring(0, 2) + "/" + d.hex();
    }

    /** The content of one blob. */
    public static String blobData(Digest d) {
        return blobDir(d) + "/data";
    }

    /** Directory of one repository. */
    public static String repository(RepositoryName name) {
        return REPOSITORIES + "/" + name.value();
    }

    /** Directory of the blob links of a repository. */
    public static String layersDir(RepositoryName name) {
        return repository(name) + "/_layers";
    }

    /** Directory of a blob's link in a repository. */
    public static String layerLinkDir(RepositoryName name, Digest d) {
        return layersDir(name) + "/" + d.algorithm().id() + "/" + d.hex();
    }

    public static String layerLink(RepositoryName name, Digest d) {
        return layerLinkDir(name, d) + "/link";
    }

    public static String manifestsDir(RepositoryName name) {
        return repository(name) + "/_manifests";
    }

    /** Directory of a manifest revision's link. */
    public static String revisionDir(RepositoryName name, Digest d) {
        return manifestsDir(name) + "/revisions/" + d.algorithm().id() + "/" + d.hex();
    }

    public static String revisionLink(RepositoryName name, Digest d) {
        return revisionDir(name, d) + "/link";
    }

    /** Directory that holds one sub-directory per tag. */
    public static String tagsDir(RepositoryName name) {
        return manifestsDir(name) + "/tags";
    }

    public static String tagDir(RepositoryName name, Tag tag) {
        return tagsDir(name) + "/" + tag.value();
    }

    public static String tagCurrentLink(RepositoryName name, Tag tag) {
        return tagDir(name, tag) + "/current/link";
    }

    public static String tagIndexLink(RepositoryName name, Tag tag, Digest d) {
        return tagDir(name, tag) + "/index/" + d.algorithm().id() + "/" + d.hex() + "/link";
    }

    /** Directory of all uploads of a repository. */
    public static String uploadsDir(RepositoryName name) {
        return repository(name) + "/_uploads";
    }

    public static String uploadDir(RepositoryName name, String uploadId) {
        return uploadsDir(name) + "/" + uploadId;
    }

    public static String uploadData(RepositoryName name, String uploadId) {
        return uploadDir(name, uploadId) + "/data";
    }

    public static String uploadStartedAt(RepositoryName name, String uploadId) {
        return uploadDir(name, uploadId) + "/startedat";
    }

    /** Directory listing the manifests whose {@code subject} is the digest. */
    public static String referrersDir(RepositoryName name, Digest subject) {
        return repository(name) + "/_referrers/" + subject.algorithm().id() + "/" + subject.hex();
    }

    public static String referrerLink(RepositoryName name, Digest subject, Digest referrer) {
        return referrersDir(name, subject) + "/" + referrer.algorithm().id() + "/" + referrer.hex() + "/link";
    }
}
