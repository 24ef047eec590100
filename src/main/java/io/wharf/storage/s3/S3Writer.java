package io.wharf.storage.s3;

import io.wharf.storage.FileWriter;
import io.wharf.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * A streamed write to one key through a multipart upload. It holds one part in memory ({@code chunksize}); each full
 * part is uploaded as it fills.
 *
 * <p>A writer of a new file makes an ordinary object when it closes: a single {@code PutObject} when no part was
 * uploaded, otherwise the last part and {@code CompleteMultipartUpload}. Either way the object appears whole or not
 * at all.
 *
 * <p>A writer that appends leaves the file as an {@link OpenAppend} once it holds 5 MiB or more: the upload stays
 * open, the bytes short of a part are stored as the object at the key, and the next writer continues the same upload
 * with the next part number. So a chunked upload sends each byte once and copies nothing on the server, however many
 * chunks it has. A file of less than 5 MiB stays an ordinary object, read back into the part buffer by the next
 * writer. An ordinary object of 5 MiB or more (read since its last append, or written by Distribution) becomes the
 * first parts of the new upload by server-side copy ({@code UploadPartCopy}), once.
 */
final class S3Writer implements FileWriter {
    /** The most parts S3 allows in one upload. */
    static final int MAX_PARTS = 10_000;

    private final S3Bucket bucket;
    private final MultipartCopy copier;
    private final String path;
    private final String key;
    private final PartBuffer buffer;
    /** Whether closing completes the upload into an ordinary object (a new file) or leaves it open (an append). */
    private final boolean replacing;
    /** Parts of the open upload written by earlier writers; this writer's parts are numbered after them. */
    private final int priorParts;
    /** Parts this writer copied or uploaded, in order. */
    private final List<CompletedPart> parts = new ArrayList<>();
    private String uploadId;
    /** Whether this writer started the upload, so that no stored byte depends on it until the writer closes. */
    private boolean ownUpload;
    /** Bytes of the stored object still to be copied in as the first parts when the upload starts. */
    private long pendingCopy;
    private long size;
    /** Whether closing must store something: bytes were written, or the file does not exist yet. */
    private boolean changed;
    private boolean closed;

    private S3Writer(S3Bucket bucket, MultipartCopy copier, String path, String key, PartMemory memory,
            boolean replacing, String uploadId, int priorParts) {
        this.bucket = bucket;
        this.copier = copier;
        this.path = path;
        this.key = key;
        this.buffer = new PartBuffer(memory, path);
        this.replacing = replacing;
        this.uploadId = uploadId;
        this.priorParts = priorParts;
    }

    /** A writer of a new object, replacing any at the key when it closes. */
    static S3Writer replacing(S3Bucket bucket, MultipartCopy copier, String path, String key, PartMemory memory) {
        return new S3Writer(bucket, copier, path, key, memory, true, null, 0);
    }

    /**
     * A writer that appends to the ordinary object of the given size stored at the key, or creates the file (even
     * when nothing is written) when {@code storedSize} is -1.
     */
    static S3Writer appending(S3Bucket bucket, MultipartCopy copier, String path, String key, PartMemory memory,
            long storedSize) throws IOException {
        S3Writer w = new S3Writer(bucket, copier, path, key, memory, false, null, 0);
        if (storedSize < 0) {
            w.changed = true; // the file does not exist yet: closing must create it
            return w;
        }
        w.size = storedSize;
        try {
            if (storedSize >= S3DriverOptions.MIN_PART_SIZE) {
                w.pendingCopy = storedSize;
                w.buffer.reserveWholePart();
            } else if (storedSize > 0) {
                w.readTail(storedSize);
            }
        } catch (IOException | RuntimeException e) {
            w.buffer.release();
            throw e;
        }
        return w;
    }

    /** A writer that continues an open append whose tail object at the key has the given size. */
    static S3Writer continuing(S3Bucket bucket, MultipartCopy copier, String path, String key, PartMemory memory,
            OpenAppend open, long tailSize) throws IOException {
        S3Writer w = new S3Writer(bucket, copier, path, key, memory, false, open.uploadId(), open.parts());
        w.size = open.fileSize(tailSize);
        try {
            w.buffer.reserveWholePart();
            if (tailSize > 0) {
                w.readTail(tailSize);
            }
        } catch (IOException | RuntimeException e) {
            w.buffer.release();
            throw e;
        }
        return w;
    }

    private void readTail(long tailSize) throws IOException {
        try (InputStream in = S3Calls.call(path, () -> bucket.s3.getObject(b -> b.bucket(bucket.name).key(key)))) {
            buffer.fill(in, (int) tailSize);
        }
    }

    @Override
    public void write(ByteBuffer source) throws IOException {
        ensureOpen();
        while (source.hasRemaining()) {
            int n = Math.min(source.remaining(), buffer.free());
            buffer.append(source, n);
            size += n;
            changed = true;
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
            buffer.release(); // a failed write closed the writer; its part must still be handed back
            return;
        }
        closed = true;
        try {
            S3Calls.call(path, replacing ? this::finishNew : this::finishAppend);
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

    /** Stores a new file: one request for less than a part, else the upload's last part and completion. */
    private Void finishNew() throws IOException {
        if (uploadId == null) {
            bucket.put(key, buffer.array(), buffer.length());
            return null;
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

    /**
     * Stores what was appended: a small file as an ordinary object; else the buffered bytes as a part when they
     * are enough for one, and the rest as the tail object recording the open append. The tail object is written
     * last, so a crash before it leaves the file as the previous writer left it.
     */
    private Void finishAppend() throws IOException {
        if (!changed) {
            return null; // appended nothing: the file stays as it is
        }
        if (buffer.length() >= S3DriverOptions.MIN_PART_SIZE) {
            uploadBufferedPart();
        } else if (uploadId == null && pendingCopy == 0) {
            bucket.put(key, buffer.array(), buffer.length());
            return null;
        } else if (uploadId == null) {
            startUpload();
        }
        OpenAppend open = new OpenAppend(uploadId, priorParts + parts.size(), size - buffer.length());
        try {
            bucket.put(key, buffer.array(), buffer.length(), open.metadata());
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
        int number = priorParts + parts.size() + 1;
        if (number > MAX_PARTS) {
            abortQuietly(null);
            throw new StorageException("the file would need more than " + MAX_PARTS + " parts of "
                    + buffer.capacity() + " bytes (raise chunksize)", path);
        }
        try {
            parts.add(bucket.uploadPart(key, uploadId, number, buffer.array(), buffer.length()));
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
        ownUpload = true;
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

    /**
     * After a failure this writer cannot finish. An upload it started holds nothing the stored file depends on, so
     * its parts are dropped rather than left to bill; an open append it continued keeps the parts the tail object
     * counts, and what this writer added beyond them is ignored and overwritten by the next writer.
     */
    private void abortQuietly(Exception cause) {
        if (ownUpload) {
            try {
                bucket.abort(key, uploadId);
            } catch (SdkException e) {
                if (cause != null) {
                    cause.addSuppressed(e);
                }
            }
        }
        uploadId = null;
        closed = true;
    }
}
