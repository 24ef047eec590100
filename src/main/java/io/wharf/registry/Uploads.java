package io.wharf.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.wharf.spec.Digest;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import io.wharf.storage.FileWriter;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;

/**
 * Blob uploads (distribution-spec "Pushing blobs"): start, append chunks, complete with a digest,
 * cancel. The commit protocol is Distribution's: stream into {@code _uploads/<id>/data} while
 * hashing, fsync, verify size and digest, move into the content-addressed place, link, clean up.
 *
 * <p>All state lives in storage, so an upload survives a restart and may continue on another
 * instance. The running SHA-256 of each upload is kept in memory as an optimisation only: when it
 * is missing (restart, other instance) or out of step with the file, the file is hashed again.
 *
 * <p>Calls on one upload are serialised; calls on different uploads run in parallel.
 */
public final class Uploads implements UploadSessions {
    private static final Pattern UUID_FORMAT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** Per upload in progress; kept small because up to a thousand requests run at once on a small heap. */
    private static final int BUFFER = 64 * 1024;
    /** Bytes of one request body after which it is hashed beside writing ({@link ConcurrentHasher}), if allowed. */
    private static final long HASH_BESIDE_AFTER = 1024 * 1024;

    /** The hash of an upload's first {@code offset} bytes. */
    private record HashState(long offset, MessageDigest hasher) {
    }

