package io.wharf.lifecycle.bench;

import io.wharf.registry.StorageLayout;
import io.wharf.spec.Digest;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import io.wharf.storage.StorageDriver;
import io.wharf.storage.fs.FilesystemDriver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes the GC benchmark store straight through the storage driver and layout (no HTTP):
 * 500 repositories x 20 manifests = 10,000 manifests; 10,000 configs, 25,000 layers and 5,000
 * unreferenced blobs, so 50,000 blobs in all. Even-numbered manifests are tagged, odd ones are
 * untagged revisions. Run: {@code java -cp ... io.wharf.lifecycle.bench.GcBenchmarkStore ROOT}.
 */
public final class GcBenchmarkStore {
    static final int REPOSITORIES = 500;
    static final int MANIFESTS_PER_REPOSITORY = 20;
    static final int LAYERS_PER_REPOSITORY = 50;
    static final int ORPHANS = 5_000;

    private GcBenchmarkStore() {
    }

    /**
     * Writes the full store below ROOT through the filesystem driver; {@code ROOT REPOSITORIES} writes that many
     * repositories and ten orphan blobs per repository instead.
     */
    public static void main(String[] args) throws Exception {
        StorageDriver driver = new FilesystemDriver(Path.of(args[0]));
        int repositories = args.length > 1 ? Integer.parseInt(args[1]) : REPOSITORIES;
        long start = System.nanoTime();
        int blobs = write(driver, repositories, repositories * ORPHANS / REPOSITORIES, 8);
        System.out.printf("wrote %d manifests and %d blobs in %.1f s%n", repositories * MANIFESTS_PER_REPOSITORY,
                blobs, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Writes {@code repositories} repositories ({@code bench/r<n>}) and {@code orphans} unreferenced blobs through
     * the driver with {@code threads} writers.
     *
     * @return how many blobs were written
     */
    public static int write(StorageDriver driver, int repositories, int orphans, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> work = new ArrayList<>();
        for (int r = 0; r < repositories; r++) {
            int repo = r;
            work.add(pool.submit(() -> {
                repository(driver, repo);
                return null;
            }));
        }
        for (int o = 0; o < orphans; o++) {
            int orphan = o;
            work.add(pool.submit(() -> blob(driver, ("orphan " + orphan).getBytes(StandardCharsets.UTF_8))));
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
        return repositories * (MANIFESTS_PER_REPOSITORY * 2 + LAYERS_PER_REPOSITORY) + orphans;
    }

    private static void repository(StorageDriver driver, int r) throws IOException {
        RepositoryName repo = RepositoryName.parse("bench/r" + r);
        List<String> layers = new ArrayList<>();
        for (int l = 0; l < LAYERS_PER_REPOSITORY; l++) {
            Digest d = blob(driver, ("layer " + r + "/" + l + " " + "x".repeat(64)).getBytes(StandardCharsets.UTF_8));
            link(driver, StorageLayout.layerLink(repo, d), d);
            layers.add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", d, 64 + 20));
        }
        for (int m = 0; m < MANIFESTS_PER_REPOSITORY; m++) {
            byte[] config = ("{\"repo\":" + r + ",\"m\":" + m + "}").getBytes(StandardCharsets.UTF_8);
            Digest c = blob(driver, config);
            link(driver, StorageLayout.layerLink(repo, c), c);
            String json = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                    + "\"config\":" + descriptor("application/vnd.oci.image.config.v1+json", c, config.length)
                    + ",\"layers\":[" + layers.get(2 * m) + "," + layers.get(2 * m + 1) + "," + layers.get(40 + m % 10)
                    + "]}";
            Digest manifest = blob(driver, json.getBytes(StandardCharsets.UTF_8));
            link(driver, StorageLayout.revisionLink(repo, manifest), manifest);
            if (m % 2 == 0) {
                Tag tag = new Tag("v" + m);
                link(driver, StorageLayout.tagIndexLink(repo, tag, manifest), manifest);
                link(driver, StorageLayout.tagCurrentLink(repo, tag), manifest);
            }
        }
    }

    /** Sizes are only used in descriptors; layers are written with their exact length below. */
    private static String descriptor(String type, Digest d, long size) {
        return "{\"mediaType\":\"" + type + "\",\"digest\":\"" + d + "\",\"size\":" + size + "}";
    }

    private static Digest blob(StorageDriver driver, byte[] content) throws IOException {
        Digest d = Digest.compute(Digest.Algorithm.SHA256, content);
        driver.putContent(StorageLayout.blobData(d), content);
        return d;
    }

    private static void link(StorageDriver driver, String path, Digest d) throws IOException {
        driver.putContent(path, d.toString().getBytes(StandardCharsets.UTF_8));
    }
}
