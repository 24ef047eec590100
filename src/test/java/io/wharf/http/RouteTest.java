package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTest {
    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
        "/v2, BASE, -, -",
        "/v2/, BASE, -, -",
        "/v2/_catalog, CATALOG, -, -",
        "/v2/a/b/blobs/uploads, UPLOAD_START, a/b, -",
        "/v2/a/b/blobs/uploads/, UPLOAD_START, a/b, -",
        "/v2/a/blobs/uploads/0b6c, UPLOAD, a, 0b6c",
        "/v2/a/blobs/sha256:ab, BLOB, a, sha256:ab",
        "/v2/a/manifests/latest, MANIFEST, a, latest",
        "/v2/a/tags/list, TAGS, a, -",
        "/v2/a/referrers/sha256:ab, REFERRERS, a, sha256:ab",
        // Names may contain the words of other shapes; the name is matched greedily.
        "/v2/blobs/manifests/v1, MANIFEST, blobs, v1",
        "/v2/x/blobs/uploads/manifests/v1, MANIFEST, x/blobs/uploads, v1",
        "/v2/manifests/blobs/sha256:ab, BLOB, manifests, sha256:ab",
        "/v2/tags/list/tags/list, TAGS, tags/list, -",
        "/v2/x/manifests/y/blobs/uploads/, UPLOAD_START, x/manifests/y, -",
        "/v2/referrers/referrers/d, REFERRERS, referrers, d",
    })
    void aPath_isTheFirstShapeItMatches_withTheNameAndArgument(String path, Route route, String name, String argument) {
        Route.Match m = Route.match(path);

        assertThat(m).isNotNull();
        assertThat(m.route()).isEqualTo(route);
        assertThat(m.argument()).isEqualTo(argument);
        if (name != null) {
            assertThat(m.repository().toString()).isEqualTo(name);
        }
    }

    @ParameterizedTest
    @CsvSource({"/v2/_catalog/x", "/v2x", "/v2/a/blobs", "/v2/a/manifests/", "/v2/a/tags/list/", "/v2/a/unknown/x",
        "/v2/a/blobs/uploads/a/b/c/blobs"})
    void aPathOfNoShape_matchesNothing(String path) {
        assertThat(Route.match(path)).isNull();
    }
}
