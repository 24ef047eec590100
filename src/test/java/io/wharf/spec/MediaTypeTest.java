package io.wharf.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MediaTypeTest {

    static Stream<Arguments> headers() {
        return Stream.of(
                Arguments.of("application/json", "application/json"),
                Arguments.of("Application/JSON", "application/json"),
                Arguments.of("APPLICATION/VND.OCI.IMAGE.MANIFEST.V1+JSON", MediaType.OCI_MANIFEST.value()),
                Arguments.of("application/json; charset=utf-8", "application/json"),
                Arguments.of("application/json;charset=UTF-8;q=0.5", "application/json"),
                Arguments.of("application/json;", "application/json"),
                Arguments.of("  application/json  ", "application/json"),
                Arguments.of("application/json ; charset=utf-8", "application/json"),
                Arguments.of("\tapplication/vnd.oci.image.index.v1+json\t", MediaType.OCI_INDEX.value()));
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @MethodSource("headers")
    void parseHeader_dropsParametersTrimsAndFoldsCase(String header, String expected) {
        assertThat(MediaType.parseHeader(header)).isEqualTo(new MediaType(expected));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", " ", "\t", ";charset=utf-8", " ; q=1"})
    void parseHeader_noTypeBeforeParameters_isNull(String header) {
        assertThat(MediaType.parseHeader(header)).isNull();
    }

    @Test
    void parseHeader_null_isNull() {
        assertThat(MediaType.parseHeader(null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " "})
    void new_blank_isRefused(String value) {
        assertThatThrownBy(() -> new MediaType(value)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MediaType(null)).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> classifications() {
        // type, isManifest, isIndex, isSchema1, isForeignLayer
        return Stream.of(
                Arguments.of(MediaType.OCI_MANIFEST, true, false, false, false),
                Arguments.of(MediaType.OCI_INDEX, true, true, false, false),
                Arguments.of(MediaType.DOCKER_MANIFEST, true, false, false, false),
                Arguments.of(MediaType.DOCKER_MANIFEST_LIST, true, true, false, false),
                Arguments.of(MediaType.DOCKER_SCHEMA1, false, false, true, false),
                Arguments.of(MediaType.DOCKER_SCHEMA1_SIGNED, false, false, true, false),
                Arguments.of(MediaType.DOCKER_FOREIGN_LAYER, false, false, false, true),
                Arguments.of(MediaType.OCI_NONDISTRIBUTABLE_LAYER, false, false, false, true),
                Arguments.of(MediaType.OCI_NONDISTRIBUTABLE_LAYER_GZIP, false, false, false, true),
                Arguments.of(MediaType.OCI_NONDISTRIBUTABLE_LAYER_ZSTD, false, false, false, true),
                Arguments.of(MediaType.OCI_EMPTY, false, false, false, false),
                Arguments.of(MediaType.JSON, false, false, false, false),
                Arguments.of(new MediaType("application/vnd.oci.image.layer.v1.tar+gzip"), false, false, false, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classifications")
    void predicates_classifyTheKnownTypes(MediaType type, boolean manifest, boolean index, boolean schema1,
            boolean foreign) {
        assertThat(type.isManifest()).as("isManifest").isEqualTo(manifest);
        assertThat(type.isIndex()).as("isIndex").isEqualTo(index);
        assertThat(type.isSchema1()).as("isSchema1").isEqualTo(schema1);
        assertThat(type.isForeignLayer()).as("isForeignLayer").isEqualTo(foreign);
    }

    @Test
    void parseHeader_manifestTypeWithParameters_isStillAManifestType() {
        assertThat(MediaType.parseHeader("application/vnd.docker.distribution.manifest.v2+json; charset=utf-8")
                .isManifest()).isTrue();
    }
}
