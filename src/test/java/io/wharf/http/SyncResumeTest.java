package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.spec.Digest;
import io.wharf.sync.HttpRegistry;
import io.wharf.sync.Sync;
import io.wharf.sync.SyncReport;
import io.wharf.sync.SyncSpec;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wharf sync} when the source's connection dies in the middle of a layer (a TCP proxy cuts it after 5 MiB):
 * within a run the copy continues from the offset the destination acknowledged; when the source stays away the run
 * fails, and the next run resumes the same upload instead of starting the layer again. Either way the destination
 * ends with the layer byte for byte.
 */
class SyncResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private record Source(Digest manifest, Digest layer, byte[] config) {
    }

    /** An image with a 12 MiB layer; the destination already has its config, so the layer is the first blob fetched. */
    private static Source image(TestRegistry source, TestRegistry destination) throws Exception {
        byte[] layer = new byte[12 << 20];
        new Random(5).nextBytes(layer);
        byte[] config = TestRegistry.utf8("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        Digest c = source.pushBlob("team/app", config);
        Digest l = source.pushBlob("team/app", layer);
        Digest m = source.pushManifest("team/app", "v1", Manifests.OCI_MANIFEST, Manifests.ociManifest(
                Manifests.descriptor(Manifests.OCI_CONFIG, c, config.length),
                Manifests.descriptor(Manifests.OCI_LAYER, l, layer.length)));
        destination.pushBlob("team/app", config);
        return new Source(m, l, config);
    }

    private static HttpRegistry endpoint(URI base) {
        return new HttpRegistry(base, "", "", true, JSON, Duration.ofSeconds(20), Clock.systemUTC());
    }

    private static SyncSpec spec() {
        return new SyncSpec(List.of("team/app"), List.of(), "", false, true, MIB, 1, Duration.ofMillis(20));
    }

    @Test
    void aSourceCutOffMidLayer_isResumedWithinTheRun() throws Exception {
        try (TestRegistry source = TestRegistry.start(dir.resolve("src"));
                TestRegistry destination = TestRegistry.start(dir.resolve("dst"));
                MirrorResumeTest.CuttingProxy proxy = new MirrorResumeTest.CuttingProxy(source.server().port())) {
            Source image = image(source, destination);
            List<String> lines = new CopyOnWriteArrayList<>();
            SyncReport report = Sync.run(endpoint(URI.create("http://127.0.0.1:" + proxy.port())),
                    endpoint(destination.base()), spec(), dir.resolve("state.json"), JSON, lines::add);

            assertThat(report.failures()).isEmpty();
            assertThat(proxy.cut).isTrue();
            assertThat(lines).anyMatch(l -> l.startsWith("retrying team/app@" + image.layer() + " from byte "));
            assertThat(TestRegistry.sha256(destination.get("/v2/team/app/blobs/" + image.layer()).body()))
                    .isEqualTo(image.layer());
            assertThat(destination.head("/v2/team/app/manifests/v1").headers().firstValue("Docker-Content-Digest"))
                    .contains(image.manifest().toString());
        }
    }

    @Test
    void aRunThatFailsMidLayer_isResumedByTheNextRun_atTheAcknowledgedOffset() throws Exception {
        try (TestRegistry source = TestRegistry.start(dir.resolve("src"));
                TestRegistry destination = TestRegistry.start(dir.resolve("dst"))) {
            Source image = image(source, destination);
            Path state = dir.resolve("state.json");
            List<String> first = new CopyOnWriteArrayList<>();
            try (MirrorResumeTest.CuttingProxy proxy = new MirrorResumeTest.CuttingProxy(source.server().port(),
                    true)) {
                SyncReport broken = Sync.run(endpoint(URI.create("http://127.0.0.1:" + proxy.port())),
                        endpoint(destination.base()), spec(), state, JSON, first::add);
                assertThat(broken.failures()).singleElement().asString().startsWith("team/app:v1: ");
                assertThat(proxy.cut).isTrue();
            }
            assertThat(destination.head("/v2/team/app/manifests/v1").statusCode()).isEqualTo(404);
            assertThat(Files.readString(state)).contains(image.layer().toString());

            List<String> second = new CopyOnWriteArrayList<>();
            SyncReport resumed = Sync.run(endpoint(source.base()), endpoint(destination.base()), spec(), state, JSON,
                    second::add);

            assertThat(resumed.failures()).isEmpty();
            String line = second.stream().filter(l -> l.startsWith("resuming team/app@" + image.layer()))
                    .findFirst().orElseThrow(() -> new AssertionError("no resumed upload in " + second));
            long offset = Long.parseLong(line.replaceAll(".* at byte (\\d+) of .*", "$1"));
            // The proxy cut after 5 MiB; whole 1 MiB chunks before that were acknowledged and are not sent again.
            assertThat(offset).isBetween(MIB, 5 * MIB);
            assertThat(TestRegistry.sha256(destination.get("/v2/team/app/blobs/" + image.layer()).body()))
                    .isEqualTo(image.layer());
            assertThat(destination.head("/v2/team/app/manifests/v1").headers().firstValue("Docker-Content-Digest"))
                    .contains(image.manifest().toString());
            assertThat(Files.readString(state)).doesNotContain(image.layer().toString());
        }
    }
}
