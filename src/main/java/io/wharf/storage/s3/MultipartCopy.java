package io.wharf.storage.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Server-side copies of stored objects into the parts of a multipart upload ({@code UploadPartCopy}): the bytes
 * never pass through this process. Parts are {@code multipartcopychunksize} long (the last up to twice that), so
 * every part is at least 5 MiB and more parts may follow; up to {@code multipartcopymaxconcurrency} are copied at
 * once, each on its own virtual thread.
 */
final class MultipartCopy {
    /** Parts left for what a writer appends after the copied ones: S3 allows 10,000 in all. */
    static final int MAX_COPY_PARTS = 9_000;

    private final S3Bucket bucket;
    private final long chunk;
    private final int concurrency;

    MultipartCopy(S3Bucket bucket, long chunk, int concurrency) {
        this.bucket = bucket;
        this.chunk = chunk;
        this.concurrency = concurrency;
    }

    /**
     * The first byte of each part and, last, the size: parts of {@code chunk} bytes, the remainder added to the
     * last part, which is split in two when that would pass S3's 5 GiB limit.
     */
    static long[] bounds(long size, long chunk) {
        long c = Math.max(chunk, (size + MAX_COPY_PARTS - 1) / MAX_COPY_PARTS);
        int n = (int) Math.max(1, size / c);
        long last = size - (n - 1) * c;
        boolean split = last > S3DriverOptions.MAX_PART_SIZE;
        long[] bounds = new long[n + (split ? 2 : 1)];
        for (int i = 0; i < n; i++) {
            bounds[i] = i * c;
        }
        if (split) {
            bounds[n] = bounds[n - 1] + last / 2;
        }
        bounds[bounds.length - 1] = size;
        return bounds;
    }

    /**
     * Copies the first {@code size} bytes of the source (at least 5 MiB) as parts {@code 1..n} of the upload.
     *
     * @return the parts in order
     * @throws IOException when a part fails; the caller aborts the upload
     */
    List<CompletedPart> copy(String sourceKey, String key, String uploadId, long size) throws IOException {
        long[] bounds = bounds(size, chunk);
        int parts = bounds.length - 1;
        CompletedPart[] done = new CompletedPart[parts];
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < Math.min(concurrency, parts); w++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < parts && !failed.get(); i = next.getAndIncrement()) {
                        done[i] = bucket.copyPart(sourceKey, key, uploadId, i + 1, bounds[i], bounds[i + 1] - 1);
                    }
                    return null;
                }));
            }
            awaitAll(workers, failed, key);
        }
        return Arrays.asList(done);
    }

    private static void awaitAll(List<Future<?>> workers, AtomicBoolean failed, String key) throws IOException {
        try {
            for (Future<?> worker : workers) {
                worker.get();
            }
        } catch (InterruptedException e) {
            failed.set(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("multipart copy to " + key + " interrupted");
        } catch (ExecutionException e) {
            failed.set(true);
            if (e.getCause() instanceof SdkException sdk) {
                throw sdk;
            }
            throw new IOException("multipart copy to " + key + " failed", e.getCause());
        }
    }
}
