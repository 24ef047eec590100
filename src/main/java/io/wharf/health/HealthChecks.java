package io.wharf.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs named checks periodically, as Distribution's {@code health.PeriodicThresholdChecker} does: a check turns
 * unhealthy after {@code threshold} failures in a row and healthy again after one success. Unlike Distribution, the
 * first run happens at {@link #start()} rather than one interval later, and a check that has not answered within its
 * interval counts as a failure ("did not answer within ..."), so storage that hangs turns unhealthy instead of
 * leaving the last status standing. A hung check is not run again until it returns.
 *
 * <p>Each check's state is exported as {@code wharf_health_check_failing{check}} (1 while failing).
 */
public final class HealthChecks implements HealthStatus, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecks.class);

    private final List<Periodic> checks = new ArrayList<>();
    private final ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Thread> loops = new ArrayList<>();
    private final MeterRegistry meters;
    private volatile boolean closed;

    public HealthChecks(MeterRegistry meters) {
        this.meters = meters;
    }

    /**
     * Adds a check; call before {@link #start()}.
     *
     * @param name the name {@code /debug/health} reports it under
     * @param threshold failures in a row before it counts as unhealthy; below 1 counts as 1
     */
    public HealthChecks add(String name, HealthCheck check, Duration interval, int threshold) {
        Periodic p = new Periodic(name, check, interval, Math.max(1, threshold));
        checks.add(p);
        Gauge.builder("wharf.health.check.failing", p, x -> x.error == null ? 0 : 1)
                .description("1 while the named health check fails").tag("check", name).register(meters);
        return this;
    }

    /** Whether any check was added. */
    public boolean any() {
        return !checks.isEmpty();
    }

    /** Runs every check once now, then each at its interval on its own virtual thread. */
    public void start() {
        for (Periodic p : checks) {
            p.runOnce();
        }
        for (Periodic p : checks) {
            loops.add(Thread.ofVirtual().name("health-" + p.name).start(() -> p.loop()));
        }
    }

    @Override
    public Map<String, String> failures() {
        Map<String, String> failing = new TreeMap<>();
        for (Periodic p : checks) {
            String e = p.error;
            if (e != null) {
                failing.put(p.name, e);
            }
        }
        return failing;
    }

    @Override
    public void close() {
        closed = true;
        loops.forEach(Thread::interrupt);
        probes.shutdownNow();
    }

    private final class Periodic {
        final String name;
        final HealthCheck check;
        final Duration interval;
        final int threshold;
        /** The error reported while unhealthy, else null. */
        volatile String error;
        private int failuresInRow;
        private Future<?> running;

        Periodic(String name, HealthCheck check, Duration interval, int threshold) {
            this.name = name;
            this.check = check;
            this.interval = interval;
            this.threshold = threshold;
        }

        void loop() {
            while (!closed) {
                long next = System.nanoTime() + interval.toNanos();
                runOnce();
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }

        /** Runs the check, or keeps waiting on a run still hanging, for at most one interval. */
        synchronized void runOnce() {
            String failure;
            try {
                if (running == null || running.isDone()) {
                    running = probes.submit(() -> {
                        check.check();
                        return null;
                    });
                }
                running.get(interval.toNanos(), TimeUnit.NANOSECONDS);
                failure = null;
            } catch (TimeoutException e) {
                failure = "did not answer within " + interval.toMillis() + " ms";
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                failure = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.RejectedExecutionException | java.util.concurrent.CancellationException e) {
                return;
            }
            record(failure);
        }

        private void record(String failure) {
            if (failure == null) {
                if (error != null) {
                    LOG.info("health check {} is healthy again", name);
                }
                failuresInRow = 0;
                error = null;
                return;
            }
            failuresInRow++;
            if (failuresInRow >= threshold) {
                if (error == null) {
                    LOG.warn("health check {} failing: {}", name, failure);
                }
                error = failure;
            }
        }
    }
}
