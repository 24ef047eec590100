package io.wharf.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.LoggerFactory;

/**
 * Start-up work the server will need, begun on a second thread while the main one parses the command line and the
 * configuration (the way Spring Boot's background pre-initializer does). Each item is slow the first time in any
 * JVM, however it is used later: Jetty's media-type tables ask the JDK for every locale, and Jackson and the
 * Prometheus client build static tables. On the two cores of the benchmark machine this took about 200 ms off the
 * time to the first answer when it was added (on a full JDK, whose locale data makes the media-type tables slow).
 *
 * <p>Only a warm-up: nothing it builds is kept, and a failure here is ignored, because the main thread meets the
 * same failure where it matters and reports it there.
 */
final class ServePreload {
    private ServePreload() {
    }

    /**
     * Initialises logging on the calling thread, then starts the warm-up on a daemon thread and returns. Logging
     * comes first because SLF4J hands out substitute loggers to every other thread while one initialises it, and
     * the configuration of the {@code log} section expects Logback's own.
     */
    static void start() {
        LoggerFactory.getILoggerFactory();
        Thread.ofPlatform().daemon().name("wharf-preload").start(ServePreload::run);
    }

    private static void run() {
        try {
            Class.forName("org.eclipse.jetty.http.MimeTypes", true, ServePreload.class.getClassLoader());
            new ObjectMapper().createObjectNode();
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT).close();
        } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
            // Ignored on purpose (see the class comment).
        }
    }
}
