package io.wharf.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.config.RegistryConfig;
import io.wharf.http.TestRegistry;
import io.wharf.lifecycle.PushClient.Desc;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API, immutable tags and read-only mode over real HTTP. */
class AdminEndpointsTest {
    @TempDir
    Path root;
    private final ObjectMapper json = new ObjectMapper();

    private static UnaryOperator<RegistryConfig> lifecycle(List<String> immutable) {
        return c -> c.withLifecycle(new RegistryConfig.Lifecycle(RegistryConfig.Gc.defaults(), List.of(), immutable,
                RegistryConfig.Admin.defaults()));
    }

    private static UnaryOperator<RegistryConfig> readOnly() {
        return c -> {
            var s = c.storage();
            return new RegistryConfig(c.log(), s.withWrites(true, true), c.http(), c.catalog(),
                    c.validation());
        };
    }

    private static String push(PushClient client, String repo, String tag, String layer) throws Exception {
        Desc l = client.blob(repo, layer.getBytes(StandardCharsets.UTF_8), PushClient.LAYER);
        Desc c = client.blob(repo, ("{\"" + layer + "\":1}").getBytes(StandardCharsets.UTF_8), PushClient.CONFIG);
        HttpResponse<byte[]> r = client.putManifest(repo, tag, PushClient.imageJson(c, List.of(l)), PushClient.MANIFEST);
        return r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8);
    }

    private static HttpResponse<byte[]> post(TestRegistry r, String path) throws Exception {
        return r.send(r.request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    @Test
    void manifestPulls_areCountedPerRepository_andShownByTheAdminApi() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            push(new PushClient(r), "team/app", "v1", "a");
            push(new PushClient(r), "team/lib", "v1", "b");
            for (int i = 0; i < 3; i++) {
                assertThat(r.get("/v2/team/app/manifests/v1", "Accept", PushClient.MANIFEST).statusCode())
                        .isEqualTo(200);
            }
            assertThat(r.head("/v2/team/lib/manifests/v1", "Accept", PushClient.MANIFEST).statusCode()).isEqualTo(200);
            assertThat(r.get("/v2/team/lib/manifests/missing").statusCode()).isEqualTo(404);

            var one = json.readTree(r.get("/admin/pulls?repository=team/app").body());
            assertThat(one.path("pulls").asLong()).isEqualTo(3);
            assertThat(java.time.Instant.parse(one.path("lastPulled").asText())).isBefore(java.time.Instant.now()
                    .plusSeconds(1));
            var all = json.readTree(r.get("/admin/pulls").body()).path("repositories");
            assertThat(all).extracting(n -> n.path("repository").asText() + "=" + n.path("pulls").asLong())
                    .containsExactly("team/app=3", "team/lib=1");
            assertThat(json.readTree(r.get("/admin/pulls?repository=never/pulled").body()).path("pulls").asLong())
                    .isZero();
        }
    }

    @Test
    void gcDryRun_answersAJsonSummary() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            push(new PushClient(r), "app", "v1", "a");

            for (String misspelt : new String[] {"dryrun=true", "dry-run=true", "dryRun=true&force=1"}) {
                HttpResponse<byte[]> refused = post(r, "/admin/gc?" + misspelt);
                assertThat(refused.statusCode()).as(misspelt).isEqualTo(400);
                assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("unknown parameter");
            }
            HttpResponse<byte[]> answer = post(r, "/admin/gc?dryRun=true&deleteUntagged=true");

            assertThat(answer.statusCode()).isEqualTo(200);
            var report = json.readTree(answer.body());
            assertThat(report.path("dryRun").asBoolean()).isTrue();
            assertThat(report.path("marked").asInt()).isEqualTo(3);
            assertThat(report.path("summary").asText()).startsWith("3 blobs marked");
            assertThat(new String(r.send(r.request("/admin/metrics").GET().build()).body(), StandardCharsets.UTF_8))
                    .contains("wharf_gc_runs_total{result=\"dry-run\"} 1.0");
        }
    }

    @Test
    void deleteRepository_removesItFromTheCatalogAndItsTags() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            PushClient client = new PushClient(r);
            push(client, "team/gone", "v1", "a");
            push(client, "team/kept", "v1", "b");

            HttpResponse<byte[]> deleted = r.send(r.request("/admin/repositories/team/gone").DELETE().build());

            assertThat(deleted.statusCode()).isEqualTo(202);
            String catalog = new String(client.get("/v2/_catalog", "*/*").body(), StandardCharsets.UTF_8);
            assertThat(catalog).contains("team/kept").doesNotContain("team/gone");
            assertThat(client.get("/v2/team/gone/manifests/v1", PushClient.MANIFEST).statusCode()).isEqualTo(404);
            assertThat(r.send(r.request("/admin/repositories/team/gone").DELETE().build()).statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void deleteRepository_byAPathItDidNotSpell_isRefusedAndDeletesNothing() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            PushClient client = new PushClient(r);
            push(client, "team/kept", "v1", "a");

            for (String path : new String[] {"/admin/repositories/team/kept;x", "/admin/repositories/team/x/../kept",
                "/admin/repositories/team;x/kept"}) {
                HttpResponse<byte[]> answer = r.send(r.request(path).DELETE().build());
                assertThat(answer.statusCode()).as(path).isEqualTo(400);
                assertThat(new String(answer.body(), StandardCharsets.UTF_8)).as(path).contains("REQUEST_INVALID");
            }
            assertThat(client.get("/v2/team/kept/manifests/v1", PushClient.MANIFEST).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void forwardedRequests_areRefusedByDefault() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            HttpResponse<byte[]> answer = r.send(r.request("/admin/gc?dryRun=true")
                    .header("X-Forwarded-For", "203.0.113.9").POST(HttpRequest.BodyPublishers.noBody()).build());

            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("DENIED", "forwarded");
        }
    }

    @Test
    void readOnlyMode_refusesEveryWriteIncludingAdminOnes() throws Exception {
        try (TestRegistry writable = TestRegistry.start(root)) {
            push(new PushClient(writable), "app", "v1", "a");
        }
        try (TestRegistry r = TestRegistry.start(root, readOnly())) {
            PushClient client = new PushClient(r);
            assertThat(post(r, "/admin/gc").statusCode()).isEqualTo(405);
            assertThat(post(r, "/admin/gc?dryRun=true").statusCode()).isEqualTo(200);
            assertThat(r.send(r.request("/admin/repositories/app").DELETE().build()).statusCode()).isEqualTo(405);
            assertThat(client.delete("/v2/app/manifests/v1").statusCode()).isEqualTo(405);
            assertThat(post(r, "/v2/app/blobs/uploads/").statusCode()).isEqualTo(405);
            assertThat(client.get("/v2/app/manifests/v1", PushClient.MANIFEST).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void immutableTag_cannotMoveButMayBePushedAgainUnchanged() throws Exception {
        try (TestRegistry r = TestRegistry.start(root, lifecycle(List.of("v*.*")))) {
            PushClient client = new PushClient(r);
            assertThat(push(client, "app", "v1.0", "a")).startsWith("201");
            assertThat(push(client, "app", "v1.0", "a")).startsWith("201");

            String moved = push(client, "app", "v1.0", "b");

            assertThat(moved).startsWith("403").contains("DENIED", "immutable", "v*.*");
            assertThat(push(client, "app", "latest", "b")).startsWith("201");
            assertThat(push(client, "app", "latest", "c")).startsWith("201");
        }
    }
}
