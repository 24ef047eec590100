package io.wharf.health;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Distribution's {@code health.file}, {@code health.http} and {@code health.tcp} checks, with its messages. */
public final class ProbeChecks {
    private ProbeChecks() {
    }

    /** Unhealthy while the file exists: operators create it to take an instance out of a load balancer. */
    public static HealthCheck file(Path file) {
        return () -> {
            if (Files.exists(file)) {
                throw new IllegalStateException("file exists");
            }
        };
    }

    /** Unhealthy unless a GET of the URI answers {@code status} within the timeout. */
    public static HealthCheck http(HttpClient client, URI uri, Map<String, List<String>> headers, int status,
            Duration timeout) {
        return () -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
            headers.forEach((name, values) -> values.forEach(v -> request.header(name, v)));
            HttpResponse<Void> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("error while checking: " + uri + ": " + e.getMessage());
            }
            if (response.statusCode() != status) {
                throw new IllegalStateException("downstream service returned unexpected status: "
                        + response.statusCode());
            }
        };
    }

    /** Unhealthy while a TCP connection to {@code host:port} cannot be opened within the timeout. */
    public static HealthCheck tcp(String addr, Duration timeout) {
        int colon = addr.lastIndexOf(':');
        String host = addr.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(addr.substring(colon + 1));
        return () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("connection to " + addr + " failed");
            }
        };
    }
}
