package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.storage.FileInfo;
import io.wharf.storage.FileWriter;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import io.wharf.storage.WalkVisitor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Copies a registry's content from one storage to another in Distribution's layout, consistently while the source
 * serves pushes: blobs first, then the repositories' links, then any blob a link copied in the meantime names.
 * Every blob is hashed while it is copied and moved to its content address only when its digest matches, so an
 * interrupted or damaged copy never leaves a wrong blob at an address. Incremental: a blob already at the
 * destination with the same size is not copied again (content-addressed: the same path holds the same bytes).
 *
 * <p>With {@code prune}, link files the source no longer has are removed from the destination (a backup mirrors
 * deleted tags); without it the copy only adds (a restore into a registry that already has content). Uploads in
 * progress and Wharf's own records ({@code _wharf}) are not copied.
 */
public final class StorageCopy {
    private static final int BUFFER = 1 << 20;

    /** What one copy did. */
    public record Result(long blobsCopied, long bytesCopied, long blobsAlreadyThere, long linksWritten,
            long linksRemoved, List<String> problems) {
    }

    private final StorageDriver from;
    private final StorageDriver to;

    public StorageCopy(StorageDriver from, StorageDriver to) {
        this.from = from;
        this.to = to;
    }

    /** Runs the copy. */
    public Result run(boolean prune) throws IOException {
        Counts counts = new Counts();
        for (String data : files(from, StorageLayout.BLOBS)) {
            Digest digest = StorageLayout.blobDigestOf(data);
            if (digest != null) {
                copyBlob(digest, counts);
            }
        }
        Set<String> linkPaths = new LinkedHashSet<>();
        Set<Digest> linked = new HashSet<>();
        for (String path : files(from, StorageLayout.REPOSITORIES)) {
            if (path.contains("/_uploads/")) {
                continue;
            }
            byte[] content;
            try {
                content = from.getContent(path);
            } catch (PathNotFoundException deletedMeanwhile) {
                continue;
            }
            linkPaths.add(path);
            Digest target = linkTarget(content);
            if (target != null) {
                linked.add(target);
            }
            if (!sameContent(path, content)) {
                to.putContent(path, content);
                counts.linksWritten++;
            }
        }
        // Pushed while the blobs were being copied: their links are copied now, so their blobs must be too.
        for (Digest d : linked) {
            if (size(to, StorageLayout.blobData(d)) < 0) {
                if (size(from, StorageLayout.blobData(d)) < 0) {
                    counts.problems.add("link to " + d + " but the source has no such blob");
                } else {
                    copyBlob(d, counts);
                }
            }
        }
        if (prune) {
            prune(linkPaths, counts);
        }
        return new Result(counts.blobsCopied, counts.bytesCopied, counts.blobsThere, counts.linksWritten,
                counts.linksRemoved, List.copyOf(counts.problems));
    }

    /**
     * Removes from the destination's repositories every file the source did not have, and every directory left
     * without files (a deleted tag leaves its directory, which would still list the tag).
     */
    private void prune(Set<String> keep, Counts counts) throws IOException {
        Set<String> keptDirs = new HashSet<>();
        for (String path : keep) {
            for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
                if (!keptDirs.add(path.substring(0, slash))) {
                    break;
                }
            }
        }
        List<String> doomed = new ArrayList<>();
        try {
            to.walk(StorageLayout.REPOSITORIES, info -> {
                if (info.path().endsWith("/_uploads")) {
                    return WalkVisitor.Next.SKIP_SUBTREE;
                }
                if (info.directory() ? !keptDirs.contains(info.path()) : !keep.contains(info.path())) {
                    doomed.add(info.path());
                    return WalkVisitor.Next.SKIP_SUBTREE;
                }
                return WalkVisitor.Next.CONTINUE;
            });
        } catch (PathNotFoundException empty) {
            return;
        }
        for (String path : doomed) {
            to.delete(path);
            counts.linksRemoved++;
        }
    }

    private static final class Counts {
        long blobsCopied;
        long bytesCopied;
        long blobsThere;
        long linksWritten;
        long linksRemoved;
        final List<String> problems = new ArrayList<>();
    }

    private void copyBlob(Digest digest, Counts counts) throws IOException {
        String path = StorageLayout.blobData(digest);
        long size = size(from, path);
        if (size < 0) {
            return; // collected meanwhile: nothing references it any more
        }
        if (size(to, path) == size) {
            counts.blobsThere++;
            return;
        }
        String staging = StorageLayout.copyStaging(UUID.randomUUID().toString());
        MessageDigest hasher = digest.algorithm().newHasher();
        long copied = 0;
        try (InputStream in = from.reader(path, 0); FileWriter out = to.writer(staging, false)) {
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = in.read(buf)) > 0) {
                hasher.update(buf, 0, n);
                out.write(ByteBuffer.wrap(buf, 0, n));
                copied += n;
            }
            out.commit();
        } catch (PathNotFoundException collectedMeanwhile) {
            deleteQuietly(staging);
            return;
        }
        if (!Digest.of(digest.algorithm(), hasher.digest()).equals(digest)) {
            deleteQuietly(staging);
            counts.problems.add("blob " + digest + " in the source does not match its digest; not copied");
            return;
        }
        to.move(staging, path);
        counts.blobsCopied++;
        counts.bytesCopied += copied;
    }

    private boolean sameContent(String path, byte[] content) throws IOException {
        try {
            return java.util.Arrays.equals(to.getContent(path), content);
        } catch (PathNotFoundException e) {
            return false;
        }
    }

    /** The digest a link file names, or {@code null} for a file that is not a link. */
    private static Digest linkTarget(byte[] content) {
        if (content.length > 200) {
            return null;
        }
        try {
            return Digest.parse(new String(content, StandardCharsets.UTF_8).trim());
        } catch (RuntimeException notALink) {
            return null;
        }
    }

    private static long size(StorageDriver driver, String path) throws IOException {
        try {
            FileInfo info = driver.stat(path);
            return info.directory() ? -1 : info.size();
        } catch (PathNotFoundException e) {
            return -1;
        }
    }

    private void deleteQuietly(String path) {
        try {
            to.delete(path);
        } catch (IOException ignored) {
            // A staging file left behind holds no content address; the next copy writes a new one.
        }
    }

    /** Every file under {@code root}, in walk order; empty when the root does not exist. */
    private static List<String> files(StorageDriver driver, String root) throws IOException {
        List<String> out = new ArrayList<>();
        try {
            driver.walk(root, info -> {
                if (!info.directory()) {
                    out.add(info.path());
                }
                return WalkVisitor.Next.CONTINUE;
            });
        } catch (PathNotFoundException empty) {
            return out;
        }
        return out;
    }
}
