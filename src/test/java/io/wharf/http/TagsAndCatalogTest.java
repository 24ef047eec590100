package io.wharf.http;

import static io.wharf.http.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.config.RegistryConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** end-8a/8b (tag lists) and {@code /v2/_catalog}, with their paging. */
class TagsAndCatalogTest {
    static final String REPO = "tags/repo";
    @TempDir
    Path root;

    private static List<String> list(HttpResponse<byte[]> res, String field) {
        assertThat(res.statusCode()).as(TestRegistry.text(res)).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        JsonNode array = TestRegistry.json(res).get(field);
        assertThat(array.isArray()).as("%s is an array in %s", field, TestRegistry.text(res)).isTrue();
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Pushes one image and tags it with every name. */
    private static void tag(TestRegistry r, String repo, String... tags) throws Exception {
        TestRegistry.Image image = r.pushImage(repo, tags[0]);
        for (int i = 1; i < tags.length; i++) {
            r.pushManifest(repo, tags[i], Manifests.OCI_MANIFEST, image.manifest());
        }
    }

    @Test
    void tags_areListedInLexicalOrderWithTheName() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            tag(r, REPO, "v2", "latest", "V1", "v10", "1.0", "_x");
            var res = r.get("/v2/" + REPO + "/tags/list");
            assertThat(TestRegistry.json(res).get("name").asText()).isEqualTo(REPO);
            assertThat(list(res, "tags")).containsExactly("1.0", "V1", "_x", "latest", "v10", "v2");
            assertThat(res.headers().firstValue("Link")).isEmpty();
        }
    }

    @Test
    void tagsPagedByN_linkToTheNextPageOnlyWhenThereIsMore() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            tag(r, REPO, "a", "b", "c", "d", "e");
            var first = r.get("/v2/" + REPO + "/tags/list?n=2");
            assertThat(list(first, "tags")).containsExactly("a", "b");
            assertThat(first.headers().firstValue("Link"))
                    .contains("</v2/" + REPO + "/tags/list?last=b&n=2>; rel=\"next\"");
            var second = r.get("/v2/" + REPO + "/tags/list?last=b&n=2");
            assertThat(list(second, "tags")).containsExactly("c", "d");
            assertThat(second.headers().firstValue("Link"))
                    .contains("</v2/" + REPO + "/tags/list?last=d&n=2>; rel=\"next\"");
            var third = r.get("/v2/" + REPO + "/tags/list?last=d&n=2");
            assertThat(list(third, "tags")).containsExactly("e");
            assertThat(third.headers().firstValue("Link")).isEmpty();
            var exact = r.get("/v2/" + REPO + "/tags/list?n=5");
            assertThat(list(exact, "tags")).hasSize(5);
            assertThat(exact.headers().firstValue("Link")).isEmpty();
        }
    }

    @Test
    void followingTheLinkHeader_walksEveryTagOnce() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            tag(r, REPO, "t1", "t2", "t3", "t4", "t5", "t6", "t7");
            List<String> seen = new ArrayList<>();
            String next = "/v2/" + REPO + "/tags/list?n=3";
            int pages = 0;
            while (next != null) {
                var res = r.get(next);
                seen.addAll(list(res, "tags"));
                next = res.headers().firstValue("Link").map(l -> l.substring(1, l.indexOf('>'))).orElse(null);
                pages++;
            }
            assertThat(seen).containsExactly("t1", "t2", "t3", "t4", "t5", "t6", "t7");
            assertThat(pages).isEqualTo(3);
        }
    }

    @Test
    void lastWithoutN_listsTheTagsAfterIt() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            tag(r, REPO, "a", "b", "c");
            assertThat(list(r.get("/v2/" + REPO + "/tags/list?last=a"), "tags")).containsExactly("b", "c");
            assertThat(list(r.get("/v2/" + REPO + "/tags/list?last=bb"), "tags")).containsExactly("c");
            assertThat(list(r.get("/v2/" + REPO + "/tags/list?last=c"), "tags")).isEmpty();
        }
    }

    @Test
    void nZero_isAnEmptyList() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            tag(r, REPO, "a", "b");
            var res = r.get("/v2/" + REPO + "/tags/list?n=0");
            assertThat(list(res, "tags")).isEmpty();
            assertThat(TestRegistry.json(res).get("name").asText()).isEqualTo(REPO);
        }
    }

    @Test
    void badN_is400PaginationNumberInvalid() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            tag(r, REPO, "a");
            assertError(r.get("/v2/" + REPO + "/tags/list?n=abc"), 400, "PAGINATION_NUMBER_INVALID");
            assertError(r.get("/v2/" + REPO + "/tags/list?n=-1"), 400, "PAGINATION_NUMBER_INVALID");
            assertError(r.get("/v2/_catalog?n=x"), 400, "PAGINATION_NUMBER_INVALID");
        }
    }

    @Test
    void nLargerThanAnInt_isServedAsAllTags() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            tag(r, REPO, "a", "b");
            var res = r.get("/v2/" + REPO + "/tags/list?n=10000000000");
            assertThat(list(res, "tags")).containsExactly("a", "b");
            assertThat(res.headers().firstValue("Link")).isEmpty();
        }
    }

    @Test
    void repositoryWhoseTagsWereAllDeleted_listsNoTags() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            tag(r, REPO, "only");
            assertThat(r.delete("/v2/" + REPO + "/manifests/only").statusCode()).isEqualTo(202);
            var res = r.get("/v2/" + REPO + "/tags/list");
            assertThat(TestRegistry.text(res)).isEqualTo("{\"name\":\"" + REPO + "\",\"tags\":[]}");
        }
    }

    @Test
    void repositoryWithBlobsButNoTags_listsNoTags() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            r.pushBlob(REPO, TestRegistry.utf8("only a blob"));
            assertThat(list(r.get("/v2/" + REPO + "/tags/list"), "tags")).isEmpty();
        }
    }

    @Test
    void unknownRepository_is404NameUnknown() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            tag(r, REPO, "a");
            assertError(r.get("/v2/no/such/repo/tags/list"), 404, "NAME_UNKNOWN");
            assertError(r.get("/v2/tags/tags/list"), 404, "NAME_UNKNOWN");
        }
    }

    @Test
    void emptyCatalog_isAnEmptyList() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            assertThat(TestRegistry.text(r.get("/v2/_catalog"))).isEqualTo("{\"repositories\":[]}");
        }
    }

    @Test
    void catalog_listsRepositoriesInLexicalOrderComponentByComponent() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            r.pushImage("b/app", "v1");
            r.pushBlob("a-lib", TestRegistry.utf8("blob only"));
            r.pushImage("a/app", "v1");
            var res = r.get("/v2/_catalog");
            // Distribution's order: names compared one path component at a time, so "a/app" precedes "a-lib".
            assertThat(list(res, "repositories")).containsExactly("a/app", "a-lib", "b/app");
            assertThat(res.headers().firstValue("Link")).isEmpty();
        }
    }

    @Test
    void catalogPagedByN_linksToTheNextPage() throws Exception {
        try (TestRegistry r = TestRegistry.start(root)) {
            for (String repo : List.of("r1", "r2", "r3")) {
                r.pushBlob(repo, TestRegistry.utf8(repo));
            }
            var first = r.get("/v2/_catalog?n=2");
            assertThat(list(first, "repositories")).containsExactly("r1", "r2");
            assertThat(first.headers().firstValue("Link")).contains("</v2/_catalog?last=r2&n=2>; rel=\"next\"");
            var second = r.get("/v2/_catalog?last=r2&n=2");
            assertThat(list(second, "repositories")).containsExactly("r3");
            assertThat(second.headers().firstValue("Link")).isEmpty();
            assertThat(list(r.get("/v2/_catalog?n=0"), "repositories")).isEmpty();
        }
    }

    @Test
    void catalogMaxEntries_limitsAPageAndLinksToTheRest() throws Exception {
        try (TestRegistry r = TestRegistry.start(root, c -> new RegistryConfig(c.log(), c.storage(), c.http(),
                new RegistryConfig.Catalog(2), c.validation()))) {
            for (String repo : List.of("r1", "r2", "r3", "r4", "r5")) {
                r.pushBlob(repo, TestRegistry.utf8(repo));
            }
            var first = r.get("/v2/_catalog");
            assertThat(list(first, "repositories")).containsExactly("r1", "r2");
            String link = first.headers().firstValue("Link").orElseThrow();
            assertThat(link).isEqualTo("</v2/_catalog?last=r2&n=2>; rel=\"next\"");
            var second = r.get(link.substring(1, link.indexOf('>')));
            assertThat(list(second, "repositories")).containsExactly("r3", "r4");
            var third = r.get("/v2/_catalog?last=r4&n=2");
            assertThat(list(third, "repositories")).containsExactly("r5");
            assertThat(third.headers().firstValue("Link")).isEmpty();
        }
    }
}
