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

    void failed() {
        meters.counter("wharf.gc.runs", "result", "failed").increment();
    }
}
