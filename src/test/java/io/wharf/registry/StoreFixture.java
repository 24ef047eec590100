package io.wharf.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.spec.Digest;
import io.wharf.spec.DigestReference;
import io.wharf.spec.MediaType;
import io.wharf.spec.Reference;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import io.wharf.storage.StorageDriver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Builds stores for GC tests through the registry's own role objects. */
final class StoreFixture {
    /** A pushed descriptor: digest, size and media type. */
    record Pushed(Digest digest, long size, String mediaType) {
        String json() {
            return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
        }
    }

    final StorageDriver driver;
    final Registry registry;
    private int counter;

    StoreFixture(StorageDriver driver, Clock clock) {
        this(driver, new Registry(driver, Registry.RegistryOptions.defaults().withDelete(true), new ObjectMapper(),
                clock));
    }

    /** Content pushed through {@code registry}, which stores on {@code driver}. */
    StoreFixture(StorageDriver driver, Registry registry) {
        this.driver = driver;
        this.registry = registry;
    }

    static RepositoryName repo(String name) {
        return RepositoryName.parse(name);
    }

    /** Uploads a blob with unique content. */
    Pushed blob(RepositoryName repo, String mediaType) throws IOException {
        byte[] content = ("blob " + (++counter) + " " + mediaType).getBytes(StandardCharsets.UTF_8);
        return blob(repo, content, mediaType);
    }

    Pushed blob(RepositoryName repo, byte[] content, String mediaType) throws IOException {
        Digest d = Digest.compute(Digest.Algorithm.SHA256, content);
        registry.uploads().putWhole(repo, new ByteArrayInputStream(content), content.length, d);
        return new Pushed(d, content.length, mediaType);
    }

    /** Pushes an image manifest with a fresh config and the layers; {@code tag} may be null (by digest). */
    Pushed image(RepositoryName repo, String tag, List<Pushed> layers) throws IOException {
        return image(repo, tag, layers, null);
    }

    Pushed image(RepositoryName repo, String tag, List<Pushed> layers, Pushed subject) throws IOException {
        Pushed config = blob(repo, "application/vnd.oci.image.config.v1+json");
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"")
                .append(MediaType.OCI_MANIFEST.value()).append("\",\"config\":").append(config.json())
                .append(",\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            json.append(i == 0 ? "" : ",").append(layers.get(i).json());
        }
        json.append("]");
        if (subject != null) {
            json.append(",\"subject\":").append(subject.json());
        }
        return manifest(repo, tag, json.append("}").toString(), MediaType.OCI_MANIFEST);
    }

    /** Pushes an index of the children. */
    Pushed index(RepositoryName repo, String tag, List<Pushed> children) throws IOException {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"")
                .append(MediaType.OCI_INDEX.value()).append("\",\"manifests\":[");
        for (int i = 0; i < children.size(); i++) {
            json.append(i == 0 ? "" : ",").append(children.get(i).json());
        }
        return manifest(repo, tag, json.append("]}").toString(), MediaType.OCI_INDEX);
    }

    Pushed manifest(RepositoryName repo, String tag, String json, MediaType type) throws IOException {
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        Digest d = Digest.compute(Digest.Algorithm.SHA256, payload);
        Reference ref = tag == null ? new DigestReference(d) : new Tag(tag);
        registry.manifests().put(repo, ref, payload, type);
        return new Pushed(d, payload.length, type.value());
    }

    Pushed layer(RepositoryName repo) throws IOException {
        return blob(repo, "application/vnd.oci.image.layer.v1.tar+gzip");
    }

    boolean blobExists(Pushed p) throws IOException {
        registry.blobs().forget(p.digest());
        return registry.blobs().size(p.digest()).isPresent();
    }

    boolean hasRevision(RepositoryName repo, Pushed p) throws IOException {
        return registry.repositoryExists(repo)
                && exists(StorageLayout.revisionLink(repo, p.digest()));
    }

    boolean linked(RepositoryName repo, Pushed p) throws IOException {
        return exists(StorageLayout.layerLink(repo, p.digest()));
    }

    boolean exists(String path) throws IOException {
        try {
            return !driver.stat(path).directory();
        } catch (io.wharf.storage.PathNotFoundException e) {
            return false;
        }
    }

    /** Every file in the store, for "nothing changed" checks. */
    TreeSet<String> files() throws IOException {
        TreeSet<String> out = new TreeSet<>();
        try {
            driver.walk("/", info -> {
                if (!info.directory()) {
                    out.add(info.path());
                }
                return io.wharf.storage.WalkVisitor.Next.CONTINUE;
            });
        } catch (io.wharf.storage.PathNotFoundException e) {
            return out;
        }
        return out;
    }

    static List<Pushed> list(Pushed... items) {
        return new ArrayList<>(List.of(items));
    }
}
