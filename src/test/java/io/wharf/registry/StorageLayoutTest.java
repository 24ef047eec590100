package io.wharf.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.Digest;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins every path of {@link StorageLayout} to the string CNCF Distribution uses
 * ({@code registry/storage/paths.go}), so that a data directory stays shareable with it.
 */
class StorageLayoutTest {
    private static final String HEX = "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789";
    private static final Digest SHA256 = Digest.parse("sha256:" + HEX);
    private static final String HEX512 = "0f" + "e".repeat(126);
    private static final Digest SHA512 = Digest.parse("sha512:" + HEX512);
    private static final String OTHER_HEX = "11" + "2".repeat(62);
    private static final Digest OTHER = Digest.parse("sha256:" + OTHER_HEX);
    private static final RepositoryName NAME = RepositoryName.parse("library/ubuntu");
    private static final Tag TAG = new Tag("latest");
    private static final String UPLOAD = "8f0e2a4c-1b3d-4e5f-9a7b-6c5d4e3f2a1b";

    private static final String V2 = "/docker/registry/v2";
    private static final String REPO = V2 + "/repositories/library/ubuntu";

    static Stream<Arguments> paths() {
        return Stream.of(
                row("ROOT", () -> StorageLayout.ROOT, V2),
                row("BLOBS", () -> StorageLayout.BLOBS, V2 + "/blobs"),
                row("REPOSITORIES", () -> StorageLayout.REPOSITORIES, V2 + "/repositories"),
                row("blobDir", () -> StorageLayout.blobDir(SHA256), V2 + "/blobs/sha256/ab/" + HEX),
                row("blobData", () -> StorageLayout.blobData(SHA256), V2 + "/blobs/sha256/ab/" + HEX + "/data"),
                row("blobData", () -> StorageLayout.blobData(SHA512), V2 + "/blobs/sha512/0f/" + HEX512 + "/data"),
                row("repository", () -> StorageLayout.repository(NAME), REPO),
                row("repository", () -> StorageLayout.repository(RepositoryName.parse("a")), V2 + "/repositories/a"),
                row("layersDir", () -> StorageLayout.layersDir(NAME), REPO + "/_layers"),
                row("layerLinkDir", () -> StorageLayout.layerLinkDir(NAME, SHA256), REPO + "/_layers/sha256/" + HEX),
                row("layerLink", () -> StorageLayout.layerLink(NAME, SHA256), REPO + "/_layers/sha256/" + HEX + "/link"),
                row("layerLink", () -> StorageLayout.layerLink(NAME, SHA512),
                        REPO + "/_layers/sha512/" + HEX512 + "/link"),
                row("manifestsDir", () -> StorageLayout.manifestsDir(NAME), REPO + "/_manifests"),
                row("revisionDir", () -> StorageLayout.revisionDir(NAME, SHA256),
                        REPO + "/_manifests/revisions/sha256/" + HEX),
                row("revisionLink", () -> StorageLayout.revisionLink(NAME, SHA256),
                        REPO + "/_manifests/revisions/sha256/" + HEX + "/link"),
                row("tagsDir", () -> StorageLayout.tagsDir(NAME), REPO + "/_manifests/tags"),
                row("tagDir", () -> StorageLayout.tagDir(NAME, TAG), REPO + "/_manifests/tags/latest"),
                row("tagCurrentLink", () -> StorageLayout.tagCurrentLink(NAME, TAG),
                        REPO + "/_manifests/tags/latest/current/link"),
                row("tagIndexLink", () -> StorageLayout.tagIndexLink(NAME, TAG, SHA256),
                        REPO + "/_manifests/tags/latest/index/sha256/" + HEX + "/link"),
                row("uploadsDir", () -> StorageLayout.uploadsDir(NAME), REPO + "/_uploads"),
                row("uploadDir", () -> StorageLayout.uploadDir(NAME, UPLOAD), REPO + "/_uploads/" + UPLOAD),
                row("uploadData", () -> StorageLayout.uploadData(NAME, UPLOAD), REPO + "/_uploads/" + UPLOAD + "/data"),
                row("uploadStartedAt", () -> StorageLayout.uploadStartedAt(NAME, UPLOAD),
                        REPO + "/_uploads/" + UPLOAD + "/startedat"),
                // Wharf's own: Distribution skips unknown directories that start with an underscore.
                row("referrersDir", () -> StorageLayout.referrersDir(NAME, SHA256),
                        REPO + "/_referrers/sha256/" + HEX),
                row("referrerLink", () -> StorageLayout.referrerLink(NAME, SHA256, OTHER),
                        REPO + "/_referrers/sha256/" + HEX + "/sha256/" + OTHER_HEX + "/link"),
                row("revisionsDir", () -> StorageLayout.revisionsDir(NAME), REPO + "/_manifests/revisions"),
                // Wharf's own records beside blobs and repositories, which Distribution never walks.
                row("WHARF", () -> StorageLayout.WHARF, V2 + "/_wharf"),
                row("LEASES", () -> StorageLayout.LEASES, V2 + "/_wharf/leases"),
                row("lease", () -> StorageLayout.lease("server-1"), V2 + "/_wharf/leases/server-1"),
                row("gcLock", StorageLayout::gcLock, V2 + "/_wharf/gc.lock"),
                row("gcLast", StorageLayout::gcLast, V2 + "/_wharf/gc/last.json"),
                row("gcPlanned", StorageLayout::gcPlanned, V2 + "/_wharf/gc/scheduled.json"),
                row("copyLock", StorageLayout::copyLock, V2 + "/_wharf/copy.lock"),
                row("copyStaging", () -> StorageLayout.copyStaging("x"), V2 + "/_wharf/staging/x"),
                row("pullRecords", () -> StorageLayout.pullRecords(NAME), V2 + "/_wharf/pulls/library/ubuntu/_tags"),
                row("pullRecord", () -> StorageLayout.pullRecord(NAME, TAG),
                        V2 + "/_wharf/pulls/library/ubuntu/_tags/latest"),
                row("quarantine", () -> StorageLayout.quarantine(SHA256), V2 + "/_wharf/quarantine/sha256/" + HEX + "/data"),
                row("CATALOG", () -> StorageLayout.CATALOG, V2 + "/_wharf/catalog"),
                row("catalogEntry", () -> StorageLayout.catalogEntry(NAME), V2 + "/_wharf/catalog/library._.ubuntu"),
                row("catalogBuilt", StorageLayout::catalogBuilt, V2 + "/_wharf/catalog.built"));
    }

