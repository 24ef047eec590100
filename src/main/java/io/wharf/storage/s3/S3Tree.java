package io.wharf.storage.s3;

import io.wharf.storage.FileInfo;
import io.wharf.storage.InvalidPathException;
import io.wharf.storage.StoragePath;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The driver's directory tree over flat keys: a directory is a prefix that some key starts with. It answers what
 * is at a path, lists a directory's children, and refuses writes that would make a path both a file and a
 * directory. Methods throw the SDK's unchecked exceptions, as {@link S3Bucket}.
 */
final class S3Tree {
    /** How long an ancestor found not to be a file is trusted without asking S3 again. */
    static final java.time.Duration KNOWN_DIRECTORY_TTL = java.time.Duration.ofMinutes(1);
    private final S3Bucket bucket;
    private final S3Keys keys;
    /**
     * Ancestors recently found not to be files. A registry writes many files under the same few directories
     * ({@code .../repositories/<name>/_uploads}): without this every write would ask S3 about each of its ten or so
     * ancestors. A path this driver writes a file at is dropped from it at once; a file another process creates at
     * a cached ancestor (which the registry's layout never does) is noticed within the TTL.
     */
    private final com.github.benmanes.caffeine.cache.Cache<String, Boolean> knownDirectories =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(100_000)
                    .expireAfterWrite(KNOWN_DIRECTORY_TTL).build();

    S3Tree(S3Bucket bucket, S3Keys keys) {
        this.bucket = bucket;
        this.keys = keys;
    }

    /**
     * The first object beneath the directory in key order, or empty when the path is no directory. Its time is
     * what {@code stat} reports for the directory: S3 keeps no times for prefixes.
     */
    Optional<S3Object> firstBeneath(String path) {
        return bucket.list(keys.dirPrefix(path), null, 1, null).contents().stream().findFirst();
    }

    /**
     * The direct children of a directory by name, in lexical order: files with their size and time, directories
     * with {@link Instant#EPOCH} (unknown). Names that are no valid path segment (objects written by other tools)
     * are left out, since no driver call could address them. Empty when the directory does not exist.
     */
    TreeMap<String, FileInfo> children(String path) {
        String prefix = keys.dirPrefix(path);
        TreeMap<String, FileInfo> children = new TreeMap<>();
        String token = null;
        ListObjectsV2Response page;
        do {
            page = bucket.list(prefix, "/", S3Bucket.PAGE, token);
            for (CommonPrefix p : page.commonPrefixes()) {
                String name = p.prefix().substring(prefix.length(), p.prefix().length() - 1);
                addIfValid(children, path, name, new FileInfo(StoragePath.child(path, name), 0, Instant.EPOCH, true));
            }
            for (S3Object o : page.contents()) {
                String name = o.key().substring(prefix.length());
                addIfValid(children, path, name, new FileInfo(StoragePath.child(path, name), o.size(),
                        o.lastModified(), false));
            }
            token = page.nextContinuationToken();
        } while (Boolean.TRUE.equals(page.isTruncated()));
        return children;
    }

