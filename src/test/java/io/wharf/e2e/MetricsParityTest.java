package io.wharf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.Digest;
import io.wharf.testing.RegistryProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distribution 2.8.2 ({@code docker-registry}) and Wharf, each with {@code http.debug.prometheus} on, get the same
 * push and pull; every {@code registry_*} series Distribution exports must exist in Wharf's export with the same
 * labels and label values, and the request counters must agree, so dashboards and alerts built on Distribution keep
 * working.
 */
class MetricsParityTest {
    private static final Pattern SERIES = Pattern.compile("(?m)^(registry_[a-z_]+)(\\{[^}]*})? (\\S+)$");

    @TempDir
    Path dir;
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void wharfExportsEverySeriesDistributionDoes() throws Exception {
        Map<String, Double> distribution;
        Map<String, Double> wharf;
        int distDebug = RegistryProcess.freeLoopbackPort();
        try (RegistryProcess d = RegistryProcess.distribution(dir.resolve("d"), dir.resolve("dw"), debugKeys(distDebug))) {
            exercise(d.base());
            distribution = series(get(URI.create("http://127.0.0.1:" + distDebug + "/metrics")));
        }
        int wharfDebug = RegistryProcess.freeLoopbackPort();
        try (RegistryProcess w = RegistryProcess.wharf(dir.resolve("w"), dir.resolve("ww"), debugKeys(wharfDebug))) {
            exercise(w.base());
            wharf = series(get(URI.create("http://127.0.0.1:" + wharfDebug + "/metrics")));
        }
        assertThat(distribution).as("Distribution exported its metrics").isNotEmpty();
        Set<String> missing = new TreeSet<>(distribution.keySet());
        missing.removeAll(wharf.keySet());
        assertThat(missing).as("Distribution's series missing from Wharf").isEmpty();
        distribution.forEach((series, value) -> {
            if (series.startsWith("registry_http_requests_total") || series.contains("_count{handler")) {
                assertThat(wharf.get(series)).as(series).isEqualTo(value);
            }
        });
    }

    private static String debugKeys(int port) {
        return """
                  debug:
                    addr: 127.0.0.1:%d
                    prometheus:
                      enabled: true
                """.formatted(port);
    }

    /** A push of a config and a layer (one monolithic, one chunked), a manifest, then pulls, listings and a miss. */
    private void exercise(URI base) throws Exception {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = "a layer that is not really a tarball".getBytes(StandardCharsets.UTF_8);
        Digest c = Digest.compute(Digest.Algorithm.SHA256, config);
        Digest l = Digest.compute(Digest.Algorithm.SHA256, layer);
        assertThat(send(base, "GET", "/v2/", null, null).statusCode()).isEqualTo(200);
        String location = send(base, "POST", "/v2/team/app/blobs/uploads/", null, null).headers()
                .firstValue("Location").orElseThrow();
        assertThat(send(base, "PUT", withDigest(location, c), config, null).statusCode()).isEqualTo(201);
        location = send(base, "POST", "/v2/team/app/blobs/uploads/", null, null).headers().firstValue("Location")
                .orElseThrow();
        HttpResponse<byte[]> patched = send(base, "PATCH", location, layer, "application/octet-stream");
        assertThat(patched.statusCode()).isEqualTo(202);
        location = patched.headers().firstValue("Location").orElseThrow();
        assertThat(send(base, "PUT", withDigest(location, l), null, null).statusCode()).isEqualTo(201);
        String type = "application/vnd.docker.distribution.manifest.v2+json";
        String manifest = """
                {"schemaVersion":2,"mediaType":"%s","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":%d,"digest":"%s"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":%d,"digest":"%s"}]}"""
                .formatted(type, config.length, c, layer.length, l);
        assertThat(send(base, "PUT", "/v2/team/app/manifests/v1", manifest.getBytes(StandardCharsets.UTF_8), type)
                .statusCode()).isEqualTo(201);
        assertThat(send(base, "GET", "/v2/team/app/manifests/v1", null, null, "Accept", type).statusCode())
                .isEqualTo(200);
        assertThat(send(base, "HEAD", "/v2/team/app/manifests/v1", null, null, "Accept", type).statusCode())
                .isEqualTo(200);
        assertThat(send(base, "GET", "/v2/team/app/blobs/" + l, null, null).statusCode()).isEqualTo(200);
        assertThat(send(base, "HEAD", "/v2/team/app/blobs/" + c, null, null).statusCode()).isEqualTo(200);
        assertThat(send(base, "GET", "/v2/team/app/tags/list", null, null).statusCode()).isEqualTo(200);
        assertThat(send(base, "GET", "/v2/_catalog", null, null).statusCode()).isEqualTo(200);
        assertThat(send(base, "GET", "/v2/team/app/manifests/v2", null, null).statusCode()).isEqualTo(404);
    }

    private static String withDigest(String location, Digest digest) {
        return location + (location.contains("?") ? "&" : "?") + "digest=" + digest;
    }

    private HttpResponse<byte[]> send(URI base, String method, String pathOrUrl, byte[] body, String type,
            String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathOrUrl)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s", uri).isEqualTo(200);
        return r.body();
    }

    /**
     * Every {@code registry_*} series by name and sorted labels, with {@code le} normalised to a number (Go writes
     * {@code 1}, Java {@code 1.0}), and its value.
     */
    static Map<String, Double> series(String text) {
        Map<String, Double> out = new TreeMap<>();
        Matcher m = SERIES.matcher(text);
        while (m.find()) {
            Map<String, String> labels = new TreeMap<>();
            if (m.group(2) != null) {
                Matcher l = Pattern.compile("([a-z_]+)=\"([^\"]*)\"").matcher(m.group(2));
                while (l.find()) {
                    String v = l.group(2);
                    labels.put(l.group(1), l.group(1).equals("le") && !v.equals("+Inf")
                            ? Double.toString(Double.parseDouble(v)) : v);
                }
            }
            out.put(m.group(1) + labels, Double.parseDouble(m.group(3)));
        }
        return out;
    }
}