    private final StorageDriver driver;
    private final BlobStore blobs;
    private final RepositoryBlobs repositoryBlobs;
    private final Clock clock;
    private final WriteActivity activity;
    private final Cache<String, HashState> hashes =
            Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(1)).maximumSize(10_000).build();
    private final Coordination coordination;
    /** Bodies hashed on a second thread at once: one per core, beyond which the cores are busy anyway. */
    private final Semaphore hashingBeside = new Semaphore(Runtime.getRuntime().availableProcessors());

    Uploads(StorageDriver driver, BlobStore blobs, RepositoryBlobs repositoryBlobs, Clock clock,
            WriteActivity activity, Coordination coordination) {
        this.driver = driver;
        this.activity = activity;
        this.blobs = blobs;
        this.repositoryBlobs = repositoryBlobs;
        this.clock = clock;
        this.coordination = coordination;
    }

    /**
     * Starts an upload session. Not synced to disk: a session is only a promise to accept data, and
     * one lost in a crash costs the client a restart of its upload, not data it was told is stored.
     */
    public UploadStatus start(RepositoryName repo) throws IOException {
        String id = UUID.randomUUID().toString();
        return activity.using(List.of(repo), () -> {
            try (FileWriter startedAt = driver.writer(StorageLayout.uploadStartedAt(repo, id), false)) {
                startedAt.write(ByteBuffer.wrap(clock.instant().toString().getBytes(StandardCharsets.UTF_8)));
            }
            driver.writer(StorageLayout.uploadData(repo, id), false).close();
            return new UploadStatus(id, 0);
        });
    }

    /**
     * The upload's status.
     *
     * @throws RegistryException {@link ErrorCode#BLOB_UPLOAD_UNKNOWN} for an unknown or malformed id
     */
    public UploadStatus status(RepositoryName repo, String id) throws IOException {
        checkId(id);
        try {
            return new UploadStatus(id, driver.stat(StorageLayout.uploadData(repo, id)).size());
        } catch (PathNotFoundException e) {
            // Unknown, or begun elsewhere (openedElsewhere), which writes: under the lock appends and cancels take,
            // so that a cancel running meanwhile cannot leave a data file behind.
            try (Coordination.Held lock = coordination.lock(lockKey(id))) {
                return new UploadStatus(id, currentSize(repo, id));
            }
        }
    }

    private long currentSize(RepositoryName repo, String id) throws IOException {
        checkId(id);
        try {
            return driver.stat(StorageLayout.uploadData(repo, id)).size();
        } catch (PathNotFoundException e) {
            return openedElsewhere(repo, id);
        }
    }

    /**
     * The size of an upload that has a start time but no data file: one Distribution began on S3, which keeps a
     * chunked upload's bytes in a multipart upload it leaves open between requests, found only by an appending
     * writer. Opening and closing one turns that upload into a file this registry reads (Wharf's own uploads
     * always have one), so this happens once per such upload; clients send an upload's requests one at a time.
     */
    private long openedElsewhere(RepositoryName repo, String id) throws IOException {
        try {
            driver.stat(StorageLayout.uploadStartedAt(repo, id));
        } catch (PathNotFoundException e) {
            throw unknown(id);
        }
        try (FileWriter adopted = driver.writer(StorageLayout.uploadData(repo, id), true)) {
            return adopted.size();
        }
    }

    /**
     * Appends a chunk. The chunk must start where the upload ends ({@code rangeStart}, or -1 for a
     * streamed chunk without {@code Content-Range}).
     *
     * @param length the declared chunk length, or -1 when unknown
     * @throws RegistryException {@link ErrorCode#RANGE_INVALID} for a chunk out of order,
     *     {@link ErrorCode#SIZE_INVALID} when fewer or more bytes arrive than declared
     */
    public UploadStatus append(RepositoryName repo, String id, InputStream body, long rangeStart, long length)
            throws IOException {
        // The upload's size is read again under the lock: another request (or instance) may have appended.
        try (Coordination.Held lock = coordination.lock(lockKey(id))) {
            long size = currentSize(repo, id);
            if (rangeStart >= 0 && rangeStart != size) {
                throw new RegistryException(ErrorCode.RANGE_INVALID,
                        "chunk starts at " + rangeStart + " but the upload has " + size + " bytes");
            }
            UploadStatus status = new UploadStatus(id, write(repo, id, size, body, length, true));
            // The chunk is stored either way; a client told 503 asks where the upload stands and resumes there.
            lock.check("upload " + id);
            return status;
        }
    }

    /** Appends the body; with {@code durable} it is synced before this returns (a chunk the client is told is stored). */
    private long write(RepositoryName repo, String id, long size, InputStream body, long length, boolean durable)
            throws IOException {
        HashState state = hashState(repo, id, size);
        hashes.invalidate(id);
        MessageDigest hasher = state.hasher;
        long written = 0;
        Optional<ConcurrentHasher> beside = Optional.empty();
        try (FileWriter out = driver.writer(StorageLayout.uploadData(repo, id), true)) {
            byte[] buf = new byte[(int) Math.min(BUFFER, length >= 0 ? Math.max(length, 1) : BUFFER)];
            BufferFiller filler = new BufferFiller(body);
            int n;
            while ((n = filler.fill(buf)) > 0) {
                if (length >= 0 && written + n > length) {
                    throw new RegistryException(ErrorCode.SIZE_INVALID, "body is longer than declared");
                }
                out.write(ByteBuffer.wrap(buf, 0, n));
                written += n;
                if (beside.isEmpty() && written >= HASH_BESIDE_AFTER) {
                    beside = ConcurrentHasher.start(hasher, buf.length, hashingBeside);
                }
                if (beside.isPresent()) {
                    buf = beside.get().hand(buf, n);
                } else {
                    hasher.update(buf, 0, n);
                }
            }
            if (length >= 0 && written != length) {
                throw new RegistryException(ErrorCode.SIZE_INVALID,
                        "received " + written + " bytes, declared " + length);
            }
            if (beside.isPresent()) {
                hasher = beside.get().finish();
            }
            if (durable) {
                out.commit();
            }
        } finally {
            beside.ifPresent(ConcurrentHasher::close);
        }
        hashes.put(id, new HashState(size + written, hasher));
        return size + written;
    }

    /**
     * Reads a body in whole buffers, so that storage is written in whole buffers whatever steps the network delivers
     * the body in, and still keeps every byte that arrived: bytes read before the body fails (a client gone midway)
     * are returned first, and the failure is thrown by the next call, so that an interrupted upload resumes from its
     * last byte received (distribution-spec: the client asks where to resume).
     */
    private static final class BufferFiller {
        private final InputStream body;
        private IOException failed;

        BufferFiller(InputStream body) {
            this.body = body;
        }

        /** Reads until {@code buf} is full or the body ends; 0 only at the end. */
        int fill(byte[] buf) throws IOException {
            if (failed != null) {
                throw failed;
            }
            int filled = 0;
            while (filled < buf.length) {
                int n;
                try {
                    n = body.read(buf, filled, buf.length - filled);
                } catch (IOException e) {
                    if (filled == 0) {
                        throw e;
                    }
                    failed = e;
                    break;
                }
                if (n < 0) {
                    break;
                }
                filled += n;
            }
            return filled;
        }
    }

    /** The running hash for the first {@code size} bytes, from memory or by hashing the file. */
    private HashState hashState(RepositoryName repo, String id, long size) throws IOException {
        HashState state = hashes.getIfPresent(id);
        if (state != null && state.offset == size) {
            return state;
        }
        if (size == 0) {
            // Nothing to read: opening the empty file costs a request on an object store.
            return new HashState(0, Digest.Algorithm.SHA256.newHasher());
        }
        return new HashState(size, rehash(StorageLayout.uploadData(repo, id), Digest.Algorithm.SHA256, size));
    }

    private MessageDigest rehash(String path, Digest.Algorithm algorithm, long size) throws IOException {
        MessageDigest hasher = algorithm.newHasher();
        try (InputStream in = driver.reader(path, 0)) {
            byte[] buf = new byte[BUFFER];
            long left = size;
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                hasher.update(buf, 0, n);
                left -= n;
            }
        }
        return hasher;
    }

    /**
     * Completes an upload: appends the optional last chunk, verifies the digest, moves the blob into
     * place and links it into the repository. Durable when it returns. On a digest mismatch the
     * upload is removed and nothing is stored.
     *
     * @param lastChunk the body of the closing request (may be empty)
     * @param length its declared length, or -1
     */
    public long complete(RepositoryName repo, String id, InputStream lastChunk, long length, Digest expected)
            throws IOException {
        try (Coordination.Held lock = coordination.lock(lockKey(id))) {
            long size = currentSize(repo, id);
            if (length != 0) {
                // Not synced here: the move into place syncs the content (StorageDriver#move), and a blob already
                // stored or a digest mismatch needs no durable copy at all.
                size = write(repo, id, size, lastChunk, length, false);
            }
            Digest actual = digestOf(repo, id, size, expected.algorithm());
            if (!actual.equals(expected)) {
                cancelLocked(repo, id);
                throw new RegistryException(ErrorCode.DIGEST_INVALID,
                        "content digest " + actual + " does not match " + expected);
            }
            lock.check("upload " + id);
            // In flight while adopting and linking: a sweep either removed an older copy already (adopt
            // then moves this one in) or leaves the blob and the link alone.
            long adopted = size;
            activity.using(List.of(repo, expected), () -> {
                blobs.adopt(StorageLayout.uploadData(repo, id), expected, adopted);
                repositoryBlobs.link(repo, expected);
                return null;
            });
            cancelLocked(repo, id);
            return size;
        }
    }

    private Digest digestOf(RepositoryName repo, String id, long size, Digest.Algorithm algorithm) throws IOException {
        if (algorithm == Digest.Algorithm.SHA256) {
            MessageDigest running = hashState(repo, id, size).hasher;
            return Digest.of(algorithm, running.digest());
        }
        return Digest.of(algorithm, rehash(StorageLayout.uploadData(repo, id), algorithm, size).digest());
    }

    /** Cancels an upload and removes its data. */
    public void cancel(RepositoryName repo, String id) throws IOException {
        try (Coordination.Held lock = coordination.lock(lockKey(id))) {
            currentSize(repo, id);
            cancelLocked(repo, id);
        }
    }

    private void cancelLocked(RepositoryName repo, String id) throws IOException {
        hashes.invalidate(id);
        try {
            driver.delete(StorageLayout.uploadDir(repo, id));
        } catch (PathNotFoundException e) {
            // Already gone: cancelling twice is harmless.
        }
    }

    /**
     * Monolithic upload ({@code POST ?digest=}): the whole blob in one body.
     *
     * @return the blob's size
     */
    public long putWhole(RepositoryName repo, InputStream body, long length, Digest expected) throws IOException {
        UploadStatus started = start(repo);
        try {
            return complete(repo, started.id(), body, length, expected);
        } catch (IOException | RuntimeException e) {
            cancelQuietly(repo, started.id());
            throw e;
        }
    }

    private void cancelQuietly(RepositoryName repo, String id) {
        try {
            cancelLocked(repo, id);
        } catch (IOException ignored) {
            // The purger removes what is left.
        }
    }

    private static String lockKey(String id) {
        return "upload:" + id;
    }

    private static void checkId(String id) {
        if (id == null || !UUID_FORMAT.matcher(id).matches()) {
            throw unknown(id);
        }
    }

    private static RegistryException unknown(String id) {
        return new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "upload " + abbreviate(id) + " is unknown");
    }

    private static String abbreviate(String id) {
        return id == null ? "" : id.length() > 64 ? id.substring(0, 64) + "..." : id;
    }
}
