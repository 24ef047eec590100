package io.wharf.mirror;

import io.wharf.registry.UploadSessions;
import io.wharf.spec.Digest;
import io.wharf.spec.RepositoryName;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fetch per blob: the first client that asks for a blob the mirror does not have starts a fetch from the
 * upstream into a spool file on local disk; every client asking meanwhile reads that spool as it grows, so the first
 * bytes reach all of them before the blob has fully arrived, and the upstream sends it once. The fetch runs on its
 * own thread: a client that goes away does not stop it. A fetch the upstream breaks off resumes with a range request
 * (or skips what it has when the upstream ignores ranges), a few times. When the whole blob has arrived its digest
 * is checked and only then is it stored, through the upload role below the mirror, which checks it again; a blob
 * whose digest does not match is never stored and its readers fail.
 */
final class BlobFetches {
    private static final Logger LOG = LoggerFactory.getLogger(BlobFetches.class);
    private static final int RESUMES = 5;
    private static final int BUFFER = 256 * 1024;

    private final Path spool;
    private final UploadSessions store;
    private final LongAdder upstreamBytes;
    private final ConcurrentHashMap<Digest, Fetch> running = new ConcurrentHashMap<>();

    /**
     * @param spool a local directory for blobs in flight
     * @param store where fetched blobs are kept (the uploads below the mirror, so pushes refused to clients are not
     *     refused here)
     * @param upstreamBytes counts every byte read from upstreams
     */
    BlobFetches(Path spool, UploadSessions store, LongAdder upstreamBytes) throws IOException {
        this.spool = Files.createDirectories(spool);
        this.store = store;
        this.upstreamBytes = upstreamBytes;
        removeLeftovers(this.spool, java.time.Instant.now().minus(LEFTOVER_AGE));
    }

    /** A spool file unchanged this long belongs to no running fetch: a fetch writes as bytes arrive. */
    static final java.time.Duration LEFTOVER_AGE = java.time.Duration.ofMinutes(10);

    /**
     * Removes spool files a stopped or crashed process left behind. Only files unchanged since {@code before}: the
     * directory may be shared with another instance on the machine whose fetches are running.
     *
     * @return how many were removed
     */
    static int removeLeftovers(Path spool, java.time.Instant before) {
        int removed = 0;
        try (var files = Files.newDirectoryStream(spool, "sha*-*-*")) {
            for (Path f : files) {
                if (Files.isRegularFile(f) && Files.getLastModifiedTime(f).toInstant().isBefore(before)) {
                    Files.deleteIfExists(f);
                    removed++;
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot clean the spool directory {}: {}", spool, e.toString());
        }
        if (removed > 0) {
            LOG.info("removed {} spool files left by an earlier process in {}", removed, spool);
        }
        return removed;
    }

    /** Fetches in progress. */
    int inProgress() {
        return running.size();
    }

    /** The size of a blob being fetched, once the upstream said it. */
    Optional<Long> size(Digest digest) {
        Fetch f = running.get(digest);
        return f == null || f.total < 0 ? Optional.empty() : Optional.of(f.total);
    }

    /**
     * The blob's bytes from {@code offset}, joining a running fetch or starting one.
     *
     * @return empty when the upstream does not have the blob
     * @throws UpstreamException when the upstream cannot be asked
     */
    Optional<InputStream> open(UpstreamClient client, String remoteName, RepositoryName repo, Digest digest,
            long offset) throws IOException {
        Fetch fetch = running.computeIfAbsent(digest, d -> new Fetch(client, remoteName, repo, d));
        fetch.startOnce();
        fetch.awaitStarted();
        if (fetch.missing) {
            return Optional.empty();
        }
        if (fetch.startFailure != null) {
            throw fetch.startFailure;
        }
        return Optional.of(fetch.reader(offset));
    }

    private final class Fetch {
        final UpstreamClient client;
        final String remoteName;
        final RepositoryName repo;
        final Digest digest;
        final Path file;
        final ReentrantLock lock = new ReentrantLock();
        final Condition progress = lock.newCondition();
        volatile long written;
        volatile long total = -1;
        volatile boolean done;
        volatile boolean started;
        volatile boolean missing;
        volatile IOException startFailure;
        volatile IOException failure;
        private boolean launched;

        Fetch(UpstreamClient client, String remoteName, RepositoryName repo, Digest digest) {
            this.client = client;
            this.remoteName = remoteName;
            this.repo = repo;
            this.digest = digest;
            this.file = spool.resolve(digest.algorithm().id() + "-" + digest.hex() + "-"
                    + System.nanoTime());
        }

        synchronized void startOnce() {
            if (!launched) {
                launched = true;
                Thread.ofVirtual().name("mirror-fetch-" + digest.hex().substring(0, 12)).start(this::run);
            }
        }

        void awaitStarted() throws IOException {
            lock.lock();
            try {
                while (!started) {
                    progress.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted waiting for " + digest);
            } finally {
                lock.unlock();
            }
        }

        private void signal(Runnable change) {
            lock.lock();
            try {
                change.run();
                progress.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void run() {
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                MessageDigest hash = digest.algorithm().newHasher();
                int attempts = 0;
                while (true) {
                    Optional<UpstreamClient.RemoteBlob> blob;
                    try {
                        blob = client.getBlob(remoteName, digest, written);
                    } catch (UpstreamException e) {
                        if (!started) {
                            signal(() -> {
                                startFailure = e;
                                started = true;
                            });
                            return;
                        }
                        if (++attempts > RESUMES) {
                            throw e;
                        }
                        sleepBeforeRetry(attempts);
                        continue;
                    }
                    if (blob.isEmpty()) {
                        signal(() -> {
                            missing = true;
                            started = true;
                        });
                        return;
                    }
                    UpstreamClient.RemoteBlob b = blob.get();
                    signal(() -> {
                        if (b.total() >= 0) {
                            total = b.total();
                        }
                        started = true;
                    });
                    StallWatch watch = null;
                    try (InputStream in = b.body(); StallWatch w = new StallWatch(in, client.timeout())) {
                        watch = w;
                        skip(in, written - b.offset(), w);
                        copy(in, out, hash, w);
                    } catch (IOException e) {
                        IOException why = watch != null && watch.stalled() ? new IOException("the upstream sent "
                                + "nothing for " + client.timeout().toSeconds() + " s", e) : e;
                        if (++attempts > RESUMES) {
                            throw why;
                        }
                        LOG.info("fetch of {} from {} broke off at {} bytes ({}); resuming", digest, client, written,
                                why.getMessage());
                        sleepBeforeRetry(attempts);
                        continue;
                    }
                    if (total < 0 || written >= total) {
                        break;
                    }
                }
                Digest got = Digest.of(digest.algorithm(), hash.digest());
                if (!got.equals(digest)) {
                    throw new IOException("the upstream sent content with digest " + got + " for " + digest);
                }
                long size = written;
                signal(() -> {
                    total = size;
                    done = true;
                });
                try (InputStream in = Files.newInputStream(file)) {
                    store.putWhole(repo, in, size, digest);
                } catch (IOException | RuntimeException e) {
                    // Served to its readers, but not kept: the next pull fetches it again.
                    LOG.warn("fetched {} but could not store it: {}", digest, e.toString());
                }
            } catch (IOException | RuntimeException e) {
                IOException f = e instanceof IOException io ? io : new IOException(e);
                LOG.warn("fetch of {} for {} failed: {}", digest, repo, f.getMessage());
                signal(() -> {
                    failure = f;
                    started = true;
                });
            } finally {
                running.remove(digest, this);
                try {
                    // Readers that opened it keep reading: an unlinked file lives while it is open.
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.warn("cannot remove spool file {}: {}", file, e.toString());
                }
            }
        }

        private void sleepBeforeRetry(int attempt) throws java.io.InterruptedIOException {
            try {
                TimeUnit.MILLISECONDS.sleep(Math.min(5_000, 200L << attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
        }

        /** Skips what the fetch has already (an upstream that ignored the range resends it), as progress. */
        private void skip(InputStream in, long bytes, StallWatch watch) throws IOException {
            byte[] buf = new byte[(int) Math.min(BUFFER, Math.max(bytes, 1))];
            for (long left = bytes; left > 0; ) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new java.io.EOFException("the upstream's answer ended " + left
                            + " bytes before the resume point");
                }
                left -= n;
                watch.progressed();
            }
        }

        private void copy(InputStream in, FileChannel out, MessageDigest hash, StallWatch watch) throws IOException {
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = in.read(buf)) > 0) {
                watch.progressed();
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
                hash.update(buf, 0, n);
                upstreamBytes.add(n);
                long now = written + n;
                signal(() -> written = now);
            }
        }

        InputStream reader(long offset) throws IOException {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            return new InputStream() {
                long position = offset;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (len == 0) {
                        return 0;
                    }
                    if (!awaitBytes(position)) {
                        return -1;
                    }
                    int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, readable() - position)),
                            position);
                    if (n > 0) {
                        position += n;
                    }
                    return n;
                }

                @Override
                public void close() throws IOException {
                    channel.close();
                }
            };
        }

