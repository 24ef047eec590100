package io.wharf.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.health.HealthStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What operators and orchestrators probe, without authentication:
 * <ul>
 *   <li>{@code GET /healthz}: liveness, 200 while the process serves requests at all;</li>
 *   <li>{@code GET /readyz}: readiness, 200 while every health check passes and the server is not draining,
 *       else 503;</li>
 *   <li>on the debug listener only: {@code GET /debug/health} as Distribution answers it (200 with {@code {}}, or 503
 *       with {@code {"<check>": "<error>"}}) and Prometheus text at the configured path.</li>
 * </ul>
 * The API listener serves only the first two, which reveal no more than the API's own 503s do.
 */
public final class ProbeHandler extends Handler.Abstract {
    static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HealthStatus health;
    private final BooleanSupplier accepting;
    private final ObjectMapper json;
    private final boolean debug;
    private final Optional<String> metricsPath;
    private final Supplier<String> metrics;

    private ProbeHandler(HealthStatus health, BooleanSupplier accepting, ObjectMapper json, boolean debug,
            Optional<String> metricsPath, Supplier<String> metrics) {
        this.health = health;
        this.accepting = accepting;
        this.json = json;
        this.debug = debug;
        this.metricsPath = metricsPath;
        this.metrics = metrics;
    }

    /** Liveness and readiness for the API listener. */
    public static ProbeHandler api(HealthStatus health, BooleanSupplier accepting, ObjectMapper json) {
        return new ProbeHandler(health, accepting, json, false, Optional.empty(), () -> "");
    }

    /**
     * Everything for the debug listener.
     *
     * @param metricsPath where Prometheus text is served, or empty when {@code prometheus.enabled} is off
     */
    public static ProbeHandler debug(HealthStatus health, BooleanSupplier accepting, ObjectMapper json,
            Optional<String> metricsPath, Supplier<String> metrics) {
        return new ProbeHandler(health, accepting, json, true, metricsPath, metrics);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws JsonProcessingException {
        String path = Request.getPathInContext(request);
        boolean get = HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod());
        if (!get) {
            return false;
        }
        switch (path) {
            case "/healthz" -> send(response, callback, 200, "text/plain; charset=utf-8", "ok\n");
            case "/readyz" -> {
                boolean ready = accepting.getAsBoolean() && health.healthy();
                send(response, callback, ready ? 200 : 503, "text/plain; charset=utf-8",
                        ready ? "ready\n" : accepting.getAsBoolean() ? "unhealthy\n" : "draining\n");
            }
            default -> {
                if (debug && path.equals("/debug/health")) {
                    var failures = health.failures();
                    send(response, callback, failures.isEmpty() ? 200 : 503, Exchange.JSON,
                            json.writeValueAsString(failures));
                } else if (debug && metricsPath.isPresent() && path.equals(metricsPath.get())) {
                    send(response, callback, 200, PROMETHEUS_TYPE, metrics.get());
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    private static void send(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
