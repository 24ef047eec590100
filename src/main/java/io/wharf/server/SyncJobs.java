package io.wharf.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wharf.config.RegistryConfig;
import io.wharf.registry.Coordination;
import io.wharf.registry.Registry;
import io.wharf.sync.HttpRegistry;
import io.wharf.sync.LocalRegistry;
import io.wharf.sync.Sync;
import io.wharf.sync.SyncEndpoint;
import io.wharf.sync.SyncReport;
import io.wharf.sync.SyncSpec;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration's {@code sync.jobs}, run inside the server: each job first at start, then {@code interval}
 * after its previous run ended. With several instances on one storage, a run takes the job's lease for
 * {@code interval}, so the job runs once per interval across them, not once per instance. A failed run is logged
 * and counted; the next one retries (and resumes the uploads the failed one left).
 */
final class SyncJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncJobs.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("wharf-sync").daemon().factory());
    private final Registry registry;
    private final RegistryConfig.Sync config;
    private final MeterRegistry meters;
    private final ObjectMapper json = new ObjectMapper();
    private final String owner = "sync " + UUID.randomUUID();

    SyncJobs(Registry registry, RegistryConfig.Sync config, MeterRegistry meters) {
        this.registry = registry;
        this.config = config;
        this.meters = meters;
    }

    /** Schedules every job; a pull job on a read-only registry is refused with a log line. */
    void start(boolean writable) {
        for (RegistryConfig.SyncJob job : config.jobs()) {
            if (job.pull() && !writable) {
                LOG.warn("sync job {} copies into this registry, which is read-only; it does not run", job.name());
                continue;
            }
            AtomicLong lastSuccess = new AtomicLong();
            Gauge.builder("wharf_sync_last_success_seconds", lastSuccess, AtomicLong::get).tag("job", job.name())
                    .description("When the job last finished without failures (Unix time; 0: not yet)")
                    .register(meters);
            executor.scheduleWithFixedDelay(() -> runOnce(job, lastSuccess), 0, job.interval().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void runOnce(RegistryConfig.SyncJob job, AtomicLong lastSuccess) {
        try {
            Optional<Coordination.Lease> lease = registry.coordination().tryLease("sync-" + job.name(), owner,
                    job.interval());
            if (lease.isEmpty()) {
                LOG.debug("sync job {} ran on another instance within its interval", job.name());
                count(job, "skipped");
                return;
            }
            SyncEndpoint remote = new HttpRegistry(job.remoteUrl(), job.username(), job.password(),
                    !job.skipVerify(), json, REQUEST_TIMEOUT, Clock.systemUTC());
            SyncEndpoint local = new LocalRegistry(registry);
            SyncSpec spec = new SyncSpec(job.repositories(), job.tags(), job.prefix(), false, job.referrers(),
                    SyncSpec.DEFAULT_CHUNK, SyncSpec.DEFAULT_PARALLEL);
            SyncReport report = Sync.run(job.pull() ? remote : local, job.pull() ? local : remote, spec,
                    config.stateDirectory().resolve(job.name() + ".json"), json,
                    line -> LOG.info("sync job {}: {}", job.name(), line));
            Counter.builder("wharf_sync_bytes_total").tag("job", job.name())
                    .description("Blob bytes the job transferred").register(meters).increment(report.bytesCopied());
            LOG.info("sync job {}: {}", job.name(), report.summary(false));
            if (report.ok()) {
                lastSuccess.set(Clock.systemUTC().instant().getEpochSecond());
            }
            count(job, report.ok() ? "ok" : "failed");
        } catch (IOException | RuntimeException e) {
            LOG.warn("sync job {} failed: {}", job.name(), e.toString());
            count(job, "failed");
        }
    }

    private void count(RegistryConfig.SyncJob job, String result) {
        Counter.builder("wharf_sync_runs_total").tag("job", job.name()).tag("result", result)
                .description("Runs of each sync job by result").register(meters).increment();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
