package io.wharf.storage.s3;

import io.wharf.storage.FileWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * A streamed write to one key through a multipart upload. It holds one part in memory ({@code chunksize}); each full
 * part is uploaded as it fills. Commit or close makes the object: a single {@code PutObject} when no part was
 * uploaded, otherwise the last part and {@code CompleteMultipartUpload}. Either way the object appears whole or
 * not at all, so a reader never sees a partial write.
 *
 * <p>Appending to a stored object never sends its bytes again: an object of 5 MiB or more becomes the first parts
 * of the new upload by server-side copy ({@code UploadPartCopy}), done when the first part is uploaded; a smaller
 * one is read back into the part buffer (it is smaller than a part). An upload left in progress for the key by a
 * writer that never closed (another instance that crashed) is continued with its parts as they are.
 */
final class S3Writer implements FileWriter {
    private final S3Bucket bucket;
    private final MultipartCopy copier;
    private final String path;
    private final String key;
    private final PartBuffer buffer;
    private final List<CompletedPart> parts = new ArrayList<>();
    /** Whether the close must store an object even when nothing was written: there was none at open. */
    private final boolean create;
    private String uploadId;
    /** Bytes of the stored object still to be copied in as the first parts when the upload starts. */
    private long pendingCopy;
    private long size;
    private boolean written;
    private boolean closed;

    private S3Writer(S3Bucket bucket, MultipartCopy copier, String path, String key, int chunk, boolean create) {
        this.bucket = bucket;
        this.copier = copier;
        this.path = path;
        this.key = key;
        this.buffer = new PartBuffer(chunk);
        this.create = create;
    }

    /** A writer of a new object, replacing any at the key when it closes. */
    static S3Writer replacing(S3Bucket bucket, MultipartCopy copier, String path, String key, int chunk) {
        return new S3Writer(bucket, copier, path, key, chunk, true);
    }

    /** A writer that appends to the stored object of the given size. */
    static S3Writer appending(S3Bucket bucket, MultipartCopy copier, String path, String key, int chunk,
            long storedSize) throws IOException {
        S3Writer w = new S3Writer(bucket, copier, path, key, chunk, false);
        w.size = storedSize;
        if (storedSize >= S3DriverOptions.MIN_PART_SIZE) {
            w.pendingCopy = storedSize;
        } else if (storedSize > 0) {
            try (InputStream in = S3Calls.call(path, () -> bucket.s3.getObject(b -> b.bucket(bucket.name).key(key)))) {
                w.buffer.fill(in, (int) storedSize);
            }
        }
        return w;
    }

    /** A writer that continues an upload in progress whose parts are all at least 5 MiB. */
    static S3Writer resuming(S3Bucket bucket, MultipartCopy copier, String path, String key, int chunk,
            String uploadId, List<CompletedPart> parts, long storedSize) {
        S3Writer w = new S3Writer(bucket, copier, path, key, chunk, false);
        w.uploadId = uploadId;
        w.parts.addAll(parts);
        w.size = storedSize;
        w.written = true;
        return w;
    }

    @Override
    public void write(ByteBuffer source) throws IOException {
        ensureOpen();
        while (source.hasRemaining()) {
            int n = Math.min(source.remaining(), buffer.free());
            buffer.append(source, n);
            size += n;
            written = true;
            if (buffer.full()) {
                S3Calls.call(path, this::uploadBufferedPart);
            }
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void commit() throws IOException {
        ensureOpen();
        close();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            S3Calls.call(path, this::finish);
        } finally {
            buffer.release();
        }
    }

    @Override
    public void cancel() throws IOException {
        closed = true;
        buffer.release();
        S3Calls.call(path, () -> {
            if (uploadId != null) {
                bucket.abort(key, uploadId);
            }
            bucket.delete(key);
            return null;
        });
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("writer closed: " + path);
        }
    }

    /** Stores what was written: one request for less than a part, else the upload's last part and completion. */
    private Void finish() throws IOException {
        if (uploadId == null && pendingCopy == 0) {
            if (written || create) {
                bucket.put(key, buffer.array(), buffer.length());
            }
            return null;
        }
        if (uploadId == null && buffer.length() == 0) {
            return null; // appended nothing to a stored object: it stays as it is
        }
        if (buffer.length() > 0) {
            uploadBufferedPart();
        }
        try {
            bucket.complete(key, uploadId, parts);
        } catch (SdkException e) {
            abortQuietly(e);
            throw e;
        }
        return null;
    }

    private Void uploadBufferedPart() throws IOException {
        if (uploadId == null) {
            startUpload();
        }
        try {
            parts.add(bucket.uploadPart(key, uploadId, parts.size() + 1, buffer.array(), buffer.length()));
        } catch (SdkException e) {
            abortQuietly(e);
            throw e;
        }
        buffer.clear();
        return null;
    }

    /** Starts the upload and copies the stored object in as its first parts. */
    private void startUpload() throws IOException {
        uploadId = bucket.createUpload(key);
        if (pendingCopy > 0) {
            try {
                parts.addAll(copier.copy(key, key, uploadId, pendingCopy));
            } catch (IOException | SdkException e) {
                abortQuietly(e);
                throw e;
            }
            pendingCopy = 0;
        }
    }

    /** After a failure the upload cannot be completed by this writer; its parts are dropped, not left to bill. */
    private void abortQuietly(Exception cause) {
        try {
            bucket.abort(key, uploadId);
        } catch (SdkException e) {
            cause.addSuppressed(e);
        }
        uploadId = null;
        closed = true;
    }
}
