package io.wharf.server;

import io.wharf.config.RegistryConfig;
import io.wharf.registry.GarbageCollector;
import io.wharf.registry.GcRuns;
import io.wharf.registry.GcOptions;
import io.wharf.auth.Hmac;
import io.wharf.registry.Registry;
import io.wharf.registry.StorageLease;
import io.wharf.registry.UploadPurger;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's background work on one thread: upload purging, scheduled garbage collection, writing
 * pull times, and keeping this server's storage lease fresh. Nothing writes in read-only mode.
 */
final class Maintenance implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);
    /** How long a lease stays valid without refresh; refreshed every third of it. */
    static final Duration LEASE_TTL = Duration.ofSeconds(60);
    private static final Duration PULL_FLUSH = Duration.ofMinutes(1);
    /** How often a planned one-off collection is looked for: its start is at most this late. */
    private static final Duration PLANNED_GC_CHECK = Duration.ofSeconds(15);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("wharf-maintenance").daemon().factory());
    private final Registry registry;
    private final StorageLease lease;
    private final String serverId = UUID.randomUUID().toString();
    private final boolean writable;
    private final StorageLease.Server self;

    /** @param secret {@code http.secret}, of which the lease records only a fingerprint */
    Maintenance(Registry registry, StorageLease lease, boolean writable, String secret) {
        this.registry = registry;
        this.lease = lease;
        this.writable = writable;
        ProcessHandle process = ProcessHandle.current();
        this.self = new StorageLease.Server(HostName.get(), process.pid(),
                process.info().startInstant().map(Instant::toEpochMilli).orElse(0L), fingerprint(secret));
    }

    /**
     * Takes this server's lease, then refuses when an offline collection holds the storage, or when other servers
     * write the same storage and this one has no {@code http.secret}. Servers that share storage continue each
     * other's uploads, and Distribution's instances among them check the upload state with the shared secret, so
     * a cluster needs one; a server that is alone on its storage does not. A live server whose secret differs is
     * only warned about: that is what a rolling change of the secret looks like, and refusing it would stop the
     * rollout (uploads moving between old and new servers meanwhile fail, and their clients retry them).
     *
     * @throws StorageClaimRefused when {@code wharf garbage-collect} is running on the storage, or other servers
     *     share it and this one has no secret
     */
    void claimStorage() throws IOException {
        if (!writable) {
            return;
        }
        lease.holdServer(serverId, owner(), "", LEASE_TTL, self);
        var gcLock = lease.liveGcLock();
        if (gcLock.isPresent()) {
            lease.releaseServer(serverId);
            throw new StorageClaimRefused("an offline garbage collection (" + gcLock.get().owner()
                    + ") holds this storage until " + Instant.ofEpochMilli(gcLock.get().expiresAt())
                    + "; start the server when it has finished");
        }
        refuseSharingWithoutSecret();
    }

    /** The part of {@link #claimStorage} about other servers on the same storage. */
    private void refuseSharingWithoutSecret() throws IOException {
        List<StorageLease.Record> others = lease.liveServers(serverId).stream()
                .filter(r -> r.server() == null || !r.server().isFormerSelf(self, Maintenance::alive))
                .toList();
        if (!others.isEmpty() && self.secretId().isEmpty()) {
            lease.releaseServer(serverId);
            throw new StorageClaimRefused(others.size() + " other server(s) write this storage ("
                    + others.get(0).owner() + (others.size() > 1 ? ", ..." : "") + "), and this one has no "
                    + "http.secret: servers sharing storage need one, the same on every instance (Distribution's "
                    + "instances among them refuse upload state signed otherwise); set http.secret or "
                    + "REGISTRY_HTTP_SECRET");
        }
        others.stream().filter(r -> r.server() != null && !self.secretId().equals(r.server().secretId()))
                .forEach(r -> LOG.warn("{} writes this storage with a different http.secret: uploads moving between "
                        + "it and this server are refused until both have the same one", r.owner()));
    }

    /** A fingerprint of the secret for others to compare with theirs: not the secret, and not enough to find it. */
    static String fingerprint(String secret) {
        return secret.isEmpty() ? ""
                : java.util.HexFormat.of().formatHex(Hmac.derive(secret, "wharf http.secret fingerprint"), 0, 8);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Starts the periodic work; {@code url} is where this server answers admin requests. */
    void start(RegistryConfig config, GcRuns gc, GcOptions gcOptions, String url) throws IOException {
        if (!writable) {
            return;
        }
        lease.holdServer(serverId, owner(), url, LEASE_TTL, self);
        every(LEASE_TTL.dividedBy(3), LEASE_TTL.dividedBy(3),
                () -> lease.holdServer(serverId, owner(), url, LEASE_TTL, self), "lease refresh");
        every(PULL_FLUSH, PULL_FLUSH, () -> registry.pulls().flush(), "pull records");
        schedulePurging(new UploadPurger(registry.driver()), config.storage().uploadPurging());
        RegistryConfig.Gc cfg = config.lifecycle().gc();
        if (cfg.enabled()) {
            every(cfg.interval(), cfg.interval(), () -> runGc(gc, gcOptions), "garbage collection");
        }
        every(PLANNED_GC_CHECK, PLANNED_GC_CHECK, gc::runIfDue, "planned garbage collection");
    }

    private void runGc(GcRuns gc, GcOptions options) throws IOException {
        try {
            gc.run(options, "schedule");
        } catch (GarbageCollector.BusyException e) {
            LOG.info("scheduled garbage collection skipped: one is already running");
        }
    }

    /** Distribution's upload purging: first after a random delay (so instances spread out), then every interval. */
    private void schedulePurging(UploadPurger purger, RegistryConfig.UploadPurging cfg) {
        if (!cfg.enabled() || cfg.interval().isZero() || cfg.interval().isNegative()) {
            return;
        }
        long first = ThreadLocalRandom.current().nextLong(
                Math.min(cfg.interval().toMillis(), Duration.ofMinutes(30).toMillis()) + 1);
        every(Duration.ofMillis(first), cfg.interval(), () -> {
            var purged = purger.purge(Instant.now().minus(cfg.age()), cfg.dryRun());
            if (!purged.isEmpty()) {
                LOG.info("upload purging: {} {} abandoned upload(s) older than {}",
                        cfg.dryRun() ? "would remove" : "removed", purged.size(), cfg.age());
            }
        }, "upload purging");
    }

    /** Runs a task every interval, also in read-only mode (TLS certificate reloads). */
    void always(Duration interval, Task task, String name) {
        every(interval, interval, task, name);
    }

    @FunctionalInterface
    interface Task {
        void run() throws Exception;
    }

    private void every(Duration first, Duration interval, Task task, String name) {
        executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (Exception e) {
                LOG.warn("{} failed: {}", name, e.toString());
            }
        }, first.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private String owner() {
        return "wharf serve pid " + self.pid() + " on " + self.host();
    }

    /** Stops the work, writes pending pull times and gives up the lease. */
    @Override
    public void close() {
        executor.shutdownNow();
        if (!writable) {
            return;
        }
        try {
            registry.pulls().flush();
            lease.releaseServer(serverId);
        } catch (IOException e) {
            LOG.warn("maintenance shutdown: {}", e.toString());
        }
    }
}
