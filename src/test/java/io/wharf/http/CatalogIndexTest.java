package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.registry.RepositoryIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog is answered from an index kept in storage, one entry per repository: a data directory without one
 * (as Distribution writes it) is walked once and indexed; then listing costs one flat listing and no walk; pushes
 * and repository deletions keep the index current; a repository written behind Wharf's back (by Distribution on
 * the same storage) is reported by the index check and added by a rebuild.
 */
class CatalogIndexTest {
    private static final Path V2 = Path.of("docker/registry/v2");

    @TempDir
    Path dir;

    private static List<String> catalog(TestRegistry r) throws Exception {
        JsonNode page = TestRegistry.json(r.get("/v2/_catalog?n=1000"));
        List<String> names = new ArrayList<>();
        page.path("repositories").forEach(n -> names.add(n.asText()));
        return names;
    }

    private static long storageCalls(TestRegistry r, String action) {
        var timer = r.server().meters().find("registry.storage.action").tag("action", action).timer();
        return timer == null ? 0 : timer.count();
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Test
    void aDirectoryWithoutIndexIsIndexedOnce_thenListingIsOneFlatListing_keptCurrentByWrites() throws Exception {
        Path root = dir.resolve("data");
        try (TestRegistry first = TestRegistry.start(root)) {
            for (String repo : List.of("team/a", "team/b", "solo")) {
                first.pushImage(repo, "v1");
            }
        }
        // As Distribution leaves a data directory: no index.
        deleteTree(root.resolve(V2).resolve("_wharf"));

        try (TestRegistry r = TestRegistry.start(root)) {
            assertThat(catalog(r)).containsExactly("solo", "team/a", "team/b");
            assertThat(root.resolve(V2).resolve("_wharf/catalog.built")).exists();
            assertThat(root.resolve(V2).resolve("_wharf/catalog/team._.a")).hasContent("team/a");
        }
        try (TestRegistry r = TestRegistry.start(root)) {
            long walks = storageCalls(r, "Walk");
            assertThat(catalog(r)).containsExactly("solo", "team/a", "team/b");
            assertThat(storageCalls(r, "Walk")).as("walks of the storage to list repositories").isEqualTo(walks);

            r.pushImage("team/c", "v1");
            assertThat(root.resolve(V2).resolve("_wharf/catalog/team._.c")).exists();
            assertThat(r.delete("/admin/repositories/team/a").statusCode()).isEqualTo(202);
            assertThat(root.resolve(V2).resolve("_wharf/catalog/team._.a")).doesNotExist();
            assertThat(catalog(r)).containsExactly("solo", "team/b", "team/c");
        }
        try (TestRegistry r = TestRegistry.start(root)) {
            assertThat(catalog(r)).containsExactly("solo", "team/b", "team/c");
        }
    }

    @Test
    void aRepositoryWrittenBehindWharfsBack_isFoundByTheCheck_andAddedByARebuild() throws Exception {
        Path root = dir.resolve("data");
        try (TestRegistry r = TestRegistry.start(root)) {
            r.pushImage("team/a", "v1");
            assertThat(catalog(r)).containsExactly("team/a");
            // Distribution on the same storage writes a repository; it keeps no index.
            copyTree(root.resolve(V2).resolve("repositories/team/a"), root.resolve(V2).resolve("repositories/team/z"));

            RepositoryIndex index = r.server().registry().repositories();
            RepositoryIndex.Difference found = index.check();
            assertThat(found.missing()).containsExactly("team/z");
            assertThat(found.extra()).isEmpty();
            index.rebuild();
            assertThat(index.check().none()).isTrue();
            assertThat(catalog(r)).containsExactly("team/a", "team/z");
        }
    }

    @Test
    void aServerStartingOnEmptyStorage_neverWalksToList() throws Exception {
        Path root = dir.resolve("data");
        try (TestRegistry r = TestRegistry.start(root)) {
            for (String repo : List.of("x/one", "x/two")) {
                r.pushImage(repo, "v1");
            }
            long walks = storageCalls(r, "Walk");
            assertThat(catalog(r)).containsExactly("x/one", "x/two");
            assertThat(storageCalls(r, "Walk")).isEqualTo(walks);
        }
    }

    private static void deleteTree(Path p) throws Exception {
        try (Stream<Path> files = Files.walk(p)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
