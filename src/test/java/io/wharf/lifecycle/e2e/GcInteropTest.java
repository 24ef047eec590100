package io.wharf.lifecycle.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.Digest;
import io.wharf.testing.Command;
import io.wharf.testing.ExternalTool;
import io.wharf.testing.RegistryProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage collection across implementations on one data directory: images pushed with skopeo,
 * one removed with {@code skopeo delete}, the store collected by one implementation and then
 * served (and checked by the other's collector) by the other.
 */
@Tag("e2e")
class GcInteropTest {
    private static final Pattern DISTRIBUTION_SUMMARY =
            Pattern.compile("(\\d+) blobs marked, (\\d+) blobs and (\\d+) manifests eligible for deletion");

    @TempDir
    Path work;

    @BeforeAll
    static void programs() {
        ExternalTool.SKOPEO.require();
        ExternalTool.DOCKER_REGISTRY.require();
    }

    private static Command skopeo(String... args) {
        return command(List.of("skopeo", "--insecure-policy"), args);
    }

    private static Command distribution(String... args) {
        return command(List.of("docker-registry"), args);
    }

    private static Command wharf(String... args) {
        return Command.of(RegistryProcess.wharfCommand(args));
    }

    private static Command command(List<String> program, String... args) {
        List<String> argv = new ArrayList<>(program);
        argv.addAll(List.of(args));
        return Command.of(argv);
    }

    /** Pushes app:v1 and app:v2 (sharing one layer) and other:v1, then deletes app:v2 with skopeo. */
    private Images pushAndDelete(RegistryProcess registry) throws Exception {
        List<Digest> v1 = OciImages.write(work.resolve("v1"), "v1", List.of("shared layer", "v1 only layer"));
        List<Digest> v2 = OciImages.write(work.resolve("v2"), "v2", List.of("shared layer", "v2 only layer"));
        String host = registry.hostPort();
        skopeo("copy", "--dest-tls-verify=false", "oci:" + work.resolve("v1") + ":v1",
                "docker://" + host + "/app:v1").check();
        skopeo("copy", "--dest-tls-verify=false", "oci:" + work.resolve("v2") + ":v2",
                "docker://" + host + "/app:v2").check();
        skopeo("copy", "--dest-tls-verify=false", "oci:" + work.resolve("v1") + ":v1",
                "docker://" + host + "/other:v1").check();
        skopeo("delete", "--tls-verify=false", "docker://" + host + "/app:v2").check();
        assertThat(skopeo("inspect", "--tls-verify=false", "docker://" + host + "/app:v2").run().exitCode())
                .as("app:v2 is gone after skopeo delete").isNotZero();
        return new Images(v1, v2);
    }

    private record Images(List<Digest> v1, List<Digest> v2) {
        /** v2's config and its own layer: blobs a collection must remove (skopeo may rewrite manifests). */
        List<Digest> v2Only() {
            return List.of(v2.get(0), v2.get(2));
        }

        /** v1's config and layers: blobs that must stay. */
        List<Digest> v1Blobs() {
            return v1.subList(0, 3);
        }
    }

    private void pullAll(RegistryProcess registry) throws Exception {
        for (String image : List.of("app:v1", "other:v1")) {
            Path out = work.resolve("pulled-" + image.replace(':', '-') + "-" + registry.hostPort().replace(':', '-'));
            skopeo("copy", "--src-tls-verify=false", "docker://" + registry.hostPort() + "/" + image,
                    "oci:" + out + ":x").check();
        }
    }

    private static int eligibleBlobs(String distributionOutput) {
        Matcher m = DISTRIBUTION_SUMMARY.matcher(distributionOutput);
        assertThat(m.find()).as("summary line in:\n" + distributionOutput).isTrue();
        return Integer.parseInt(m.group(2));
    }

    @Test
    void storeCollectedByWharf_isServedAndCleanForDistribution() throws Exception {
        Path root = work.resolve("store");
        Images images;
        Path config;
        try (RegistryProcess server = RegistryProcess.wharf(root, work)) {
            images = pushAndDelete(server);
            config = server.config();
        }
        String gc = wharf("garbage-collect", "--delete-untagged", config.toString()).check().output();

        // skopeo delete removed the manifest revision already; the collection frees its blobs.
        assertThat(gc).contains("3 blobs and 0 manifests deleted");
        images.v2Only().forEach(d -> assertThat(OciImages.blobData(root, d)).doesNotExist());
        images.v1Blobs().forEach(d -> assertThat(OciImages.blobData(root, d)).exists());
        try (RegistryProcess distribution = RegistryProcess.distribution(root, work)) {
            pullAll(distribution);
        }
        String check = distribution("garbage-collect", "--dry-run", "--delete-untagged", config.toString())
                .check().output();
        assertThat(eligibleBlobs(check)).as("Distribution finds nothing left to collect").isZero();
    }

    @Test
    void storeCollectedByDistribution_isServedAndCleanForWharf() throws Exception {
        Path root = work.resolve("store");
        Images images;
        Path config;
        try (RegistryProcess server = RegistryProcess.distribution(root, work)) {
            images = pushAndDelete(server);
            config = server.config();
        }
        String gc = distribution("garbage-collect", "--delete-untagged", config.toString()).check().output();

        assertThat(eligibleBlobs(gc)).isEqualTo(3);
        images.v2Only().forEach(d -> assertThat(OciImages.blobData(root, d)).doesNotExist());
        try (RegistryProcess wharf = RegistryProcess.wharf(root, work)) {
            pullAll(wharf);
        }
        String check = wharf("garbage-collect", "--dry-run", "--delete-untagged", config.toString()).check().output();
        assertThat(check).contains("0 blobs and 0 manifests eligible for deletion");
    }

    @Test
    void offlineCollection_refusesWhileAWharfServerHoldsTheStore() throws Exception {
        Path root = work.resolve("store");
        try (RegistryProcess server = RegistryProcess.wharf(root, work)) {
            var refused = wharf("garbage-collect", server.config().toString()).run();
            assertThat(refused.exitCode()).isEqualTo(2);
            assertThat(refused.output()).contains("refusing to run", "gc-now --url http://127.0.0.1:");

            var delegated = wharf("garbage-collect", "--delegate", "--dry-run", server.config().toString()).check();
            assertThat(delegated.output()).contains("delegating to http://127.0.0.1:", "eligible for deletion");
        }
        assertThat(wharf("garbage-collect", RegistryProcess.writeConfig(work, root, 1).toString()).check().output())
                .as("the lease is released at shutdown").contains("0 blobs and 0 manifests deleted");
        assertThat(Files.exists(root.resolve("docker/registry/v2/_wharf/gc.lock"))).isFalse();
    }
}
