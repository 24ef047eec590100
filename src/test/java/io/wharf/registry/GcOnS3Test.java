package io.wharf.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wharf.lifecycle.bench.GcBenchmarkStore;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import io.wharf.storage.StorageDriver;
import io.wharf.storage.memory.InMemoryDriver;
import io.wharf.storage.s3.S3Connection;
import io.wharf.storage.s3.S3Driver;
import io.wharf.storage.s3.S3DriverOptions;
import io.wharf.testing.MutableClock;
import io.wharf.testing.S3Server;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Garbage collection on S3 (S3Proxy), counting the S3 requests by kind: the mark reads each repository with a
 * flat listing and each manifest once (and not again in a later run), the sweep lists the blob store shard by shard
 * ({@code blobs/sha256/<two hex digits>}, a page at a time) and deletes in batches, with no request per blob beyond
 * those. The result must equal the same collection
 * on the in-memory driver.
 */
class GcOnS3Test {
    private static final int REPOSITORIES = 12;
    private static final int ORPHANS = 120;

    @TempDir
    Path tmp;
    private S3Server server;
    private S3Driver driver;
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        server = S3Server.start(tmp);
        server.createBucket("wharf-gc");
        S3Connection connection = new S3Connection(S3Server.REGION, server.endpoint().toString(), true, false, false,
                server.accessKey(), server.secretKey(), "wharf-test", S3Connection.DEFAULT_MAX_CONNECTIONS);
        driver = new S3Driver(counting(connection.client()), connection.presigner(),
                S3DriverOptions.defaults("wharf-gc", "/registry"));
    }

    @AfterEach
    void stop() throws Exception {
        if (driver != null) {
            driver.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** The client, counting each call by the name of its operation. */
    private S3Client counting(S3Client client) {
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                (proxy, method, args) -> {
                    requests.computeIfAbsent(method.getName(), k -> new LongAdder()).increment();
                    try {
                        return method.invoke(client, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private Map<String, Long> counted() {
        Map<String, Long> out = new TreeMap<>();
        requests.forEach((k, v) -> out.put(k, v.sum()));
        requests.clear();
        return out;
    }

    private static GcReport collect(StorageDriver d, MutableClock clock, GarbageCollector gc) throws Exception {
        clock.advance(Duration.ofHours(2));
        return gc.run(new GcOptions(false, true, Duration.ofHours(1), List.of()));
    }

    @Test
    void aTagMovedBetweenCollections_isFollowed_alsoBackToTheManifestItNamedBefore() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        StoreFixture store = new StoreFixture(driver, clock);
        GarbageCollector gc = new GarbageCollector(store.registry, new GcMetrics(new SimpleMeterRegistry()));
        RepositoryName repo = StoreFixture.repo("app");
        Tag latest = new Tag("latest");
        StoreFixture.Pushed a = store.image(repo, "latest", List.of(store.layer(repo)));
        store.registry.tags().tag(repo, new Tag("pin"), a.digest());
        StoreFixture.Pushed b = store.image(repo, "other", List.of(store.layer(repo)));
        collect(driver, clock, gc);

        // latest: a -> b, and b's own tag goes; b is now reached only through latest.
        store.registry.tags().tag(repo, latest, b.digest());
        store.registry.tags().untag(repo, new Tag("other"));
        collect(driver, clock, gc);
        assertThat(store.hasRevision(repo, b)).as("b, tagged latest").isTrue();
        assertThat(store.hasRevision(repo, a)).as("a, still pinned").isTrue();

        // latest: b -> a again (the link's bytes are those of the first run), and the pin goes.
        store.registry.tags().tag(repo, latest, a.digest());
        store.registry.tags().untag(repo, new Tag("pin"));
        GcReport last = collect(driver, clock, gc);
        assertThat(store.hasRevision(repo, a)).as("a, tagged latest again").isTrue();
        assertThat(store.hasRevision(repo, b)).as("b, untagged").isFalse();
        assertThat(last.manifestsDeleted()).containsExactly(repo + "@" + b.digest());
    }

    @Test
    void collection_sendsNoRequestPerBlob_andFindsWhatTheInMemoryDriverFinds() throws Exception {
        InMemoryDriver memory = new InMemoryDriver();
        GcBenchmarkStore.write(memory, REPOSITORIES, ORPHANS, 4);
        GcBenchmarkStore.write(driver, REPOSITORIES, ORPHANS, 8);
        MutableClock clock = new MutableClock(Instant.now());
        MutableClock memoryClock = new MutableClock(Instant.now());
        Registry registry = new StoreFixture(driver, clock).registry;
        GarbageCollector gc = new GarbageCollector(registry, new GcMetrics(new SimpleMeterRegistry()));
        GcReport expected = collect(memory, memoryClock, new GarbageCollector(
                new StoreFixture(memory, memoryClock).registry, new GcMetrics(new SimpleMeterRegistry())));
        int shards = driver.list(StorageLayout.BLOBS + "/sha256").size();
        counted();

        GcReport report = collect(driver, clock, gc);
        Map<String, Long> first = counted();
        GcReport again = collect(driver, clock, gc);
        Map<String, Long> second = counted();
        StorageUsage.Report usage = new StorageUsage(registry).compute();
        Map<String, Long> measured = counted();
        System.out.printf("S3 requests of a collection of %d manifests, %d blobs: %s; again: %s%n",
                REPOSITORIES * 20, REPOSITORIES * 90 + ORPHANS, first, second);

        assertThat(report.marked()).isEqualTo(expected.marked());
        assertThat(report.blobsDeleted()).containsExactlyInAnyOrderElementsOf(expected.blobsDeleted());
        assertThat(report.manifestsDeleted()).containsExactlyInAnyOrderElementsOf(expected.manifestsDeleted());
        assertThat(report.layerLinksRemoved()).isEqualTo(expected.layerLinksRemoved());
        int swept = report.blobsDeleted().size();
        int untagged = report.manifestsDeleted().size();
        assertThat(swept).isGreaterThan(BlobSweeper.BATCH / 2);
        // Each manifest and tag link read once; no request per blob, per revision or per link: deletes in batches
        // (one per repository for its revisions, one per 1,000 blobs, one per 1,000 links).
        int manifests = REPOSITORIES * 20;
        int tags = REPOSITORIES * 10;
        assertThat(first.getOrDefault("getObjectAsBytes", 0L)).isLessThanOrEqualTo(manifests + tags + 10L);
        assertThat(first.getOrDefault("headObject", 0L)).isLessThanOrEqualTo(REPOSITORIES + 10L);
        assertThat(first.getOrDefault("deleteObjects", 0L)).isLessThanOrEqualTo(REPOSITORIES + 2L * (swept / 1000 + 1));
        assertThat(first.getOrDefault("deleteObject", 0L) + first.getOrDefault("listMultipartUploads", 0L))
                .isLessThanOrEqualTo(10L);
        // Listings: a few per repository, one per shard of the blob store (up to 256), none per blob.
        assertThat(first.getOrDefault("listObjectsV2", 0L)).isLessThanOrEqualTo(REPOSITORIES * 4L + shards + 20);
        assertThat(untagged).isEqualTo(REPOSITORIES * 10);
        // The second run reads no manifest again, and no tag link either: the listing's entity tags show that
        // every current link still holds the bytes the first run read.
        assertThat(again.blobsDeleted()).isEmpty();
        assertThat(second.getOrDefault("getObjectAsBytes", 0L)).isLessThanOrEqualTo(10L);
        // Measuring the storage usage shares the collector's manifests: it too reads only the tags' links.
        assertThat(usage.referencedBlobs()).isEqualTo(report.marked());
        assertThat(measured.getOrDefault("getObjectAsBytes", 0L)).isLessThanOrEqualTo(REPOSITORIES * 10L + 10);
    }
}
