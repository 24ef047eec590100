package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import io.wharf.storage.FileInfo;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the collector needs to know of one repository's links, read with one {@link StorageDriver#walkFiles} of its
 * {@code _manifests} and one of its {@code _layers}: on an object store a page of 1,000 links per request, where
 * listing each revision's directory and asking for its link's time took two requests per revision.
 *
 * @param revisions revision digests with the modification time of their link (directories without a link are no
 *     revisions, as in Distribution)
 * @param tags the tags that have a current link, in lexical order
 * @param layerLinks the blobs the repository links in {@code _layers}
 * @param tagEtags the current links' entity tags as listed, for the tags whose listing had one
 */
record RepositoryScan(Map<Digest, Instant> revisions, List<Tag> tags, List<Digest> layerLinks,
        Map<Tag, String> tagEtags) {

    /** Reads the repository's links; a repository without them gives an empty scan. */
    static RepositoryScan of(StorageDriver driver, RepositoryName repo) throws IOException {
        Map<Digest, Instant> revisions = new HashMap<>();
        List<Tag> tags = new ArrayList<>();
        Map<Tag, String> etags = new HashMap<>();
        String manifests = StorageLayout.manifestsDir(repo) + "/";
        each(driver, StorageLayout.manifestsDir(repo), file -> {
            String[] parts = file.path().substring(manifests.length()).split("/");
            if (parts.length == 4 && parts[0].equals("revisions") && parts[3].equals("link")) {
                Digest d = StorageLayout.digestOfDir(parts[1], parts[2]);
                if (d != null) {
                    revisions.put(d, file.modified());
                }
            } else if (parts.length == 4 && parts[0].equals("tags") && parts[2].equals("current")
                    && parts[3].equals("link") && Tag.isValid(parts[1])) {
                Tag tag = new Tag(parts[1]);
                tags.add(tag);
                if (file.etag() != null) {
                    etags.put(tag, file.etag());
                }
            }
        });
        List<Digest> layers = new ArrayList<>();
        String layersDir = StorageLayout.layersDir(repo) + "/";
        each(driver, StorageLayout.layersDir(repo), file -> {
            String[] parts = file.path().substring(layersDir.length()).split("/");
            Digest d = parts.length == 3 && parts[2].equals("link") ? StorageLayout.digestOfDir(parts[0], parts[1]) : null;
            if (d != null) {
                layers.add(d);
            }
        });
        tags.sort(java.util.Comparator.comparing(Tag::value));
        return new RepositoryScan(revisions, tags, layers, etags);
    }

    /** One file of the scan. */
    @FunctionalInterface
    private interface Each {
        void file(FileInfo file);
    }

    private static void each(StorageDriver driver, String dir, Each each) throws IOException {
        try {
            driver.walkFiles(dir, each::file);
        } catch (PathNotFoundException e) {
            // The repository has no such directory: nothing to read.
        }
    }
}
