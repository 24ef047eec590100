package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.spec.MediaType;
import io.wharf.spec.Texts;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AcceptHeaderTest {
    private static final String DOCKER = MediaType.DOCKER_MANIFEST.value();
    private static final String OCI = MediaType.OCI_MANIFEST.value();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // What clients send: docker, containerd and skopeo list the manifest types they read.
        "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json | true",
        "application/vnd.oci.image.index.v1+json | false",
        "application/vnd.oci.image.index.v1+json;q=0.5, */*;q=0.1 | true",
        "application/json | true",
        "APPLICATION/VND.OCI.IMAGE.MANIFEST.V1+JSON | true",
        "  application/vnd.oci.image.manifest.v1+json ; q=1 | true",
        "application/* | true",
        "text/html, application/vnd.docker.distribution.manifest.list.v2+json | false",
        "application/vnd.oci.image.manifest.v1+jsonx | true",
        "',,,' | true",
    })
    void anOciManifest_isServedToWhatTheAcceptHeaderLists(String accept, boolean served) {
        assertThat(AcceptHeader.accepts(fields(accept), MediaType.OCI_MANIFEST)).isEqualTo(served);
    }

    @Test
    void everyAcceptHeaderCounts_andNoneAcceptsAnything() {
        assertThat(AcceptHeader.accepts(fields(), MediaType.OCI_MANIFEST)).isTrue();
        assertThat(AcceptHeader.accepts(fields(MediaType.OCI_INDEX.value(), OCI), MediaType.OCI_MANIFEST)).isTrue();
        assertThat(AcceptHeader.accepts(fields(MediaType.OCI_INDEX.value(), DOCKER), MediaType.OCI_MANIFEST))
                .isFalse();
    }

    /**
     * The scan against the way entries were read before it (Jetty's list of values, each split at commas and parsed
     * into a {@link MediaType}), for every header of up to four entries from pieces that reach each branch: blanks,
     * parameters, case, wildcards, empty entries, near misses, in one or two headers.
     */
    @Test
    void theScan_agreesWithParsingEachEntry() {
        List<String> pieces = List.of(OCI, " " + DOCKER.toUpperCase(), "*/*", "application/*;q=0", "text/plain",
                "", OCI + "x", ";" + DOCKER, MediaType.OCI_INDEX.value() + " ;q=0.9");
        List<String> headers = new ArrayList<>();
        Texts.everyJoinUpTo(pieces.stream().map(p -> p + ",").toList(), 3, h -> headers.add(h));
        Texts.everyJoinUpTo(pieces, 1, headers::add);
        int checked = 0;
        for (String first : headers) {
            for (String second : List.of("", "text/plain", DOCKER)) {
                HttpFields fields = second.isEmpty() ? fields(first) : fields(first, second);
                for (MediaType type : List.of(MediaType.OCI_MANIFEST, MediaType.DOCKER_MANIFEST, MediaType.JSON)) {
                    assertThat(AcceptHeader.accepts(fields, type)).as("%s for %s", fields, type)
                            .isEqualTo(byParsing(fields.getValuesList(HttpHeader.ACCEPT), type));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(7_000);
    }

    private static HttpFields fields(String... accepts) {
        HttpFields.Mutable fields = HttpFields.build();
        for (String a : accepts) {
            fields.add(HttpHeader.ACCEPT, a);
        }
        fields.add(HttpHeader.USER_AGENT, "docker/27");
        return fields;
    }

    /** How {@code AcceptHeader} read the values before it scanned them in place. */
    private static boolean byParsing(List<String> values, MediaType type) {
        if (values.isEmpty()) {
            return true;
        }
        boolean listsManifestTypes = false;
        for (String value : values) {
            for (String part : value.split(",")) {
                MediaType t = MediaType.parseHeader(part);
                if (t == null) {
                    continue;
                }
                if (t.value().equals("*/*") || t.value().equals("application/*") || t.equals(type)) {
                    return true;
                }
                listsManifestTypes |= t.isManifest();
            }
        }
        return !listsManifestTypes;
    }
}
