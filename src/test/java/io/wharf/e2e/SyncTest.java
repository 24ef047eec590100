package io.wharf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.http.TestRegistry;
import io.wharf.server.Main;
import io.wharf.spec.Digest;
import io.wharf.sync.HttpRegistry;
import io.wharf.sync.Sync;
import io.wharf.sync.SyncReport;
import io.wharf.sync.SyncSpec;
import io.wharf.testing.ExternalTool;
import io.wharf.testing.RegistryProcess;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wharf sync} between real registries: Debian's {@code docker-registry} (Distribution 2.8.2) and Wharf, in
 * both directions, checked by digest and byte for byte with skopeo. Multi-platform indexes travel with every
 * platform, a signature travels with its image (through the referrers API where a side has it, the referrers tag
 * schema where it does not), blobs already copied into another repository are mounted, and a second run moves
 * nothing.
 */
@Tag("e2e")
class SyncTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SIGNATURE = "application/vnd.example.signature.v1";

    @TempDir
    Path tmp;
    private ClientConfig clients;

    @BeforeEach
    void setUp() throws Exception {
        ExternalTool.SKOPEO.require();
        clients = ClientConfig.create(tmp.resolve("clients"));
    }

    private static HttpRegistry endpoint(URI base) {
        return new HttpRegistry(base, "", "", true, JSON, Duration.ofSeconds(30), Clock.systemUTC());
    }

    private static SyncReport sync(URI from, URI to, SyncSpec spec, Path state, List<String> lines) throws Exception {
        return Sync.run(endpoint(from), endpoint(to), spec, state, JSON, lines::add);
    }

    private static SyncSpec spec(List<String> repositories, List<String> tags, String prefix, boolean dryRun) {
        return new SyncSpec(repositories, tags, prefix, dryRun, true, SyncSpec.DEFAULT_CHUNK, 3);
    }

    private static String digestOf(RegistryEndpoint registry, String repo, String reference) throws Exception {
        HttpResponse<byte[]> r = registry.send("HEAD", "/v2/" + repo + "/manifests/" + reference,
                "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json");
        return r.statusCode() == 200 ? r.headers().firstValue("Docker-Content-Digest").orElse("") : "absent";
    }

    @Test
    void fromDistribution_matchingTagsWithEveryPlatform_mountedAcrossRepositories_andASecondRunMovesNothing()
            throws Exception {
        TestImage a = TestImage.write(tmp.resolve("a"), "v1", 11);
        TestImage b = TestImage.write(tmp.resolve("b"), "v2", 12);
        TestImage old = TestImage.write(tmp.resolve("old"), "old", 13);
        try (RegistryProcess distribution = RegistryProcess.distribution(tmp.resolve("dist"), tmp.resolve("distwork"));
                TestRegistry wharf = TestRegistry.start(tmp.resolve("wharf"))) {
            RegistryEndpoint dist = new RegistryEndpoint(distribution.hostPort());
            Skopeo.pushAll(clients, a, dist.docker("team/app", "v1"), tmp.resolve("d1"));
            Skopeo.pushAll(clients, b, dist.docker("team/app", "v2"), tmp.resolve("d2"));
            Skopeo.pushAll(clients, old, dist.docker("team/app", "old"), tmp.resolve("d3"));
            Skopeo.pushAll(clients, a, dist.docker("team/copy", "v1"), tmp.resolve("d4"));
            RegistryEndpoint dest = RegistryEndpoint.of(wharf.base());
            Path state = tmp.resolve("state.json");

            List<String> planned = new ArrayList<>();
            SyncReport dry = sync(distribution.base(), wharf.base(), spec(List.of("team/*"), List.of("v*"), "", true),
                    state, planned);
            assertThat(dry.failures()).isEmpty();
            assertThat(dry.tagsCopied()).isEqualTo(3);
            assertThat(planned).contains("would copy team/app:v1 -> team/app:v1 (" + a.indexDigest() + ")");
            assertThat(digestOf(dest, "team/app", "v1")).isEqualTo("absent");
            assertThat(dest.getString("/v2/_catalog")).doesNotContain("team/");

            List<String> lines = new ArrayList<>();
            SyncReport copied = sync(distribution.base(), wharf.base(),
                    spec(List.of("team/*"), List.of("v*"), "", false), state, lines);
            assertThat(copied.failures()).isEmpty();
            assertThat(copied.tagsCopied()).isEqualTo(3);
            // Two platforms of config + two layers: image a's six blobs are sent for team/app, mounted for team/copy.
            assertThat(copied.blobsCopied()).isEqualTo(12);
            assertThat(copied.blobsMounted()).isEqualTo(6);
            assertThat(digestOf(dest, "team/app", "v1")).isEqualTo(a.indexDigest());
            assertThat(digestOf(dest, "team/app", "v2")).isEqualTo(b.indexDigest());
            assertThat(digestOf(dest, "team/copy", "v1")).isEqualTo(a.indexDigest());
            assertThat(digestOf(dest, "team/app", "old")).isEqualTo("absent");
            Skopeo.assertSameImage(a.layout(), "v1",
                    Skopeo.pullAll(clients, dest.docker("team/copy", "v1"), tmp.resolve("pulled"), "v1"), "v1");

            SyncReport again = sync(distribution.base(), wharf.base(),
                    spec(List.of("team/*"), List.of("v*"), "", false), state, new ArrayList<>());
            assertThat(again.failures()).isEmpty();
            assertThat(again.tagsCurrent()).isEqualTo(3);
            assertThat(again.tagsCopied()).isZero();
            assertThat(again.blobsCopied()).isZero();
            assertThat(again.bytesCopied()).isZero();
        }
    }

    @Test
    void wharfToDistributionToASecondWharf_imagesTravelWithTheirSignature() throws Exception {
        TestImage a = TestImage.write(tmp.resolve("a"), "v1", 21);
        try (TestRegistry source = TestRegistry.start(tmp.resolve("source"));
                RegistryProcess distribution = RegistryProcess.distribution(tmp.resolve("dist"), tmp.resolve("w"));
                TestRegistry second = TestRegistry.start(tmp.resolve("second"))) {
            Skopeo.pushAll(clients, a, RegistryEndpoint.of(source.base()).docker("team/app", "v1"),
                    tmp.resolve("d1"));
            Digest signature = pushSignature(source, "team/app", a.indexDigest());
            RegistryEndpoint dist = new RegistryEndpoint(distribution.hostPort());

            SyncReport out = sync(source.base(), distribution.base(), spec(List.of("team/app"), List.of(), "", false),
                    tmp.resolve("s1.json"), new ArrayList<>());
            assertThat(out.failures()).isEmpty();
            assertThat(digestOf(dist, "team/app", "v1")).isEqualTo(a.indexDigest());
            assertThat(digestOf(dist, "team/app", signature.toString())).isEqualTo(signature.toString());
            // Distribution 2.8.2 has no referrers API: the signature is listed in the referrers tag schema's index.
            String schemaTag = "sha256-" + a.indexDigest().substring("sha256:".length());
            HttpResponse<byte[]> schema = dist.get("/v2/team/app/manifests/" + schemaTag,
                    "application/vnd.oci.image.index.v1+json");
            assertThat(schema.statusCode()).isEqualTo(200);
            JsonNode listed = JSON.readTree(schema.body());
            assertThat(listed.path("manifests").findValuesAsText("digest")).containsExactly(signature.toString());
            assertThat(listed.path("manifests").get(0).path("artifactType").asText()).isEqualTo(SIGNATURE);

            List<String> lines = new ArrayList<>();
            SyncReport back = sync(distribution.base(), second.base(),
                    spec(List.of("team/app"), List.of(), "copied", false), tmp.resolve("s2.json"), lines);
            assertThat(back.failures()).isEmpty();
            RegistryEndpoint dest = RegistryEndpoint.of(second.base());
            assertThat(digestOf(dest, "copied/team/app", "v1")).isEqualTo(a.indexDigest());
            JsonNode referrers = JSON.readTree(dest.getString("/v2/copied/team/app/referrers/" + a.indexDigest()));
            assertThat(referrers.path("manifests").findValuesAsText("digest")).containsExactly(signature.toString());
            // The schema's tag is how a side without the API lists referrers, not a tag of the image.
            assertThat(JSON.readTree(dest.getString("/v2/copied/team/app/tags/list")).path("tags").toString())
                    .isEqualTo("[\"v1\"]");
            Skopeo.assertSameImage(a.layout(), "v1",
                    Skopeo.pullAll(clients, dest.docker("copied/team/app", "v1"), tmp.resolve("pulled"), "v1"), "v1");
        }
    }

    @Test
    void theCommandExitsZeroWhenEverythingWasCopied_andOneNamingWhatFailed() throws Exception {
        try (TestRegistry source = TestRegistry.start(tmp.resolve("source"));
                TestRegistry destination = TestRegistry.start(tmp.resolve("destination"))) {
            TestRegistry.Image image = source.pushImage("team/tool", "1.0");
            String[] common = {"sync", "--from", source.base().toString(), "--to", destination.base().toString(),
                "--state", tmp.resolve("state.json").toString(), "-r", "team/tool"};

            assertThat(run(common, "-t", "1.0")).isZero();
            assertThat(digestOf(RegistryEndpoint.of(destination.base()), "team/tool", "1.0"))
                    .isEqualTo(image.digest().toString());
            assertThat(run(common, "-t", "2.0")).isEqualTo(1);
            assertThat(run(new String[] {"sync", "--from", source.base().toString(), "--to",
                destination.base().toString()})).isEqualTo(2);
        }
    }

    private static int run(String[] common, String... more) {
        List<String> args = new ArrayList<>(List.of(common));
        args.addAll(List.of(more));
        String[] argv = args.toArray(String[]::new);
        return Main.commandLine(argv).execute(argv);
    }

    /** Pushes a signature-like artifact whose subject is {@code subject} (an index), as cosign or notation would. */
    private static Digest pushSignature(TestRegistry registry, String repo, String subject) throws Exception {
        byte[] empty = TestRegistry.utf8("{}");
        byte[] payload = TestRegistry.utf8("signed " + subject);
        Digest e = registry.pushBlob(repo, empty);
        Digest p = registry.pushBlob(repo, payload);
        long subjectSize = registry.get("/v2/" + repo + "/manifests/" + subject, "Accept",
                "application/vnd.oci.image.index.v1+json").body().length;
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"artifactType\":\"" + SIGNATURE + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + e
                + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/octet-stream\",\"digest\":\"" + p
                + "\",\"size\":" + payload.length + "}],\"subject\":{\"mediaType\":"
                + "\"application/vnd.oci.image.index.v1+json\",\"digest\":\"" + subject + "\",\"size\":" + subjectSize
                + "}}";
        return registry.pushManifest(repo, TestRegistry.sha256(TestRegistry.utf8(manifest)).toString(),
                "application/vnd.oci.image.manifest.v1+json", manifest);
    }
}
