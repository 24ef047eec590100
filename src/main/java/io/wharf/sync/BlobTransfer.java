package io.wharf.sync;

import io.wharf.spec.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Sends one blob from the source to the destination in chunks of {@link SyncSpec#chunkSize}. When the source's
 * stream breaks, the destination is asked how much it has and the blob continues from there (up to five attempts
 * in a row without progress, with a growing pause); an upload a killed run left is found in the {@link UploadState}
 * and continued at the offset the destination acknowledged. The destination verifies the digest at the end.
 */
final class BlobTransfer {
    private static final int MAX_ATTEMPTS = 5;

    private final SyncEndpoint source;
    private final SyncEndpoint destination;
    private final SyncSpec spec;
    private final UploadState state;
    private final Consumer<String> out;

    BlobTransfer(SyncEndpoint source, SyncEndpoint destination, SyncSpec spec, UploadState state,
            Consumer<String> out) {
        this.source = source;
        this.destination = destination;
        this.spec = spec;
        this.state = state;
        this.out = out;
    }

    /** Sends one blob in chunks, continuing an upload an earlier run or attempt left at the offset acknowledged. */
    void send(String repo, String target, Digest digest, long size) throws IOException {
        String key = UploadState.key(destination.describe(), target, digest.toString());
        long offset = 0;
        String handle = state.handle(key).orElse(null);
        if (handle != null) {
            offset = acknowledged(target, handle, size);
            if (offset < 0) {
                handle = null;
                offset = 0;
            } else {
                out.accept("resuming " + target + "@" + digest + " at byte " + offset + " of " + size);
            }
        }
        if (handle == null) {
            handle = destination.startUpload(target);
            state.put(key, handle);
        }
        int failed = 0;
        while (offset < size) {
            try (InputStream in = source.openBlob(repo, digest, offset)) {
                while (offset < size) {
                    long n = Math.min(spec.chunkSize(), size - offset);
                    handle = destination.appendUpload(target, handle, new Chunk(in, n), offset, n);
                    offset += n;
                    state.put(key, handle);
                    failed = 0;
                }
            } catch (IOException e) {
                if (++failed >= MAX_ATTEMPTS || e instanceof InterruptedIOException) {
                    throw e;
                }
                long at = acknowledged(target, handle, size);
                if (at < 0) {
                    handle = destination.startUpload(target);
                    state.put(key, handle);
                    at = 0;
                }
                offset = at;
                out.accept("retrying " + target + "@" + digest + " from byte " + offset + " after: " + e.getMessage());
                pause(spec.retryPause().toMillis() << (failed - 1));
            }
        }
        destination.completeUpload(target, handle, digest);
        state.remove(key);
    }

    /**
     * Where an upload stands at the destination: its size, or -1 when it must start over (gone, beyond the blob, or
     * the ambiguous "0-0" a Distribution answers for zero or one byte).
     */
    private long acknowledged(String target, String handle, long size) throws IOException {
        OptionalLong at = destination.uploadOffset(target, handle);
        if (at.isEmpty()) {
            return -1;
        }
        if (at.getAsLong() <= 1 || at.getAsLong() > size) {
            destination.cancelUpload(target, handle);
            return -1;
        }
        return at.getAsLong();
    }

    private static void pause(long millis) throws InterruptedIOException {
        try {
            Thread.sleep(Math.min(8_000L, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    /** The next {@code length} bytes of a stream that goes on; closing a chunk leaves the stream open. */
    private static final class Chunk extends FilterInputStream {
        private long left;

        Chunk(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = in.skip(Math.min(n, left));
            left -= s;
            return s;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), left);
        }

        @Override
        public void close() {
            // The underlying stream carries the next chunk.
        }
    }
}