    /** The object's entity tag as {@link FileInfo#etag} has it, or null when the listing gave none. */
    private static String etag(S3Object o) {
        String etag = o.eTag();
        return etag == null ? null : etag.replace("\"", "").toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Visits every object below the directory (the prefix {@code path + "/"}), a page of 1,000 keys per request.
     *
     * @return whether any key lies below it (valid or not), that is whether the directory exists
     */
    boolean eachFileBeneath(String path, io.wharf.storage.StorageDriver.FileVisitor visitor) throws IOException {
        String prefix = keys.dirPrefix(path);
        boolean any = false;
        String token = null;
        ListObjectsV2Response page;
        do {
            page = bucket.list(prefix, null, S3Bucket.PAGE, token);
            for (S3Object o : page.contents()) {
                any = true;
                String file = keys.path(o.key());
                if (isValidPath(file)) {
                    visitor.visit(new FileInfo(file, o.size(), o.lastModified(), false, etag(o)));
                }
            }
            token = page.nextContinuationToken();
        } while (Boolean.TRUE.equals(page.isTruncated()));
        return any;
    }

    private static boolean isValidPath(String path) {
        try {
            StoragePath.check(path);
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** Deletes the objects with exactly these keys, 1,000 per {@code DeleteObjects}; absent keys are no error. */
    void deleteKeys(List<String> objectKeys) throws IOException {
        for (int from = 0; from < objectKeys.size(); from += S3Bucket.PAGE) {
            deleteAll(objectKeys.subList(from, Math.min(objectKeys.size(), from + S3Bucket.PAGE)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList());
        }
    }

    /** A name that is both a file and a directory (possible only from other tools) is listed once, as the file. */
    private static void addIfValid(TreeMap<String, FileInfo> children, String dir, String name, FileInfo info) {
        if (isValidName(dir, name)) {
            children.merge(name, info, (a, b) -> a.directory() ? b : a);
        }
    }

    private static boolean isValidName(String dir, String name) {
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            return false;
        }
        try {
            StoragePath.check(StoragePath.child(dir, name));
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /**
     * Refuses a path that is the root, a directory, or beneath a file. The directory and every ancestor not
     * recently checked are asked about at once (one request each, in parallel), so the check costs one round trip
     * however deep the path. Two
     * writers racing to make a path a file and a directory may both pass: S3 has no transaction to prevent it.
     *
     * @throws InvalidPathException when a file may not be created at the path
     */
    void checkWritable(String path) throws IOException {
        if (path.equals("/")) {
            throw new InvalidPathException(path);
        }
        // The path is about to be a file: it is no longer known to be a directory.
        knownDirectories.invalidate(path);
        List<Callable<Boolean>> conflicts = new ArrayList<>();
        conflicts.add(() -> firstBeneath(path).isPresent());
        List<String> asked = new ArrayList<>();
        for (String dir = StoragePath.parent(path); !dir.equals("/"); dir = StoragePath.parent(dir)) {
            String ancestor = dir;
            if (knownDirectories.getIfPresent(ancestor) == null) {
                asked.add(ancestor);
                conflicts.add(() -> bucket.head(keys.key(ancestor)).isPresent());
            }
        }
        if (anyTrue(conflicts, path)) {
            throw new InvalidPathException(path);
        }
        asked.forEach(dir -> knownDirectories.put(dir, Boolean.TRUE));
    }

    private static boolean anyTrue(List<Callable<Boolean>> checks, String path) throws IOException {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            boolean any = false;
            for (Future<Boolean> f : pool.invokeAll(checks)) {
                any |= f.get();
            }
            return any;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while checking " + path);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SdkException sdk) {
                throw sdk;
            }
            throw new IOException("checking " + path + " failed", e.getCause());
        }
    }

    /**
     * Deletes the object at the key and every object beneath {@code key + "/"}, a page (up to 1000 keys) per
     * {@code DeleteObjects} request.
     *
     * @return whether anything was there
     * @throws IOException when S3 refuses to delete some key
     */
    boolean deleteTree(String key) throws IOException {
        boolean found = bucket.head(key).isPresent();
        if (found) {
            bucket.delete(key);
        }
        String token = null;
        ListObjectsV2Response page;
        do {
            page = bucket.list(key + "/", null, S3Bucket.PAGE, token);
            if (!page.contents().isEmpty()) {
                found = true;
                deleteAll(page.contents().stream().map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList());
            }
            token = page.nextContinuationToken();
        } while (Boolean.TRUE.equals(page.isTruncated()));
        return found;
    }

    private void deleteAll(List<ObjectIdentifier> ids) throws IOException {
        DeleteObjectsResponse response = bucket.s3.deleteObjects(b -> b.bucket(bucket.name)
                .delete(d -> d.objects(ids).quiet(true)));
        if (!response.errors().isEmpty()) {
            var first = response.errors().get(0);
            throw new IOException("S3 refused to delete " + response.errors().size() + " of " + ids.size()
                    + " objects, e.g. " + first.key() + ": " + first.code() + " " + first.message());
        }
    }
}
