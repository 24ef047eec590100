package io.wharf.storage.s3;

import io.wharf.storage.FileInfo;
import io.wharf.storage.FileWriter;
import io.wharf.storage.InvalidOffsetException;
import io.wharf.storage.InvalidPathException;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import io.wharf.storage.StoragePath;
import io.wharf.storage.WalkVisitor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Keeps files as objects in an S3 bucket (Distribution's {@code s3} driver, with its keys and layout): a file at
 * {@code /a/b} is the object {@code rootdirectory/a/b}, and directories are the prefixes of keys, so a directory
 * exists while a file lies beneath it. Data written by Distribution is read as it is, and the other way round.
 *
 * <p>Every change is one S3 request that S3 applies whole ({@code PutObject}, {@code CompleteMultipartUpload},
 * {@code CopyObject}), and S3 is strongly consistent, so a reader sees the old or the new file, and everything is
 * durable when the call returns. {@link #move} is a copy and a delete, as S3 has no rename: after a crash between
 * the two, the file exists at both paths. Before a write, the path is checked not to be a directory nor beneath a
 * file (one request per ancestor, in parallel); see {@link S3Tree#checkWritable}.
 *
 * <p>Writers stream through multipart uploads and hold one part in memory at most; see {@link S3Writer}. Reads
 * make an open append an ordinary object first; see {@link S3Reads}. Thread-safe.
 * {@link #close} closes the client.
 */
public final class S3Driver implements StorageDriver, AutoCloseable {
    private final S3Client s3;
    private final S3Presigner presigner;
    private final S3DriverOptions options;
    private final S3Keys keys;
    private final S3Bucket bucket;
    private final S3Tree tree;
    private final MultipartCopy copier;
    private final S3Uploads uploads;
    /** The heap the writers' part buffers may use. */
    private final PartMemory parts;
    private final S3Reads reads;

    /** A driver over the client and presigner, which it closes when it is closed. */
    public S3Driver(S3Client s3, S3Presigner presigner, S3DriverOptions options) {
        this.s3 = s3;
        this.presigner = presigner;
        this.options = options;
        this.keys = new S3Keys(options.rootDirectory());
        this.bucket = new S3Bucket(s3, options);
        this.tree = new S3Tree(bucket, keys);
        this.copier = new MultipartCopy(bucket, options.multipartCopyChunkSize(),
                options.multipartCopyMaxConcurrency());
        this.uploads = new S3Uploads(bucket, copier);
        this.parts = PartMemory.forHeap((int) options.chunkSize());
        this.reads = new S3Reads(s3, bucket, uploads);
    }

    /** A driver with its own client for the connection. */
    public static S3Driver connect(S3Connection connection, S3DriverOptions options) {
        return new S3Driver(connection.client(), connection.presigner(), options);
    }

    @Override
    public String name() {
        return "s3";
    }

    /** The key of a path that is not the root, or {@link PathNotFoundException} for the root (never a file). */
    private String fileKey(String path) throws IOException {
        if (StoragePath.check(path).equals("/")) {
            throw new PathNotFoundException(path);
        }
        return keys.key(path);
    }

    @Override
    public byte[] getContent(String path) throws IOException {
        return reads.content(path, fileKey(path));
    }

    /** The content is sent from the caller's array, not a copy: it must not change until this returns. */
    @Override
    public void putContent(String path, byte[] content) throws IOException {
        StoragePath.check(path);
        S3Calls.call(path, () -> {
            tree.checkWritable(path);
            bucket.put(keys.key(path), content, content.length);
            return null;
        });
    }

    @Override
    public InputStream reader(String path, long offset) throws IOException {
        String key = fileKey(path);
        if (offset < 0) {
            throw new InvalidOffsetException(path);
        }
        return reads.stream(path, key, offset);
    }

    @Override
    public FileWriter writer(String path, boolean append) throws IOException {
        StoragePath.check(path);
        return S3Calls.call(path, () -> {
            tree.checkWritable(path);
            String key = keys.key(path);
            if (!append) {
                return S3Writer.replacing(bucket, copier, path, key, parts);
            }
            Optional<HeadObjectResponse> stored = bucket.head(key);
            if (stored.isPresent()) {
                long storedSize = stored.get().contentLength();
                Optional<OpenAppend> open = OpenAppend.of(stored.get().metadata());
                return open.isPresent()
                        ? S3Writer.continuing(bucket, copier, path, key, parts, open.get(), storedSize)
                        : S3Writer.appending(bucket, copier, path, key, parts, storedSize);
            }
            Optional<S3Writer> resumed = uploads.resume(path, key, parts);
            return resumed.isPresent() ? resumed.get() : S3Writer.appending(bucket, copier, path, key, parts, -1);
        });
    }

    @Override
    public FileInfo stat(String path) throws IOException {
        if (StoragePath.check(path).equals("/")) {
            return new FileInfo(path, 0, java.time.Instant.EPOCH, true);
        }
        return S3Calls.call(path, () -> {
            Optional<HeadObjectResponse> head = bucket.head(keys.key(path));
            if (head.isPresent()) {
                long stored = head.get().contentLength();
                long size = OpenAppend.of(head.get().metadata()).map(open -> open.fileSize(stored)).orElse(stored);
                return new FileInfo(path, size, head.get().lastModified(), false);
            }
            return tree.firstBeneath(path).map(o -> new FileInfo(path, 0, o.lastModified(), true))
                    .orElseThrow(() -> new PathNotFoundException(path));
        });
    }

    @Override
    public List<String> list(String path) throws IOException {
        StoragePath.check(path);
        var children = S3Calls.call(path, () -> tree.children(path));
        if (children.isEmpty() && !path.equals("/") && S3Calls.call(path, () -> tree.firstBeneath(path)).isEmpty()) {
            throw new PathNotFoundException(path);
        }
        List<String> paths = new ArrayList<>(children.size());
        children.values().forEach(info -> paths.add(info.path()));
        return paths;
    }

    @Override
    public void move(String sourcePath, String destPath) throws IOException {
        String source = fileKey(sourcePath);
        StoragePath.check(destPath);
        if (sourcePath.equals(destPath)) {
            reads.head(sourcePath, source); // the contract: a missing file fails even when nothing moves
            return;
        }
        long size = reads.ordinaryHead(sourcePath, source).contentLength();
        S3Calls.call(destPath, () -> {
            tree.checkWritable(destPath);
            String dest = keys.key(destPath);
            copy(source, dest, size);
            bucket.delete(source);
            return null;
        });
    }

    /** One {@code CopyObject} up to the threshold (and 5 GiB), else a multipart copy. */
    private void copy(String source, String dest, long size) throws IOException {
        if (size <= options.multipartCopyThresholdSize() && size <= S3DriverOptions.MAX_PART_SIZE) {
            bucket.copy(source, dest);
            return;
        }
        String uploadId = bucket.createUpload(dest);
        try {
            bucket.complete(dest, uploadId, copier.copy(source, dest, uploadId, size));
        } catch (IOException | SdkException e) {
            bucket.abort(dest, uploadId);
            throw e;
        }
    }

    @Override
    public void delete(String path) throws IOException {
        if (StoragePath.check(path).equals("/")) {
            throw new InvalidPathException(path);
        }
        String key = keys.key(path);
        boolean found = S3Calls.call(path, () -> tree.deleteTree(key));
        S3Calls.call(path, () -> {
            uploads.abortAt(key);
            return null;
        });
        if (!found) {
            throw new PathNotFoundException(path);
        }
    }

    /** One list request per directory, which also gives each file's size and time: no request per file. */
    @Override
    public void walk(String path, WalkVisitor visitor) throws IOException {
        if (stat(path).directory()) {
            walkChildren(path, visitor);
        }
    }

    private boolean walkChildren(String dir, WalkVisitor visitor) throws IOException {
        for (FileInfo child : S3Calls.call(dir, () -> tree.children(dir)).values()) {
            WalkVisitor.Next next = visitor.visit(child);
            if (next == WalkVisitor.Next.STOP) {
                return false;
            }
            if (child.directory() && next == WalkVisitor.Next.CONTINUE && !walkChildren(child.path(), visitor)) {
                return false;
            }
        }
        return true;
    }

    /**
     * One {@code ListObjectsV2} without a delimiter per 1,000 keys below the path, each giving the object's size
     * and time: no request per directory or per file. Keys that are no valid driver path are left out.
     */
    @Override
    public void walkFiles(String path, FileVisitor visitor) throws IOException {
        StoragePath.check(path);
        if (!tree.eachFileBeneath(path, visitor) && !path.equals("/")
                && S3Calls.call(path, () -> bucket.head(keys.key(path))).isEmpty()) {
            throw new PathNotFoundException(path);
        }
    }

    /**
     * One {@code DeleteObjects} per 1,000 paths. A key that is no object (missing, or a directory's prefix) is
     * skipped by S3 itself. Unlike {@link #delete}, it aborts no multipart upload: files are written whole.
     */
    @Override
    public void deleteFiles(java.util.Collection<String> paths) throws IOException {
        List<String> objectKeys = new ArrayList<>(paths.size());
        for (String path : paths) {
            if (StoragePath.check(path).equals("/")) {
                throw new InvalidPathException(path);
            }
            objectKeys.add(keys.key(path));
        }
        if (objectKeys.isEmpty()) {
            return;
        }
        S3Calls.call(paths.iterator().next(), () -> {
            tree.deleteKeys(objectKeys);
            return null;
        });
    }

    /** A presigned {@code GET} URL for the object, signed with the driver's credentials; empty for a missing file. */
    @Override
    public Optional<URI> redirectUrl(String path, Duration validFor) throws IOException {
        if (StoragePath.check(path).equals("/")) {
            return Optional.empty();
        }
        String key = keys.key(path);
        if (S3Calls.call(path, () -> bucket.head(key)).isEmpty()) {
            return Optional.empty();
        }
        var presigned = S3Calls.call(path, () -> presigner.presignGetObject(b -> b.signatureDuration(validFor)
                .getObjectRequest(g -> g.bucket(bucket.name).key(key))));
        try {
            return Optional.of(presigned.url().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("presigned URL is not a URI: " + path, e);
        }
    }

    @Override
    public void close() {
        presigner.close();
        s3.close();
    }
}
