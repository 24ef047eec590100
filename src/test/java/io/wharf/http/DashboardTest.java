package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.config.RegistryConfig;
import io.wharf.registry.GcOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard shipped in {@code docs/monitoring}: every metric its queries name is exported by a running
 * server after a push, a pull, a garbage collection and a login, so no panel stays empty for a misspelt name.
 */
class DashboardTest {
    private static final Path DASHBOARD = Path.of("docs/monitoring/grafana-dashboard.json");
    /** PromQL words that look like metric names. */
    private static final Set<String> PROMQL = Set.of("sum", "by", "rate", "increase", "histogram_quantile", "max",
            "min", "avg", "without", "on", "ignoring", "le", "label_values", "instance", "handler", "code", "action",
            "result", "check", "cache", "area", "gc", "and", "or", "unless", "irate", "count", "topk", "endpoint");

    @TempDir
    Path dir;

    @Test
    void everyQueryNamesAMetricTheServerExports() throws Exception {
        List<String> exprs = new ArrayList<>();
        collect(new ObjectMapper().readTree(Files.readString(DASHBOARD)), exprs);
        assertThat(exprs).hasSizeGreaterThan(15);
        Set<String> named = new TreeSet<>();
        Matcher m = Pattern.compile("\\b([a-z_][a-z0-9_]*)\\b(?!\\s*[=~!]|\")").matcher("");
        for (String expr : exprs) {
            String noStrings = expr.replaceAll("\"[^\"]*\"", "\"\"").replaceAll("\\[[^\\]]*]", "");
            m.reset(noStrings);
            while (m.find()) {
                if (!PROMQL.contains(m.group(1)) && m.group(1).contains("_")) {
                    named.add(m.group(1));
                }
            }
        }
        assertThat(named).contains("registry_http_requests_total", "process_resident_memory_bytes");

        RegistryConfig.Health health = new RegistryConfig.Health(new RegistryConfig.StorageCheck(true,
                java.time.Duration.ofSeconds(10), 1), List.of(), List.of(), List.of());
        RegistryConfig.Operations ops = new RegistryConfig.Operations(
                new RegistryConfig.Debug("127.0.0.1:0", true, "/metrics"), health);
        Setup setup = new Setup(Setup.Driver.FILESYSTEM, Setup.Auth.HTPASSWD);
        var logins = setup.configure(dir.resolve("auth"));
        // A webhook endpoint (nobody listens) and a mirror of another registry, so their meters exist.
        var hooks = new RegistryConfig.Notifications(List.of(new RegistryConfig.Endpoint("ci",
                URI.create("http://127.0.0.1:9/hook"), java.util.Map.of(), java.time.Duration.ofSeconds(1), 1,
                java.time.Duration.ofSeconds(1), false, Set.of(), Set.of())), false, dir.resolve("queues"), 100);
        try (TestRegistry upstream = TestRegistry.start(dir.resolve("up"));
                TestRegistry r = TestRegistry.start(dir.resolve("data"), c -> logins.apply(c).withOperations(ops)
                        .withNotifications(hooks).withProxy(new RegistryConfig.Proxy(List.of(
                                new RegistryConfig.ProxyUpstream("mirror", URI.create(upstream.base() + "/"), "", "",
                                        java.time.Duration.ZERO, java.time.Duration.ZERO, "")),
                                dir.resolve("spool"), java.time.Duration.ofSeconds(5))));
                HttpClient client = HttpClient.newHttpClient()) {
            r.login(Setup.USER, Setup.PASSWORD);
            TestRegistry.Image image = r.pushImage("team/app", "v1");
            r.get("/v2/team/app/manifests/v1", "Accept", Manifests.OCI_MANIFEST);
            r.get("/v2/team/app/blobs/" + image.layer());
            TestRegistry.Image upstreamImage = upstream.pushImage("library/base", "1");
            r.get("/v2/mirror/library/base/manifests/1", "Accept", Manifests.OCI_MANIFEST);
            r.get("/v2/mirror/library/base/blobs/" + upstreamImage.layer());
            r.server().garbageCollector().run(GcOptions.offline(false, false));
            System.gc();
            URI metrics = URI.create("http://127.0.0.1:" + r.server().debugPort() + "/metrics");
            Set<String> missing = new TreeSet<>(named);
            Instant deadline = Instant.now().plusSeconds(10);
            while (true) {
                String text = client.send(HttpRequest.newBuilder(metrics).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                missing.removeIf(name -> Pattern.compile("(?m)^" + name + "[{ ]").matcher(text).find());
                // The JVM reports a collection pause shortly after it happened.
                if (missing.isEmpty() || Instant.now().isAfter(deadline)) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(missing).as("metrics the dashboard queries but the server does not export").isEmpty();
        }
    }

    private static void collect(JsonNode node, List<String> exprs) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("expr")) {
                    exprs.add(e.getValue().asText());
                } else {
                    collect(e.getValue(), exprs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, exprs));
        }
    }
}
