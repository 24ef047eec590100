package io.wharf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The skopeo calls the end-to-end tests share, and the byte-for-byte image comparison. */
final class Skopeo {
    private Skopeo() {
    }

    /** {@code skopeo copy --all} of the image's tag to {@code destination}; returns the pushed digest. */
    static String pushAll(ClientConfig clients, TestImage image, String destination, Path digestFile)
            throws IOException {
        clients.skopeo("copy", "--all", "--dest-tls-verify=false", "--digestfile", digestFile.toString(),
                "oci:" + image.layout().dir() + ":" + image.tag(), destination).check();
        return Files.readString(digestFile).strip();
    }

    /** {@code skopeo copy --all} from {@code source} into a new OCI layout at {@code dir}, tagged {@code tag}. */
    static OciLayout pullAll(ClientConfig clients, String source, Path dir, String tag) {
        clients.skopeo("copy", "--all", "--src-tls-verify=false", source, "oci:" + dir + ":" + tag).check();
        return OciLayout.open(dir);
    }

    /**
     * Writes a small image (tag {@code v1}) in a new folder {@code round-trip} under {@code tmp}, pushes it to
     * {@code repository} at the endpoint, pulls it back and checks it came back byte for byte: what the packaging
     * tests ask of a server they started.
     */
    static void roundTrip(Path tmp, RegistryEndpoint endpoint, String repository, long seed) throws IOException {
        Path work = Files.createDirectories(tmp.resolve("round-trip"));
        ClientConfig clients = ClientConfig.create(work.resolve("clients"));
        TestImage source = TestImage.write(work.resolve("image"), "v1", seed);
        pushAll(clients, source, endpoint.docker(repository, "v1"), work.resolve("digest"));
        OciLayout pulled = pullAll(clients, endpoint.docker(repository, "v1"), work.resolve("pulled"), "v1");
        assertSameImage(source.layout(), "v1", pulled, "v1");
    }

    /** The two tags name the same digest and the layouts hold the same blobs, byte for byte. */
    static void assertSameImage(OciLayout expected, String expectedTag, OciLayout actual, String actualTag)
            throws IOException {
        assertThat(actual.resolve(actualTag)).isEqualTo(expected.resolve(expectedTag));
        Map<String, byte[]> want = expected.blobs();
        Map<String, byte[]> got = actual.blobs();
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(want.keySet());
        want.forEach((digest, bytes) -> assertThat(got.get(digest)).as("blob %s", digest).isEqualTo(bytes));
    }
}
