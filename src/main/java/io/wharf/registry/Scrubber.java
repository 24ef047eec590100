package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import io.wharf.storage.FileInfo;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import io.wharf.storage.WalkVisitor;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies a store: re-hashes every blob and compares it with its digest, and reports links that
 * point at nothing. With {@code quarantine}, a corrupt blob is moved to
 * {@link StorageLayout#quarantine} so that it is no longer served (clients then get
 * {@code BLOB_UNKNOWN} and can push it again). Otherwise only reads.
 */
public final class Scrubber {
    /**
     * What scrubbing found.
     *
     * @param blobsChecked blobs re-hashed
     * @param bytesChecked their total size
     * @param corrupt blobs whose content does not match their digest
     * @param quarantined the corrupt blobs moved away
     * @param danglingLinks repository links (blob links, revisions, tags) to content that does not exist
     * @param missingBlobs manifests referring to blobs or children the store does not hold
     */
    public record Report(int blobsChecked, long bytesChecked, List<String> corrupt, List<String> quarantined,
            List<String> danglingLinks, List<String> missingBlobs) {
        /** True when nothing is wrong. */
        public boolean clean() {
            return corrupt.isEmpty() && danglingLinks.isEmpty() && missingBlobs.isEmpty();
        }
    }

    private static final int BUFFER = 256 * 1024;

    private final Registry registry;
    private final StorageDriver driver;

    public Scrubber(Registry registry) {
        this.registry = registry;
        this.driver = registry.driver();
    }

    /** Scrubs the whole store. */
    public Report scrub(boolean quarantine) throws IOException {
        List<String> corrupt = new ArrayList<>();
        List<String> quarantined = new ArrayList<>();
        long[] totals = {0, 0};
        List<FileInfo> blobs = new ArrayList<>();
        try {
            driver.walk(StorageLayout.BLOBS, info -> {
                if (!info.directory() && StorageLayout.blobDigestOf(info.path()) != null) {
                    blobs.add(info);
                }
                return WalkVisitor.Next.CONTINUE;
            });
        } catch (PathNotFoundException e) {
            // An empty store.
        }
        for (FileInfo info : blobs) {
            Digest d = StorageLayout.blobDigestOf(info.path());
            totals[0]++;
            totals[1] += info.size();
            if (!matches(d)) {
                corrupt.add(d.toString());
                if (quarantine) {
                    driver.move(StorageLayout.blobData(d), StorageLayout.quarantine(d));
                    try {
                        driver.delete(StorageLayout.blobDir(d));
                    } catch (PathNotFoundException e) {
                        // The driver dropped the emptied directory itself.
                    }
                    registry.blobs().forget(d);
                    quarantined.add(d.toString());
                }
            }
        }
        List<String> dangling = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (RepositoryName repo : registry.repositories().scanStorage()) {
            checkRepository(repo, dangling, missing);
        }
        return new Report((int) totals[0], totals[1], corrupt, quarantined, dangling, missing);
    }

    private boolean matches(Digest d) throws IOException {
        MessageDigest hasher = d.algorithm().newHasher();
        try (InputStream in = driver.reader(StorageLayout.blobData(d), 0)) {
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = in.read(buf)) > 0) {
                hasher.update(buf, 0, n);
            }
        }
        return Digest.of(d.algorithm(), hasher.digest()).equals(d);
    }

    private void checkRepository(RepositoryName repo, List<String> dangling, List<String> missing) throws IOException {
        ManifestReferences references = new ManifestReferences(driver, registry.parser());
        for (Digest d : DigestDirectories.list(driver, StorageLayout.layersDir(repo))) {
            // A directory without its link file (what a delete through Distribution leaves) links nothing.
            if (isLink(StorageLayout.layerLink(repo, d)) && !exists(d)) {
                dangling.add(repo + " _layers " + d);
            }
        }
        for (Digest d : DigestDirectories.list(driver, StorageLayout.revisionsDir(repo))) {
            if (!isLink(StorageLayout.revisionLink(repo, d))) {
                continue;
            }
            var refs = references.of(d);
            if (refs.isEmpty()) {
                dangling.add(repo + " revision " + d + " (manifest content missing)");
                continue;
            }
            for (Digest ref : refs.get().blobs()) {
                if (!exists(ref)) {
                    missing.add(repo + "@" + d + " refers to missing blob " + ref);
                }
            }
            for (Digest child : refs.get().children()) {
                if (!exists(child)) {
                    missing.add(repo + "@" + d + " refers to missing manifest " + child);
                }
            }
        }
        for (String name : registry.tags().list(repo)) {
            var target = registry.tags().current(repo, new Tag(name));
            if (target.isPresent() && !exists(target.get())) {
                dangling.add(repo + ":" + name + " -> " + target.get() + " (manifest content missing)");
            }
        }
    }

    private boolean isLink(String path) throws IOException {
        try {
            return !driver.stat(path).directory();
        } catch (io.wharf.storage.PathNotFoundException e) {
            return false;
        }
    }

    private boolean exists(Digest d) throws IOException {
        registry.blobs().forget(d);
        return registry.blobs().size(d).isPresent();
    }
}
