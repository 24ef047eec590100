package io.wharf.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wharf.spec.Digest;
import io.wharf.spec.RepositoryName;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * Counts upload sessions for dashboards: {@code wharf_uploads_started_total}, {@code wharf_uploads_completed_total}
 * (including monolithic puts), {@code wharf_uploads_cancelled_total}, and the gauge {@code wharf_uploads_in_progress}:
 * sessions this instance started or received a chunk for that have neither completed, been cancelled, nor been idle
 * longer than {@code idleAfter}. Behind a load balancer a session counts on every instance that saw it.
 *
 * <p>The set of sessions is bounded, so a flood of abandoned sessions cannot grow the heap; beyond the bound the
 * gauge undercounts.
 */
public final class UploadTracking extends ForwardingUploadSessions {
    private static final long MAX_TRACKED = 100_000;

    private final Cache<String, Boolean> active;
    private final Counter started;
    private final Counter completed;
    private final Counter cancelled;

    public UploadTracking(UploadSessions inner, MeterRegistry meters, Duration idleAfter) {
        super(inner);
        this.active = Caffeine.newBuilder().maximumSize(MAX_TRACKED).expireAfterAccess(idleAfter).build();
        this.started = Counter.builder("wharf.uploads.started").description("upload sessions started")
                .register(meters);
        this.completed = Counter.builder("wharf.uploads.completed")
                .description("blob uploads completed, chunked or monolithic").register(meters);
        this.cancelled = Counter.builder("wharf.uploads.cancelled").description("upload sessions cancelled")
                .register(meters);
        Gauge.builder("wharf.uploads.in.progress", active, c -> {
            c.cleanUp();
            return c.estimatedSize();
        }).description("upload sessions open and active recently on this instance").register(meters);
    }

    @Override
    public UploadStatus start(RepositoryName repo) throws IOException {
        UploadStatus status = inner.start(repo);
        started.increment();
        active.put(status.id(), Boolean.TRUE);
        return status;
    }

    @Override
    public UploadStatus append(RepositoryName repo, String id, InputStream body, long rangeStart, long length)
            throws IOException {
        // Counted before the body arrives: a long chunk is the upload most worth seeing in progress.
        active.put(id, Boolean.TRUE);
        return inner.append(repo, id, body, rangeStart, length);
    }

    @Override
    public long complete(RepositoryName repo, String id, InputStream lastChunk, long length, Digest expected)
            throws IOException {
        active.put(id, Boolean.TRUE);
        long size = inner.complete(repo, id, lastChunk, length, expected);
        active.invalidate(id);
        completed.increment();
        return size;
    }

    @Override
    public void cancel(RepositoryName repo, String id) throws IOException {
        inner.cancel(repo, id);
        active.invalidate(id);
        cancelled.increment();
    }

    @Override
    public long putWhole(RepositoryName repo, InputStream body, long length, Digest expected) throws IOException {
        long size = inner.putWhole(repo, body, length, expected);
        completed.increment();
        return size;
    }
}
