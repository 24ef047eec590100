package io.wharf.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code http.cors} (Wharf): lets browser UIs on other origins call the API.
 *
 * @param allowedOrigins origins such as {@code https://ui.example.com}, or {@code *}; empty turns CORS off
 * @param allowedHeaders request headers a browser may send besides the simple ones
 * @param maxAge how long a browser may cache a preflight answer
 * @param allowCredentials whether browsers may send cookies and {@code Authorization} cross-origin
 */
public record CorsConfig(List<String> allowedOrigins, List<String> allowedHeaders, Duration maxAge,
        boolean allowCredentials) {

    /** Sent when {@code allowedheaders} is not configured: what registry clients send. */
    public static final List<String> DEFAULT_HEADERS = List.of("Authorization", "Content-Type", "Accept",
            "Content-Range", "Range", "Docker-Content-Digest");

    public CorsConfig {
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedHeaders = List.copyOf(allowedHeaders);
    }

    /** No cross-origin access. */
    public static CorsConfig none() {
        return new CorsConfig(List.of(), DEFAULT_HEADERS, Duration.ofMinutes(10), false);
    }

    /** Whether any origin is allowed. */
    public boolean enabled() {
        return !allowedOrigins.isEmpty();
    }
}