        /**
         * How far readers may read: every byte once the blob's digest is checked, and one byte less than has arrived
         * before that. So no client receives a whole blob whose content turns out wrong (which, with its length
         * declared, it would take as complete): its answer fails one byte short instead.
         */
        private long readable() {
            long w = written;
            return done ? w : Math.max(0, w - 1);
        }

        /** Waits until a byte at {@code position} may be read; false at the end of the blob. */
        private boolean awaitBytes(long position) throws IOException {
            lock.lock();
            try {
                while (true) {
                    if (position < readable()) {
                        return true;
                    }
                    if (failure != null) {
                        throw new IOException("fetching " + digest + " from the upstream failed", failure);
                    }
                    if (done) {
                        return false;
                    }
                    progress.await(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Closes an upstream's body when it stays silent for the upstream timeout. The HTTP client's timeout ends once the
     * answer's headers arrive, so without this a body that stops midway (the upstream hung, a proxy between stalled)
     * held the fetch, and every client of the blob, for good; closing it fails the blocked read, and the fetch resumes
     * with a range request as after any break.
     */
    private static final class StallWatch implements AutoCloseable {
        private final InputStream body;
        private final long limitNanos;
        private final Thread thread;
        private volatile long last = System.nanoTime();
        private volatile boolean stalled;

        StallWatch(InputStream body, Duration limit) {
            this.body = body;
            this.limitNanos = limit.toNanos();
            this.thread = Thread.ofVirtual().name("mirror-stall-watch").start(this::watch);
        }

        void progressed() {
            last = System.nanoTime();
        }

        boolean stalled() {
            return stalled;
        }

        private void watch() {
            try {
                while (true) {
                    long silent = System.nanoTime() - last;
                    if (silent >= limitNanos) {
                        stalled = true;
                        body.close();
                        return;
                    }
                    TimeUnit.NANOSECONDS.sleep(limitNanos - silent);
                }
            } catch (InterruptedException done) {
                // The copy ended: nothing to watch.
            } catch (IOException e) {
                LOG.debug("closing a stalled upstream body: {}", e.toString());
            }
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }
}
