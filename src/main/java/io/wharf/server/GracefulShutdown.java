package io.wharf.server;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * Stops a serving registry once, however it is asked: on {@code SIGTERM} or {@code SIGINT} it stops accepting,
 * lets running requests finish within {@code http.draintimeout}, closes the rest, and lets {@code serve} return 0
 * (a container's orchestrator reads a clean stop, as with {@code registry:2}); on any other exit of the JVM the
 * shutdown hook does the same before the process ends.
 */
final class GracefulShutdown {
    private final WharfServer server;
    private final Logger log;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);

    GracefulShutdown(WharfServer server, Logger log) {
        this.server = server;
        this.log = log;
    }

    /** Installs the signal handlers and the shutdown hook. */
    void install() {
        for (String signal : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> {
                    log.info("SIG{}: stopping; running requests may finish within the drain timeout", signal);
                    Thread.ofPlatform().name("wharf-stop").start(this::stop);
                });
            } catch (IllegalArgumentException unavailable) {
                // The platform has no such signal, or the JVM reserves it (-Xrs): the shutdown hook still stops.
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "wharf-shutdown"));
    }

    /** Stops the server the first time; later calls wait until that first stop is done. */
    void stop() {
        if (!started.compareAndSet(false, true)) {
            awaitDone();
            return;
        }
        try {
            server.close();
        } catch (Exception e) {
            log.warn("shutdown: {}", e.toString());
        } finally {
            done.countDown();
        }
    }

    private void awaitDone() {
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
