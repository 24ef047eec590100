package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.RegistryException;
import io.wharf.spec.Texts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
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

    /** The shapes as the regular expressions routing used before it was written as a scan, in their order. */
    private static final Map<Route, Pattern> SHAPES = shapes();

    private static Map<Route, Pattern> shapes() {
        Map<Route, Pattern> shapes = new LinkedHashMap<>();
        shapes.put(Route.BASE, Pattern.compile("/v2/?"));
        shapes.put(Route.CATALOG, Pattern.compile("/v2/_catalog"));
        shapes.put(Route.UPLOAD_START, Pattern.compile("/v2/(.+)/blobs/uploads/?"));
        shapes.put(Route.UPLOAD, Pattern.compile("/v2/(.+)/blobs/uploads/([^/]+)"));
        shapes.put(Route.BLOB, Pattern.compile("/v2/(.+)/blobs/([^/]+)"));
        shapes.put(Route.MANIFEST, Pattern.compile("/v2/(.+)/manifests/([^/]+)"));
        shapes.put(Route.TAGS, Pattern.compile("/v2/(.+)/tags/list"));
        shapes.put(Route.REFERRERS, Pattern.compile("/v2/(.+)/referrers/([^/]+)"));
        return shapes;
    }

    @Test
    void everyPathOfUpToFivePieces_routesAsTheShapesRegularExpressionsDo() {
        List<String> pieces = List.of("/a", "/blobs", "/uploads", "/manifests", "/tags", "/list", "/referrers",
                "/_catalog", "/", "a", "\n");
        List<String> disagreements = new ArrayList<>();
        int[] routed = {0};
        Texts.everyJoinUpTo(pieces, 5, tail -> {
            String path = "/v2" + tail;
            String expected = null;
            for (Map.Entry<Route, Pattern> shape : SHAPES.entrySet()) {
                Matcher m = shape.getValue().matcher(path);
                if (m.matches()) {
                    expected = shape.getKey() + " " + (m.groupCount() >= 1 ? nameOrError(m.group(1)) : null)
                            + " " + (m.groupCount() >= 2 ? m.group(2) : null);
                    break;
                }
            }
            Route.Match actual = Route.match(path);
            String got = actual == null ? null : actual.route() + " " + nameOf(actual) + " " + actual.argument();
            if (!Objects.equals(expected, got)) {
                disagreements.add(path + " -> " + got + ", expected " + expected);
            }
            routed[0] += expected != null ? 1 : 0;
        });

        assertThat(disagreements).isEmpty();
        assertThat(routed[0]).as("the pieces reach the shapes often").isGreaterThan(10_000);
    }

    private static String nameOrError(String raw) {
        try {
            return io.wharf.spec.RepositoryName.parse(raw).value();
        } catch (RegistryException e) {
            return e.code().toString();
        }
    }

    private static String nameOf(Route.Match m) {
        if (m.route() == Route.BASE || m.route() == Route.CATALOG) {
            return null;
        }
        try {
            return m.repository().value();
        } catch (RegistryException e) {
            return e.code().toString();
        }
    }
}
