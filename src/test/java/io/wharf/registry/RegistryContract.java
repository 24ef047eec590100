package io.wharf.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.spec.Digest;
import io.wharf.spec.DigestReference;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.MediaType;
import io.wharf.spec.Reference;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import io.wharf.storage.WalkVisitor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour of the registry domain over any {@link StorageDriver}, exercised without HTTP. A
 * driver's test extends this class and supplies a fresh, empty {@link #newDriver()} per test.
 *
 * <p>Every assertion about persistence is also made through a {@link #restarted() new Registry}
 * over the same driver, so correctness never rests on in-memory state.
 */
public abstract class RegistryContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

    protected StorageDriver driver;
    protected Registry registry;

    private final RepositoryName repo = RepositoryName.parse("team/app");
    private final RepositoryName other = RepositoryName.parse("team/other");

    /** A fresh, empty driver. */
    protected abstract StorageDriver newDriver() throws Exception;

    @BeforeEach
    final void createRegistry() throws Exception {
        driver = newDriver();
        registry = restarted();
    }

    /** A new Registry over the same driver, as after a process restart or on a second instance. */
    protected Registry restarted() {
        return new Registry(driver, Registry.RegistryOptions.defaults().withDelete(true), JSON, CLOCK);
    }

    // ----------------------------------------------------------------------------- uploads

    @Test
    void start_newUpload_isKnownAndEmpty() throws IOException {
        UploadStatus started = registry.uploads().start(repo);

        assertThat(started.size()).isZero();
        assertThat(UUID.fromString(started.id())).hasToString(started.id());
        assertThat(registry.uploads().status(repo, started.id())).isEqualTo(started);
        assertThat(restarted().uploads().status(repo, started.id()).size()).isZero();
    }

    @Test
    void append_chunksInOrder_growTheUploadAndCompleteStoresTheBlob() throws IOException {
        byte[] content = randomBytes(1, 3000);
        String id = registry.uploads().start(repo).id();

        assertThat(append(registry, id, slice(content, 0, 1000), 0).size()).isEqualTo(1000);
        assertThat(append(registry, id, slice(content, 1000, 2500), 1000).size()).isEqualTo(2500);
        assertThat(registry.uploads().status(repo, id).size()).isEqualTo(2500);
        assertThat(append(registry, id, slice(content, 2500, 3000), 2500).size()).isEqualTo(3000);
        long size = registry.uploads().complete(repo, id, InputStream.nullInputStream(), 0, sha256(content));

        assertThat(size).isEqualTo(3000);
        assertBlobInRepository(repo, sha256(content), content);
        assertUploadGone(id);
    }

    @Test
    void append_streamedChunksWithoutRangeOrLength_appendAtTheEnd() throws IOException {
        byte[] content = randomBytes(2, 600_000);
        String id = registry.uploads().start(repo).id();

        registry.uploads().append(repo, id, in(slice(content, 0, 300_000)), -1, -1);
        registry.uploads().append(repo, id, in(slice(content, 300_000, 600_000)), -1, -1);

        assertThat(registry.uploads().status(repo, id).size()).isEqualTo(600_000);
        registry.uploads().complete(repo, id, InputStream.nullInputStream(), 0, sha256(content));
        assertBlobInRepository(repo, sha256(content), content);
    }

    @Test
    void append_chunkOutOfOrder_isRangeInvalidAndTheUploadStaysUsable() throws IOException {
        byte[] content = randomBytes(3, 2000);
        String id = registry.uploads().start(repo).id();
        append(registry, id, slice(content, 0, 1000), 0);

        assertCode(() -> append(registry, id, slice(content, 1500, 2000), 1500), ErrorCode.RANGE_INVALID);
        assertCode(() -> append(registry, id, slice(content, 0, 1000), 0), ErrorCode.RANGE_INVALID);
        assertCode(() -> append(registry, id, slice(content, 999, 2000), 999), ErrorCode.RANGE_INVALID);

        assertThat(registry.uploads().status(repo, id).size()).isEqualTo(1000);
        append(registry, id, slice(content, 1000, 2000), 1000);
        registry.uploads().complete(repo, id, InputStream.nullInputStream(), 0, sha256(content));
        assertBlobInRepository(repo, sha256(content), content);
    }

    @Test
    void append_bodyLongerThanDeclared_isSizeInvalid() throws IOException {
        String id = registry.uploads().start(repo).id();

        assertCode(() -> registry.uploads().append(repo, id, in(new byte[10]), 0, 5), ErrorCode.SIZE_INVALID);
    }

    @Test
    void complete_withTheLastChunkInTheClosingCall_storesEverything() throws IOException {
        byte[] content = "first part, last part".getBytes(UTF_8);
        String id = registry.uploads().start(repo).id();
        append(registry, id, slice(content, 0, 11), 0);

        long size = registry.uploads().complete(repo, id, in(slice(content, 11, content.length)), content.length - 11,
                sha256(content));

        assertThat(size).isEqualTo(content.length);
        assertBlobInRepository(repo, sha256(content), content);
    }

    @Test
    void complete_sha512Digest_storesTheBlobUnderItsSha512Address() throws IOException {
        byte[] content = randomBytes(4, 5000);
        Digest sha512 = Digest.compute(Digest.Algorithm.SHA512, content);
        String id = registry.uploads().start(repo).id();
        append(registry, id, slice(content, 0, 2000), 0);
        append(registry, id, slice(content, 2000, 5000), 2000);

        registry.uploads().complete(repo, id, InputStream.nullInputStream(), 0, sha512);

        assertBlobInRepository(repo, sha512, content);
        assertThat(driver.stat(StorageLayout.blobData(sha512)).size()).isEqualTo(5000);
        assertThat(registry.blobs().size(sha256(content))).isEmpty();
        assertUploadGone(id);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sha256", "sha512"})
    void complete_digestMismatch_isDigestInvalidStoresNothingAndEndsTheUpload(String algorithm) throws IOException {
        byte[] content = "the real content".getBytes(UTF_8);
        Digest.Algorithm alg = Digest.Algorithm.byId(algorithm);
        Digest claimed = Digest.compute(alg, "something else".getBytes(UTF_8));
        String id = registry.uploads().start(repo).id();
        append(registry, id, content, 0);

        assertCode(() -> registry.uploads().complete(repo, id, InputStream.nullInputStream(), 0, claimed),
                ErrorCode.DIGEST_INVALID);

        for (Registry r : List.of(registry, restarted())) {
            assertThat(r.blobs().size(claimed)).isEmpty();
            assertThat(r.blobs().size(Digest.compute(alg, content))).isEmpty();
            assertThat(r.repositoryBlobs().stat(repo, claimed)).isEmpty();
        }
        assertNoFile(StorageLayout.blobData(claimed));
        assertNoFile(StorageLayout.layerLink(repo, claimed));
        assertNoFile(StorageLayout.blobData(Digest.compute(alg, content)));
        assertUploadGone(id);
    }

    @Test
    void putWhole_digestMismatch_leavesNoUploadBehind() throws IOException {
        Digest claimed = sha256("other".getBytes(UTF_8));

        assertCode(() -> registry.uploads().putWhole(repo, in("content".getBytes(UTF_8)), 7, claimed),
                ErrorCode.DIGEST_INVALID);

        assertThat(uploadsLeft()).isEmpty();
        assertThat(registry.blobs().size(claimed)).isEmpty();
    }

    @Test
    void putWhole_matchingDigest_storesAndLinksTheBlob() throws IOException {
        byte[] content = randomBytes(5, 70_000);

        assertThat(registry.uploads().putWhole(repo, in(content), content.length, sha256(content)))
                .isEqualTo(content.length);

        assertBlobInRepository(repo, sha256(content), content);
        assertThat(uploadsLeft()).isEmpty();
    }

    @Test
    void cancel_removesTheUploadAndItsData() throws IOException {
        String id = registry.uploads().start(repo).id();
        append(registry, id, new byte[100], 0);

        registry.uploads().cancel(repo, id);

        assertUploadGone(id);
        assertCode(() -> append(registry, id, new byte[1], 100), ErrorCode.BLOB_UPLOAD_UNKNOWN);
        assertCode(() -> registry.uploads().complete(repo, id, InputStream.nullInputStream(), 0, sha256(new byte[100])),
                ErrorCode.BLOB_UPLOAD_UNKNOWN);
        assertCode(() -> registry.uploads().cancel(repo, id), ErrorCode.BLOB_UPLOAD_UNKNOWN);
        assertThat(registry.blobs().size(sha256(new byte[100]))).isEmpty();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"3f2504e0-4f89-41d3-9a0c-0305e82c3301", "3F2504E0-4F89-41D3-9A0C-0305E82C3301",
            "not-an-upload", "..", "../../../../etc/passwd", "3f2504e0/4f89", ""})
    void status_unknownOrMalformedId_isBlobUploadUnknown(String id) {
        assertCode(() -> registry.uploads().status(repo, id), ErrorCode.BLOB_UPLOAD_UNKNOWN);
        assertCode(() -> registry.uploads().cancel(repo, id), ErrorCode.BLOB_UPLOAD_UNKNOWN);
        assertCode(() -> append(registry, id, new byte[1], -1), ErrorCode.BLOB_UPLOAD_UNKNOWN);
    }

    @Test
    void status_uploadOfAnotherRepository_isBlobUploadUnknown() throws IOException {
        String id = registry.uploads().start(other).id();

        assertCode(() -> registry.uploads().status(repo, id), ErrorCode.BLOB_UPLOAD_UNKNOWN);
        assertCode(() -> registry.uploads().complete(repo, id, InputStream.nullInputStream(), 0, sha256(new byte[0])),
                ErrorCode.BLOB_UPLOAD_UNKNOWN);
    }

    @Test
    void upload_survivesRestart_andCompletesOnTheNewRegistry() throws IOException {
        byte[] content = randomBytes(6, 900_000);
        String id = registry.uploads().start(repo).id();
        append(registry, id, slice(content, 0, 400_000), 0);

        Registry afterRestart = restarted();
        assertThat(afterRestart.uploads().status(repo, id).size()).isEqualTo(400_000);
        append(afterRestart, id, slice(content, 400_000, 800_000), 400_000);
        afterRestart.uploads().complete(repo, id, in(slice(content, 800_000, 900_000)), 100_000, sha256(content));

        assertBlobInRepository(repo, sha256(content), content);
        assertUploadGone(id);
    }

    @Test
    void upload_chunksAlternatingBetweenTwoRegistries_completesWithTheRightDigest() throws IOException {
        byte[] content = randomBytes(7, 3000);
        Registry second = restarted();
        String id = registry.uploads().start(repo).id();

        append(registry, id, slice(content, 0, 1000), 0);
        append(second, id, slice(content, 1000, 2000), 1000);
        append(registry, id, slice(content, 2000, 3000), 2000);

        assertThat(second.uploads().complete(repo, id, InputStream.nullInputStream(), 0, sha256(content)))
                .isEqualTo(3000);
        assertBlobInRepository(repo, sha256(content), content);
    }

    @ParameterizedTest(name = "same repository: {0}")
    @ValueSource(booleans = {true, false})
    void complete_sameBlobFrom8ThreadsAtOnce_endsConsistent(boolean sameRepository) throws Exception {
        int threads = 8;
        byte[] content = randomBytes(8, 300_000);
        Digest digest = sha256(content);
        List<RepositoryName> repos = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            repos.add(sameRepository ? repo : RepositoryName.parse("fleet/app-" + i));
        }
        CyclicBarrier bothAppended = new CyclicBarrier(threads);
        List<Future<Long>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (RepositoryName r : repos) {
                results.add(pool.submit((Callable<Long>) () -> {
                    String id = registry.uploads().start(r).id();
                    registry.uploads().append(r, id, in(content), 0, content.length);
                    bothAppended.await(60, TimeUnit.SECONDS);
                    return registry.uploads().complete(r, id, InputStream.nullInputStream(), 0, digest);
                }));
            }
            for (Future<Long> f : results) {
                assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(content.length);
            }
        }

        for (RepositoryName r : repos) {
            assertBlobInRepository(r, digest, content);
        }
        assertThat(driver.list(StorageLayout.blobDir(digest))).containsExactly(StorageLayout.blobData(digest));
        assertThat(uploadsLeft()).isEmpty();
    }

    @Test
    void put_sameTagFrom8ThreadsAtOnce_endsOnOneCompleteManifestThatEveryRegistrySees() throws Exception {
        int threads = 8;
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            images.add(image(repo, "layer of image " + i));
        }
        CyclicBarrier ready = new CyclicBarrier(threads);
        List<Future<Digest>> pushed = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (byte[] image : images) {
                pushed.add(pool.submit(() -> {
                    ready.await(60, TimeUnit.SECONDS);
                    return registry.manifests().put(repo, new Tag("latest"), image, MediaType.OCI_MANIFEST).digest();
                }));
            }
            for (Future<Digest> f : pushed) {
                f.get(120, TimeUnit.SECONDS);
            }
        }

        Registry fresh = restarted();
        StoredManifest tagged = fresh.manifests().get(repo, new Tag("latest"));
        assertThat(images).anySatisfy(image -> assertThat(tagged.payload()).isEqualTo(image));
        assertThat(registry.manifests().get(repo, new Tag("latest")).digest()).isEqualTo(tagged.digest());
        for (byte[] image : images) {
            Digest d = sha256(image);
            assertThat(fresh.manifests().get(repo, new DigestReference(d)).payload()).isEqualTo(image);
        }
        assertThat(fresh.tags().list(repo)).containsExactly("latest");
    }

    // ----------------------------------------------------------------------------- blobs and mounts

    @Test
    void stat_blobStoredButNotLinkedInTheRepository_isAbsent() throws IOException {
        Digest d = pushBlob(other, "only in other");

        assertThat(registry.blobs().size(d)).isPresent();
        assertThat(registry.repositoryBlobs().stat(repo, d)).isEmpty();
    }

    @Test
    void mount_blobLinkedInTheSource_linksItIntoTheTarget() throws IOException {
        byte[] content = "mount me".getBytes(UTF_8);
        Digest d = pushBlob(other, content);

        assertThat(registry.repositoryBlobs().mount(repo, other, d)).hasValue(content.length);

        assertBlobInRepository(repo, d, content);
        assertBlobInRepository(other, d, content);
    }

    @Test
    void mount_blobNotLinkedInTheSource_linksNothing() throws IOException {
        Digest d = pushBlob(RepositoryName.parse("third"), "stored elsewhere");

        assertThat(registry.repositoryBlobs().mount(repo, other, d)).isEmpty();
        assertThat(registry.repositoryBlobs().mount(repo, other, sha256("never stored".getBytes(UTF_8)))).isEmpty();

        assertThat(restarted().repositoryBlobs().stat(repo, d)).isEmpty();
        assertNoFile(StorageLayout.layerLink(repo, d));
    }

    @Test
    void unlink_removesOnlyThisRepositorysLink() throws IOException {
        Digest d = pushBlob(repo, "shared");
        registry.repositoryBlobs().mount(other, repo, d);

        assertThat(registry.repositoryBlobs().unlink(repo, d)).isTrue();
        assertThat(registry.repositoryBlobs().unlink(repo, d)).isFalse();

        assertThat(restarted().repositoryBlobs().stat(repo, d)).isEmpty();
        assertThat(restarted().repositoryBlobs().stat(other, d)).isPresent();
    }

    // ----------------------------------------------------------------------------- manifests

    @Test
    void put_byTag_isReadableByTagAndByDigest() throws IOException {
        byte[] payload = image(repo, "layer one");

        StoredManifest stored = registry.manifests().put(repo, new Tag("v1"), payload, MediaType.OCI_MANIFEST);

        assertThat(stored.digest()).isEqualTo(sha256(payload));
        for (Registry r : List.of(registry, restarted())) {
            for (Reference ref : List.of(new Tag("v1"), new DigestReference(sha256(payload)))) {
                StoredManifest got = r.manifests().get(repo, ref);
                assertThat(got.payload()).isEqualTo(payload);
                assertThat(got.digest()).isEqualTo(sha256(payload));
                assertThat(got.manifest().mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
            }
            assertThat(r.tags().list(repo)).containsExactly("v1");
        }
        assertThat(driver.getContent(StorageLayout.tagCurrentLink(repo, new Tag("v1"))))
                .asString(UTF_8).isEqualTo(sha256(payload).toString());
    }

    @Test
    void put_byDigest_storesWithoutATag() throws IOException {
        byte[] payload = image(repo, "layer");

        registry.manifests().put(repo, new DigestReference(sha256(payload)), payload, MediaType.OCI_MANIFEST);

        assertThat(restarted().manifests().get(repo, new DigestReference(sha256(payload))).payload())
                .isEqualTo(payload);
        assertThat(restarted().tags().list(repo)).isEmpty();
    }

    @Test
    void put_bySha512Digest_storesUnderTheSha512Digest() throws IOException {
        byte[] payload = image(repo, "layer");
        Digest sha512 = Digest.compute(Digest.Algorithm.SHA512, payload);

        StoredManifest stored = registry.manifests().put(repo, new DigestReference(sha512), payload, null);

        assertThat(stored.digest()).isEqualTo(sha512);
        assertThat(restarted().manifests().get(repo, new DigestReference(sha512)).payload()).isEqualTo(payload);
        assertThat(restarted().manifests().resolve(repo, new DigestReference(sha256(payload)))).isEmpty();
    }

    @Test
    void put_digestReferenceNotMatchingThePayload_isDigestInvalidAndStoresNothing() throws IOException {
        byte[] payload = image(repo, "layer");
        Digest wrong = sha256("not the payload".getBytes(UTF_8));

        assertCode(() -> registry.manifests().put(repo, new DigestReference(wrong), payload, MediaType.OCI_MANIFEST),
                ErrorCode.DIGEST_INVALID);

        assertThat(restarted().manifests().resolve(repo, new DigestReference(sha256(payload)))).isEmpty();
        assertThat(restarted().manifests().resolve(repo, new DigestReference(wrong))).isEmpty();
        assertThat(registry.blobs().size(sha256(payload))).isEmpty();
    }

    @Test
    void put_layerMissingFromTheRepository_isManifestBlobUnknown() throws IOException {
        byte[] payload = image(repo, "layer");
        RepositoryName bare = RepositoryName.parse("bare");

        // The blobs exist globally (linked in repo) but not in "bare".
        assertCode(() -> registry.manifests().put(bare, new Tag("v1"), payload, MediaType.OCI_MANIFEST),
                ErrorCode.MANIFEST_BLOB_UNKNOWN);

        assertThat(restarted().tags().list(bare)).isEmpty();
        assertThat(registry.blobs().size(sha256(payload))).isEmpty();
    }

    @Test
    void put_configMissing_isManifestBlobUnknown() throws IOException {
        Digest layer = pushBlob(repo, "layer");
        byte[] payload = manifestJson(null, descriptor(OCI_CONFIG, sha256("absent".getBytes(UTF_8)), 6),
                List.of(descriptor(OCI_LAYER, layer, 5)), null);

        assertCode(() -> registry.manifests().put(repo, new Tag("v1"), payload, MediaType.OCI_MANIFEST),
                ErrorCode.MANIFEST_BLOB_UNKNOWN);
    }

    @Test
    void put_foreignLayerWithAllowedUrls_needsNoBlob() throws IOException {
        Registry allowing = new Registry(driver, Registry.RegistryOptions.defaults().withManifestRules(
                ManifestRules.of(true, List.of("^https://example\\.com/"), List.of(), ManifestRules.IndexChildren.ALL,
                        java.util.Set.of())), JSON, CLOCK);
        byte[] payload = foreignLayerManifest("https://example.com/layer.tar.gz");

        allowing.manifests().put(repo, new Tag("win"), payload, MediaType.OCI_MANIFEST);

        assertThat(restarted().manifests().get(repo, new Tag("win")).payload()).isEqualTo(payload);
    }

    @Test
    void put_foreignLayer_byDefaultNoUrlIsAllowed_asInDistribution() throws IOException {
        byte[] payload = foreignLayerManifest("https://example.com/layer.tar.gz");

        assertCode(() -> registry.manifests().put(repo, new Tag("win"), payload, MediaType.OCI_MANIFEST),
                ErrorCode.MANIFEST_BLOB_UNKNOWN);
    }

    @Test
    void put_foreignLayer_validationDisabled_acceptsAnyWebUrlButNotOtherSchemes() throws IOException {
        Registry lenient = new Registry(driver, Registry.RegistryOptions.defaults().withManifestRules(
                ManifestRules.of(false, List.of(), List.of(), ManifestRules.IndexChildren.ALL, java.util.Set.of())),
                JSON, CLOCK);

        lenient.manifests().put(repo, new Tag("ok"), foreignLayerManifest("http://mirror.local/l"), MediaType.OCI_MANIFEST);
        assertCode(() -> lenient.manifests().put(repo, new Tag("file"), foreignLayerManifest("file:///etc/passwd"),
                MediaType.OCI_MANIFEST), ErrorCode.MANIFEST_BLOB_UNKNOWN);
    }

    private byte[] foreignLayerManifest(String url) throws IOException {
        Digest config = pushBlob(repo, "{}");
        ObjectNode foreign = descriptor(MediaType.DOCKER_FOREIGN_LAYER.value(), sha256("elsewhere".getBytes(UTF_8)), 9);
        foreign.putArray("urls").add(url);
        return manifestJson(null, descriptor(OCI_CONFIG, config, 2), List.of(foreign), null);
    }

    @Test
    void put_indexReferencesChildManifests() throws IOException {
        byte[] child = image(repo, "child");
        byte[] index = indexJson(List.of(child));

        assertCode(() -> registry.manifests().put(repo, new Tag("multi"), index, MediaType.OCI_INDEX),
                ErrorCode.MANIFEST_BLOB_UNKNOWN);

        registry.manifests().put(repo, new DigestReference(sha256(child)), child, MediaType.OCI_MANIFEST);
        registry.manifests().put(repo, new Tag("multi"), index, MediaType.OCI_INDEX);
        assertThat(restarted().manifests().get(repo, new Tag("multi")).manifest().manifests())
                .singleElement().satisfies(d -> assertThat(d.digest()).isEqualTo(sha256(child)));
    }

    @Test
    void put_childManifestOnlyInAnotherRepository_isManifestBlobUnknown() throws IOException {
        byte[] child = image(other, "child");
        registry.manifests().put(other, new DigestReference(sha256(child)), child, MediaType.OCI_MANIFEST);

        assertCode(() -> registry.manifests().put(repo, new Tag("multi"), indexJson(List.of(child)), MediaType.OCI_INDEX),
                ErrorCode.MANIFEST_BLOB_UNKNOWN);
    }

    @Test
    void put_invalidPayload_isManifestInvalid() {
        assertCode(() -> registry.manifests().put(repo, new Tag("v1"), "{}".getBytes(UTF_8), MediaType.OCI_MANIFEST),
                ErrorCode.MANIFEST_INVALID);
    }

    @Test
    void put_sameTagAgain_movesTheTagAndKeepsTheOldRevision() throws IOException {
        byte[] first = image(repo, "first");
        byte[] second = image(repo, "second");
        registry.manifests().put(repo, new Tag("latest"), first, MediaType.OCI_MANIFEST);

        registry.manifests().put(repo, new Tag("latest"), second, MediaType.OCI_MANIFEST);

        for (Registry r : List.of(registry, restarted())) {
            assertThat(r.manifests().get(repo, new Tag("latest")).payload()).isEqualTo(second);
            assertThat(r.manifests().get(repo, new DigestReference(sha256(first))).payload()).isEqualTo(first);
        }
        assertThat(driver.getContent(StorageLayout.tagIndexLink(repo, new Tag("latest"), sha256(first))))
                .asString(UTF_8).isEqualTo(sha256(first).toString());
        assertThat(driver.getContent(StorageLayout.tagIndexLink(repo, new Tag("latest"), sha256(second))))
                .asString(UTF_8).isEqualTo(sha256(second).toString());
    }

    @Test
    void get_unknownReference_isManifestUnknown() throws IOException {
        byte[] payload = image(other, "layer");
        registry.manifests().put(other, new Tag("v1"), payload, MediaType.OCI_MANIFEST);

        assertCode(() -> registry.manifests().get(repo, new Tag("v1")), ErrorCode.MANIFEST_UNKNOWN);
        assertCode(() -> registry.manifests().get(repo, new DigestReference(sha256(payload))),
                ErrorCode.MANIFEST_UNKNOWN);
        assertCode(() -> registry.manifests().get(other, new Tag("v2")), ErrorCode.MANIFEST_UNKNOWN);
    }

    @Test
    void delete_removesTheRevisionAndEveryTagPointingAtIt() throws IOException {
        byte[] doomed = image(repo, "doomed");
        byte[] kept = image(repo, "kept");
        registry.manifests().put(repo, new Tag("a"), doomed, MediaType.OCI_MANIFEST);
        registry.manifests().put(repo, new Tag("b"), doomed, MediaType.OCI_MANIFEST);
        registry.manifests().put(repo, new Tag("c"), kept, MediaType.OCI_MANIFEST);
        registry.manifests().get(repo, new Tag("a"));

        registry.manifests().delete(repo, sha256(doomed));

        for (Registry r : List.of(registry, restarted())) {
            assertThat(r.tags().list(repo)).containsExactly("c");
            assertCode(() -> r.manifests().get(repo, new Tag("a")), ErrorCode.MANIFEST_UNKNOWN);
            assertCode(() -> r.manifests().get(repo, new Tag("b")), ErrorCode.MANIFEST_UNKNOWN);
            assertCode(() -> r.manifests().get(repo, new DigestReference(sha256(doomed))), ErrorCode.MANIFEST_UNKNOWN);
            assertThat(r.manifests().get(repo, new Tag("c")).payload()).isEqualTo(kept);
        }
        assertNoFile(StorageLayout.revisionLink(repo, sha256(doomed)));
        assertCode(() -> registry.manifests().delete(repo, sha256(doomed)), ErrorCode.MANIFEST_UNKNOWN);
    }

    @Test
    void delete_inOneRepository_leavesTheSameManifestInAnother() throws IOException {
        byte[] payload = image(repo, "shared");
        registry.repositoryBlobs().mount(other, repo, configDigestOf(payload));
        registry.repositoryBlobs().mount(other, repo, sha256("shared".getBytes(UTF_8)));
        registry.manifests().put(repo, new Tag("v1"), payload, MediaType.OCI_MANIFEST);
        registry.manifests().put(other, new Tag("v1"), payload, MediaType.OCI_MANIFEST);

        registry.manifests().delete(repo, sha256(payload));

        assertThat(restarted().manifests().get(other, new Tag("v1")).payload()).isEqualTo(payload);
        assertCode(() -> restarted().manifests().get(repo, new Tag("v1")), ErrorCode.MANIFEST_UNKNOWN);
    }

    @Test
    void deleteTag_removesOnlyTheTag() throws IOException {
        byte[] payload = image(repo, "layer");
        registry.manifests().put(repo, new Tag("v1"), payload, MediaType.OCI_MANIFEST);
        registry.manifests().put(repo, new Tag("v2"), payload, MediaType.OCI_MANIFEST);
        registry.manifests().get(repo, new Tag("v1"));

        registry.manifests().deleteTag(repo, new Tag("v1"));

        for (Registry r : List.of(registry, restarted())) {
            assertThat(r.tags().list(repo)).containsExactly("v2");
            assertCode(() -> r.manifests().get(repo, new Tag("v1")), ErrorCode.MANIFEST_UNKNOWN);
            assertThat(r.manifests().get(repo, new DigestReference(sha256(payload))).payload()).isEqualTo(payload);
        }
        assertNoFile(StorageLayout.tagDir(repo, new Tag("v1")));
        assertCode(() -> registry.manifests().deleteTag(repo, new Tag("v1")), ErrorCode.MANIFEST_UNKNOWN);
    }

    @Test
    void tagsList_isInLexicalOrder() throws IOException {
        byte[] payload = image(repo, "layer");
        for (String t : List.of("v2", "latest", "v10", "A", "_x", "1.0", "v1.0-rc")) {
            registry.manifests().put(repo, new Tag(t), payload, MediaType.OCI_MANIFEST);
        }

        List<String> expected = List.of("1.0", "A", "_x", "latest", "v1.0-rc", "v10", "v2");
        assertThat(registry.tags().list(repo)).containsExactlyElementsOf(expected);
        assertThat(restarted().tags().list(repo)).containsExactlyElementsOf(expected);
        assertThat(registry.tags().list(RepositoryName.parse("nothing"))).isEmpty();
    }

    // ----------------------------------------------------------------------------- referrers

    @Test
    void referrers_listsTheRepositorysManifestsWithThatSubject() throws IOException {
        byte[] subject = image(repo, "subject");
        registry.manifests().put(repo, new Tag("v1"), subject, MediaType.OCI_MANIFEST);
        Digest s = sha256(subject);
        byte[] sbom = referrer(repo, "application/vnd.example.sbom", null, s, Map.of("kind", "sbom"));
        byte[] sig = referrer(repo, "application/vnd.example.sig", null, s, Map.of());
        byte[] typed = referrer(repo, null, "application/vnd.example.config+json", s, Map.of());
        byte[] elsewhere = referrer(other, "application/vnd.example.sbom", null, s, Map.of());
        for (byte[] m : List.of(sbom, sig, typed)) {
            registry.manifests().put(repo, new DigestReference(sha256(m)), m, MediaType.OCI_MANIFEST);
        }
        registry.manifests().put(other, new DigestReference(sha256(elsewhere)), elsewhere, MediaType.OCI_MANIFEST);

        for (Registry r : List.of(registry, restarted())) {
            List<Registry.ReferrerDescriptor> all = r.listings().referrers(repo, s, null);
            assertThat(all).extracting(Registry.ReferrerDescriptor::digest)
                    .containsExactlyElementsOf(sorted(sha256(sbom), sha256(sig), sha256(typed)));
            assertThat(all).allSatisfy(d -> assertThat(d.mediaType()).isEqualTo(MediaType.OCI_MANIFEST.value()));
            assertThat(r.listings().referrers(repo, s, "application/vnd.example.sbom")).singleElement().satisfies(d -> {
                assertThat(d.digest()).isEqualTo(sha256(sbom));
                assertThat(d.size()).isEqualTo(sbom.length);
                assertThat(d.artifactType()).isEqualTo("application/vnd.example.sbom");
                assertThat(d.annotations()).containsExactly(Map.entry("kind", "sbom"));
            });
            assertThat(r.listings().referrers(repo, s, "application/vnd.example.config+json"))
                    .extracting(Registry.ReferrerDescriptor::digest).containsExactly(sha256(typed));
            assertThat(r.listings().referrers(repo, s, "application/vnd.example.none")).isEmpty();
            assertThat(r.listings().referrers(repo, sha256(sbom), null)).isEmpty();
            assertThat(r.listings().referrers(other, s, null)).extracting(Registry.ReferrerDescriptor::digest)
                    .containsExactly(sha256(elsewhere));
        }
    }

    @Test
    void referrers_subjectNotPushedYet_areListedAnyway() throws IOException {
        Digest absent = sha256("a subject pushed later".getBytes(UTF_8));
        byte[] sig = referrer(repo, "application/vnd.example.sig", null, absent, Map.of());

        registry.manifests().put(repo, new Tag("sig"), sig, MediaType.OCI_MANIFEST);

        assertThat(restarted().listings().referrers(repo, absent, null)).extracting(Registry.ReferrerDescriptor::digest)
                .containsExactly(sha256(sig));
    }

    @Test
    void referrers_deletedReferrer_isNoLongerListed() throws IOException {
        Digest s = sha256("subject".getBytes(UTF_8));
        byte[] kept = referrer(repo, "application/vnd.example.a", null, s, Map.of());
        byte[] deleted = referrer(repo, "application/vnd.example.b", null, s, Map.of());
        registry.manifests().put(repo, new DigestReference(sha256(kept)), kept, MediaType.OCI_MANIFEST);
        registry.manifests().put(repo, new DigestReference(sha256(deleted)), deleted, MediaType.OCI_MANIFEST);

        registry.manifests().delete(repo, sha256(deleted));

        for (Registry r : List.of(registry, restarted())) {
            assertThat(r.listings().referrers(repo, s, null)).extracting(Registry.ReferrerDescriptor::digest)
                    .containsExactly(sha256(kept));
        }
    }

    // ----------------------------------------------------------------------------- catalog

    @Test
    void catalog_isInDistributionsPathOrder() throws IOException {
        List<String> names = List.of("b", "a_b", "a-b", "ab", "a/b/c", "a.b", "a", "a/b", "a0");
        for (String n : names) {
            pushBlob(RepositoryName.parse(n), "x");
        }
        // Distribution compares names component by component: "/" sorts before every other character.
        List<String> expected = List.of("a", "a/b", "a/b/c", "a-b", "a.b", "a0", "a_b", "ab", "b");

        assertThat(registry.repositories().page(null, 100)).containsExactlyElementsOf(expected);
        assertThat(restarted().repositories().page(null, 100)).containsExactlyElementsOf(expected);
    }

    @Test
    void catalog_pagesFollowOneAnotherWithoutGapsOrRepeats() throws IOException {
        for (String n : List.of("a", "a-b", "a/b", "a/b/c", "b", "c/d", "c-d")) {
            pushBlob(RepositoryName.parse(n), "x");
        }
        Registry r = restarted();
        List<String> all = r.repositories().page(null, 100);

        List<String> paged = new ArrayList<>();
        String last = null;
        while (true) {
            List<String> page = r.repositories().page(last, 2);
            paged.addAll(page);
            if (page.size() < 2 || !r.repositories().hasAfter(page.get(page.size() - 1))) {
                break;
            }
            last = page.get(page.size() - 1);
        }

        assertThat(paged).containsExactlyElementsOf(all).hasSize(7);
        assertThat(r.repositories().hasAfter(all.get(all.size() - 1))).isFalse();
        assertThat(r.repositories().page(all.get(all.size() - 1), 10)).isEmpty();
    }

    @Test
    void catalog_lastNotAName_startsAfterWhereItWouldSort() throws IOException {
        for (String n : List.of("a", "a-b", "a/b", "b")) {
            pushBlob(RepositoryName.parse(n), "x");
        }

        assertThat(registry.repositories().page("a/a", 10)).containsExactly("a/b", "a-b", "b");
        assertThat(registry.repositories().page("a.", 10)).containsExactly("b");
        assertThat(registry.repositories().page("0", 1)).containsExactly("a");
    }

    @Test
    void catalog_listsRepositoriesWithManifestsOrLayersButNotUploadsAlone() throws IOException {
        pushBlob(RepositoryName.parse("with-layers"), "x");
        byte[] emptyIndex = indexJson(List.of());
        registry.manifests().put(RepositoryName.parse("manifests-only"), new Tag("v1"), emptyIndex, MediaType.OCI_INDEX);
        registry.uploads().start(RepositoryName.parse("uploading"));

        assertThat(restarted().repositories().page(null, 10)).containsExactly("manifests-only", "with-layers");
    }

    @Test
    void catalog_afterFirstListing_includesRepositoriesCreatedLater() throws IOException {
        pushBlob(RepositoryName.parse("first"), "x");
        assertThat(registry.repositories().page(null, 10)).containsExactly("first");

        pushBlob(RepositoryName.parse("a/second"), "x");

        assertThat(registry.repositories().page(null, 10)).containsExactly("a/second", "first");
    }

    @Test
    void catalog_emptyStore_isEmpty() throws IOException {
        assertThat(registry.repositories().page(null, 10)).isEmpty();
    }

    // ----------------------------------------------------------------------------- persistence

    @Test
    void freshRegistry_overAPopulatedDriver_seesEverything() throws IOException {
        byte[] blob = "a plain blob".getBytes(UTF_8);
        Digest plain = pushBlob(other, blob);
        byte[] img = image(repo, "layer");
        registry.manifests().put(repo, new Tag("v1"), img, MediaType.OCI_MANIFEST);
        byte[] sig = referrer(repo, "application/vnd.example.sig", null, sha256(img), Map.of());
        registry.manifests().put(repo, new DigestReference(sha256(sig)), sig, MediaType.OCI_MANIFEST);
        String upload = registry.uploads().start(repo).id();
        append(registry, upload, new byte[42], 0);

        Registry fresh = restarted();

        assertThat(fresh.repositories().page(null, 10)).containsExactly("team/app", "team/other");
        assertThat(fresh.repositoryBlobs().stat(other, plain)).hasValue(blob.length);
        assertThat(fresh.tags().list(repo)).containsExactly("v1");
        assertThat(fresh.manifests().get(repo, new Tag("v1")).payload()).isEqualTo(img);
        assertThat(fresh.manifests().get(repo, new DigestReference(sha256(sig))).payload()).isEqualTo(sig);
        assertThat(fresh.listings().referrers(repo, sha256(img), null)).extracting(Registry.ReferrerDescriptor::digest)
                .containsExactly(sha256(sig));
        assertThat(fresh.uploads().status(repo, upload).size()).isEqualTo(42);
        assertThat(fresh.repositoryExists(repo)).isTrue();
        assertThat(fresh.repositoryExists(RepositoryName.parse("missing"))).isFalse();
    }

    // ----------------------------------------------------------------------------- helpers

    private static byte[] randomBytes(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] slice(byte[] content, int from, int to) {
        return Arrays.copyOfRange(content, from, to);
    }

    private static InputStream in(byte[] content) {
        return new ByteArrayInputStream(content);
    }

    private static Digest sha256(byte[] content) {
        return Digest.compute(Digest.Algorithm.SHA256, content);
    }

    private static List<Digest> sorted(Digest... digests) {
        List<Digest> out = new ArrayList<>(List.of(digests));
        out.sort(null);
        return out;
    }

    private UploadStatus append(Registry r, String id, byte[] chunk, long start) throws IOException {
        return r.uploads().append(repo, id, in(chunk), start, chunk.length);
    }

    private Digest pushBlob(RepositoryName into, String content) throws IOException {
        return pushBlob(into, content.getBytes(UTF_8));
    }

    private Digest pushBlob(RepositoryName into, byte[] content) throws IOException {
        Digest d = sha256(content);
        registry.uploads().putWhole(into, in(content), content.length, d);
        return d;
    }

    private static void assertCode(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
    }

    /** The blob is readable through the repository, by this registry and by a fresh one. */
    private void assertBlobInRepository(RepositoryName r, Digest d, byte[] content) throws IOException {
        for (Registry reg : List.of(registry, restarted())) {
            assertThat(reg.repositoryBlobs().stat(r, d)).hasValue(content.length);
            try (InputStream in = reg.blobs().open(d, 0)) {
                assertThat(in.readAllBytes()).isEqualTo(content);
            }
        }
        assertThat(driver.getContent(StorageLayout.layerLink(r, d))).asString(UTF_8).isEqualTo(d.toString());
    }

    private void assertUploadGone(String id) throws IOException {
        assertCode(() -> registry.uploads().status(repo, id), ErrorCode.BLOB_UPLOAD_UNKNOWN);
        assertCode(() -> restarted().uploads().status(repo, id), ErrorCode.BLOB_UPLOAD_UNKNOWN);
        assertNoFile(StorageLayout.uploadDir(repo, id));
    }

    private void assertNoFile(String path) {
        assertThatThrownBy(() -> driver.stat(path)).as(path).isInstanceOf(PathNotFoundException.class);
    }

    /** Every path below any repository's {@code _uploads}. */
    private List<String> uploadsLeft() throws IOException {
        List<String> left = new ArrayList<>();
        try {
            driver.walk(StorageLayout.REPOSITORIES, info -> {
                if (info.path().contains("/_uploads/")) {
                    left.add(info.path());
                }
                return WalkVisitor.Next.CONTINUE;
            });
        } catch (PathNotFoundException e) {
            return List.of();
        }
        return left;
    }

    private static ObjectNode descriptor(String mediaType, Digest digest, long size) {
        ObjectNode d = JSON.createObjectNode();
        d.put("mediaType", mediaType);
        d.put("digest", digest.toString());
        d.put("size", size);
        return d;
    }

    private static byte[] manifestJson(String artifactType, ObjectNode config, List<ObjectNode> layers,
            ObjectNode subject) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaType.OCI_MANIFEST.value());
        if (artifactType != null) {
            root.put("artifactType", artifactType);
        }
        root.set("config", config);
        layers.forEach(root.putArray("layers")::add);
        if (subject != null) {
            root.set("subject", subject);
        }
        return JSON.writeValueAsBytes(root);
    }

    /** An image manifest whose config and single layer are pushed into the repository. */
    private byte[] image(RepositoryName into, String layerText) throws IOException {
        byte[] config = ("{\"layer\":\"" + layerText + "\"}").getBytes(UTF_8);
        Digest c = pushBlob(into, config);
        Digest l = pushBlob(into, layerText);
        return manifestJson(null, descriptor(OCI_CONFIG, c, config.length),
                List.of(descriptor(OCI_LAYER, l, layerText.length())), null);
    }

    private static Digest configDigestOf(byte[] manifest) throws IOException {
        return Digest.parse(JSON.readTree(manifest).get("config").get("digest").asText());
    }

    /** An artifact manifest with the given subject; its config and layer are pushed into the repository. */
    private byte[] referrer(RepositoryName into, String artifactType, String configType, Digest subject,
            Map<String, String> annotations) throws IOException {
        byte[] configBytes = "{}".getBytes(UTF_8);
        Digest c = pushBlob(into, configBytes);
        byte[] layer = ("payload of " + artifactType + configType + annotations).getBytes(UTF_8);
        Digest l = pushBlob(into, layer);
        ObjectNode config = descriptor(configType != null ? configType : MediaType.OCI_EMPTY.value(), c, 2);
        ObjectNode root = (ObjectNode) JSON.readTree(manifestJson(artifactType, config,
                List.of(descriptor("application/octet-stream", l, layer.length)),
                descriptor(MediaType.OCI_MANIFEST.value(), subject, 123)));
        if (!annotations.isEmpty()) {
            ObjectNode a = root.putObject("annotations");
            annotations.forEach(a::put);
        }
        return JSON.writeValueAsBytes(root);
    }

    private static byte[] indexJson(List<byte[]> children) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaType.OCI_INDEX.value());
        var manifests = root.putArray("manifests");
        for (byte[] child : children) {
            manifests.add(descriptor(MediaType.OCI_MANIFEST.value(), sha256(child), child.length));
        }
        return JSON.writeValueAsBytes(root);
    }
}
