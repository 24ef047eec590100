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
 *   _wharf/                                         Wharf only; Distribution never looks here
 *     leases/&lt;server-id&gt;                               a live server writing this storage (JSON, expires; names its process)
 *     gc.lock                                         an offline garbage collection in progress (JSON, expires)
 *     gc/last.json                                    how the last online collection ended (JSON)
 *     gc/scheduled.json                               a one-off online collection planned for later (JSON)
 *     pulls/&lt;name&gt;/_tags/&lt;tag&gt;                         when the tag was last pulled (RFC 3339)
 *     quarantine/&lt;alg&gt;/&lt;hex&gt;/data                     blob whose content did not match its digest
 *     catalog/&lt;encoded name&gt;                          one per repository, for listing without walking
 *     catalog.built                                   the catalog entries were written for every repository
 * </pre>
 *
 * A link file holds the digest as text ({@code sha256:...}). Distribution skips directories whose
 * name starts with an underscore that it does not know, so {@code _referrers} does not disturb it,
 * and its garbage collector and catalog only walk {@code blobs} and {@code repositories}, so
 * {@code _wharf} does not either. Repository components never start with {@code _}, so
 * {@code pulls/<name>/_tags} cannot collide with a nested repository.
 */
public final class StorageLayout {
    /** Root of all registry data inside the driver. */
    public static final String ROOT = "/docker/registry/v2";
    public static final String BLOBS = ROOT + "/blobs";
    public static final String REPOSITORIES = ROOT + "/repositories";

    private StorageLayout() {
    }

    /**
     * Directory levels between {@link #BLOBS} and a blob's own directory: the algorithm, then the first two hex
     * digits of the digest ({@code blobs/sha256/ab/ab12.../data}). Listing this deep gives independent shards.
     */
    static final int BLOB_SHARD_LEVELS = 2;

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

    /** Directory of one repository's manifest revisions ({@code revisions/<alg>/<hex>}). */
    public static String revisionsDir(RepositoryName name) {
        return manifestsDir(name) + "/revisions";
    }

    /** Wharf's own records, beside {@code blobs} and {@code repositories}. */
    public static final String WHARF = ROOT + "/_wharf";
    public static final String LEASES = WHARF + "/leases";

    /** The lease of one live server. */
    public static String lease(String serverId) {
        return LEASES + "/" + serverId;
    }

    /** The lock an offline garbage collection holds while it runs. */
    public static String gcLock() {
        return WHARF + "/gc.lock";
    }

    /** The outcome of the last online garbage collection (JSON), shown by the UI. */
    public static String gcLast() {
        return WHARF + "/gc/last.json";
    }

    /** A one-off online garbage collection planned for later (JSON). */
    public static String gcPlanned() {
        return WHARF + "/gc/scheduled.json";
    }

    /** The lease a backup or restore holds on a storage while it copies; garbage collection waits for it. */
    public static String copyLock() {
        return WHARF + "/copy.lock";
    }

    /** Where a copied blob is written and verified before it is moved to its content address. */
    public static String copyStaging(String id) {
        return WHARF + "/staging/" + id;
    }

    /** When the tag was last pulled. */
    public static String pullRecord(RepositoryName name, Tag tag) {
        return pullRecords(name) + "/" + tag.value();
    }

    /** Directory of a repository's pull records (not those of repositories nested below it). */
    public static String pullRecords(RepositoryName name) {
        return WHARF + "/pulls/" + name.value() + "/_tags";
    }

    /** The catalog index: one entry per repository, so that listing them is one flat listing. */
    public static final String CATALOG = WHARF + "/catalog";

    /**
     * A repository's catalog entry. The name is its file name with each {@code /} written {@code ._.} (a sequence
     * no repository name contains); a name whose encoding would be too long for a file name is written as
     * {@code h.<sha256 of the name>}. The entry's content is always the name.
     */
    public static String catalogEntry(RepositoryName name) {
        String encoded = name.value().replace("/", "._.");
        if (encoded.length() > MAX_ENTRY) {
            encoded = HASHED_ENTRY + Digest.compute(Digest.Algorithm.SHA256,
                    name.value().getBytes(java.nio.charset.StandardCharsets.UTF_8)).hex();
        }
        return CATALOG + "/" + encoded;
    }

    /**
     * The repository a catalog entry's file name names; empty when the name is hashed (read the entry's content)
     * or is not an entry.
     */
    static java.util.Optional<String> catalogName(String fileName) {
        if (fileName.startsWith(HASHED_ENTRY) && fileName.length() == HASHED_ENTRY.length() + 64) {
            return java.util.Optional.empty();
        }
        String name = fileName.replace("._.", "/");
        return RepositoryName.isValid(name) ? java.util.Optional.of(name) : java.util.Optional.empty();
    }

    /** Whether a catalog entry's file name is a hashed one, whose content holds the name. */
    static boolean hashedCatalogEntry(String fileName) {
        return fileName.startsWith(HASHED_ENTRY) && fileName.length() == HASHED_ENTRY.length() + 64;
    }

    /** Present once an entry was written for every repository the layout held. */
    public static String catalogBuilt() {
        return WHARF + "/catalog.built";
    }

    private static final int MAX_ENTRY = 200;
    private static final String HASHED_ENTRY = "h.";

    /** Where a blob whose content does not match its digest is moved. */
    public static String quarantine(Digest d) {
        return WHARF + "/quarantine/" + d.algorithm().id() + "/" + d.hex() + "/data";
    }

    /**
     * The digest a blob data path names ({@code blobs/<alg>/<xx>/<hex>/data}), or {@code null} for any
     * other path.
     */
    static Digest blobDigestOf(String dataPath) {
        if (!dataPath.startsWith(BLOBS + "/") || !dataPath.endsWith("/data")) {
            return null;
        }
        String[] parts = dataPath.substring(BLOBS.length() + 1).split("/");
        if (parts.length != 4 || !parts[2].startsWith(parts[1])) {
            return null;
        }
        String text = parts[0] + ":" + parts[2];
        return Digest.isValid(text) ? Digest.parse(text) : null;
    }

    /** The digest of a tag's history entry, from the path of its link (as {@link #tagIndexLink}), or {@code null}. */
    static Digest tagIndexDigestOf(RepositoryName name, String linkPath) {
        String tags = tagsDir(name) + "/";
        if (!linkPath.startsWith(tags) || !linkPath.endsWith("/link")) {
            return null;
        }
        // <tag>/index/<alg>/<hex>/link
        String[] parts = linkPath.substring(tags.length()).split("/");
        if (parts.length != 5 || !parts[1].equals("index")) {
            return null;
        }
        return digestOfDir(parts[2], parts[3]);
    }

    /** The digest a {@code <dir>/<alg>/<hex>} directory path names, or {@code null}. */
    static Digest digestOfDir(String algDir, String hexDir) {
        String text = algDir + ":" + hexDir;
        return Digest.isValid(text) ? Digest.parse(text) : null;
    }
}