    private static Arguments row(String member, Supplier<String> path, String expected) {
        return Arguments.of(member, path, expected);
    }

    @ParameterizedTest(name = "{0} = {2}")
    @MethodSource("paths")
    void path_isDistributionsPath(String member, Supplier<String> path, String expected) {
        assertThat(path.get()).isEqualTo(expected);
    }

    @Test
    void table_pinsEveryPublicMemberOfTheLayout() {
        Set<String> pinned = paths().map(a -> (String) a.get()[0]).collect(Collectors.toSet());
        Stream<String> methods = Arrays.stream(StorageLayout.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()))
                .map(Method::getName);
        Stream<String> fields = Arrays.stream(StorageLayout.class.getDeclaredFields())
                .filter(f -> Modifier.isPublic(f.getModifiers()) && Modifier.isStatic(f.getModifiers()))
                .map(f -> f.getName());

        assertThat(pinned).containsExactlyInAnyOrderElementsOf(
                Stream.concat(methods, fields).collect(Collectors.toSet()));
    }

    @Test
    void blobDirectories_lieOneLevelBelowTheShardsTheSweepWalks() {
        String relative = StorageLayout.blobDir(SHA256).substring(StorageLayout.BLOBS.length() + 1);

        assertThat(relative.split("/")).hasSize(StorageLayout.BLOB_SHARD_LEVELS + 1)
                .containsExactly("sha256", HEX.substring(0, 2), HEX);
    }

    @Test
    void tagIndexDigestOf_readsOnlyTagHistoryLinks() {
        assertThat(StorageLayout.tagIndexDigestOf(NAME, StorageLayout.tagIndexLink(NAME, TAG, SHA256)))
                .isEqualTo(SHA256);
        assertThat(StorageLayout.tagIndexDigestOf(NAME, StorageLayout.tagIndexLink(NAME, TAG, SHA512)))
                .isEqualTo(SHA512);
        assertThat(StorageLayout.tagIndexDigestOf(NAME, StorageLayout.tagCurrentLink(NAME, TAG))).isNull();
        assertThat(StorageLayout.tagIndexDigestOf(NAME, StorageLayout.revisionLink(NAME, SHA256))).isNull();
        assertThat(StorageLayout.tagIndexDigestOf(RepositoryName.parse("other"),
                StorageLayout.tagIndexLink(NAME, TAG, SHA256))).isNull();
    }

    @Test
    void blobDigestOf_readsOnlyBlobDataPaths() {
        assertThat(StorageLayout.blobDigestOf(StorageLayout.blobData(SHA256))).isEqualTo(SHA256);
        assertThat(StorageLayout.blobDigestOf(StorageLayout.blobData(SHA512))).isEqualTo(SHA512);
        assertThat(StorageLayout.blobDigestOf(V2 + "/blobs/sha256/zz/" + HEX + "/data")).isNull();
        assertThat(StorageLayout.blobDigestOf(V2 + "/blobs/sha256/ab/" + HEX + "/link")).isNull();
        assertThat(StorageLayout.blobDigestOf(StorageLayout.layerLink(NAME, SHA256))).isNull();
    }

    @Test
    void linkPaths_endInTheirDirectory() {
        assertThat(StorageLayout.layerLink(NAME, SHA256)).isEqualTo(StorageLayout.layerLinkDir(NAME, SHA256) + "/link");
        assertThat(StorageLayout.revisionLink(NAME, SHA256)).isEqualTo(StorageLayout.revisionDir(NAME, SHA256) + "/link");
        assertThat(StorageLayout.tagCurrentLink(NAME, TAG)).startsWith(StorageLayout.tagDir(NAME, TAG) + "/");
        assertThat(StorageLayout.referrerLink(NAME, SHA256, OTHER))
                .startsWith(StorageLayout.referrersDir(NAME, SHA256) + "/");
    }

    @Test
    void catalogEntries_nameTheirRepository_andALongNameIsHashed() {
        assertThat(StorageLayout.catalogName("library._.ubuntu")).contains("library/ubuntu");
        assertThat(StorageLayout.catalogName("a._.b._.c-d.e")).contains("a/b/c-d.e");
        RepositoryName longName = RepositoryName.parse("a/".repeat(120) + "z");
        String entry = StorageLayout.catalogEntry(longName);
        String file = entry.substring(entry.lastIndexOf('/') + 1);
        assertThat(file).hasSize(66).startsWith("h.");
        assertThat(StorageLayout.hashedCatalogEntry(file)).isTrue();
        assertThat(StorageLayout.catalogName(file)).isEmpty();
    }
}
