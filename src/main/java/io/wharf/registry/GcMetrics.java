package io.wharf.registry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Garbage collection meters, registered in the {@link MeterRegistry} passed in (never a global one):
 * {@code wharf.gc.runs{result}}, {@code wharf.gc.duration}, {@code wharf.gc.blobs.swept},
 * {@code wharf.gc.bytes.freed}, {@code wharf.gc.manifests.deleted}, {@code wharf.gc.tags.removed},
 * {@code wharf.gc.last.success} (epoch seconds of the last successful run). Dry runs count as runs
 * but free nothing.
 */
public final class GcMetrics {
    private final MeterRegistry meters;
    private final Timer duration;
    private final Counter blobs;
    private final Counter bytes;
    private final Counter manifests;
    private final Counter tags;
    private final AtomicLong lastSuccess = new AtomicLong();
    private final java.util.Map<String, AtomicLong> cacheBytes = new java.util.concurrent.ConcurrentHashMap<>();

    public GcMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.duration = Timer.builder("wharf.gc.duration").description("garbage collection run time").register(meters);
        this.blobs = Counter.builder("wharf.gc.blobs.swept").description("blobs deleted").register(meters);
        this.bytes = Counter.builder("wharf.gc.bytes.freed").baseUnit("bytes").register(meters);
        this.manifests = Counter.builder("wharf.gc.manifests.deleted").register(meters);
        this.tags = Counter.builder("wharf.gc.tags.removed").description("tags removed by retention").register(meters);
        meters.gauge("wharf.gc.last.success", lastSuccess);
    }

    void succeeded(GcReport report) {
        meters.counter("wharf.gc.runs", "result", report.dryRun() ? "dry-run" : "ok").increment();
        duration.record(report.duration());
        if (!report.dryRun()) {
            blobs.increment(report.blobsDeleted().size());
            bytes.increment(report.bytesFreed());
            manifests.increment(report.manifestsDeleted().size());
            tags.increment(report.tagsRemoved().size());
            lastSuccess.set(report.startedAt().plus(report.duration()).getEpochSecond());
        }
    }

    /**
     * Records a cache's evictions ({@code wharf_mirror_evictions_total{upstream}}) and the bytes it holds after
     * them ({@code wharf_mirror_cache_bytes{upstream}}).
     */
    void evicted(String cache, int roots, long bytesAfter) {
        meters.counter("wharf_mirror_evictions_total", "upstream", cache).increment(roots);
        cacheBytes.computeIfAbsent(cache, c -> {
            AtomicLong held = new AtomicLong();
            io.micrometer.core.instrument.Gauge.builder("wharf_mirror_cache_bytes", held, AtomicLong::get)
                    .tag("upstream", c).description("Bytes a mirror's cache held after the last collection")
                    .baseUnit("bytes").register(meters);
            return held;
        }).set(bytesAfter);
    }

    void failed() {
        meters.counter("wharf.gc.runs", "result", "failed").increment();
    }
}
