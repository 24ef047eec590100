package io.wharf.spec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Manifest payloads are written with single quotes for readability; {@link #json} turns them into
 * JSON. {@code $A}..{@code $D} stand for four valid sha256 digests.
 */
class ManifestParserTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);
    private static final String D = "sha256:" + "d".repeat(64);
    private static final String EMPTY_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    private static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    private static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    private final ManifestParser parser = new ManifestParser(new ObjectMapper());

    static byte[] json(String singleQuoted) {
        return singleQuoted.replace('\'', '"').replace("$A", A).replace("$B", B).replace("$C", C).replace("$D", D)
                .replace("$EMPTY", EMPTY_DIGEST).getBytes(UTF_8);
    }

    static String ociManifestBody(String mediaTypeField, String configType, String extra) {
        return "{'schemaVersion':2," + mediaTypeField
                + "'config':{'mediaType':'" + configType + "','digest':'$A','size':7},"
                + "'layers':[{'mediaType':'" + OCI_LAYER + "','digest':'$B','size':32}]" + extra + "}";
    }

    static String ociManifest() {
        return ociManifestBody("'mediaType':'" + MediaType.OCI_MANIFEST + "',", OCI_CONFIG, "");
    }

    static String ociIndex(String mediaTypeField, String extra) {
        return "{'schemaVersion':2," + mediaTypeField + "'manifests':["
                + "{'mediaType':'" + MediaType.OCI_MANIFEST + "','digest':'$C','size':500,"
                + "'platform':{'architecture':'amd64','os':'linux'}},"
                + "{'mediaType':'" + MediaType.OCI_MANIFEST + "','digest':'$D','size':501}]" + extra + "}";
    }

    static String dockerManifest() {
        return "{'schemaVersion':2,'mediaType':'" + MediaType.DOCKER_MANIFEST + "',"
                + "'config':{'mediaType':'" + DOCKER_CONFIG + "','digest':'$A','size':7},"
                + "'layers':[{'mediaType':'" + DOCKER_LAYER + "','digest':'$B','size':32}]}";
    }

    static String dockerManifestList() {
        return "{'schemaVersion':2,'mediaType':'" + MediaType.DOCKER_MANIFEST_LIST + "','manifests':["
                + "{'mediaType':'" + MediaType.DOCKER_MANIFEST + "','digest':'$C','size':500,"
                + "'platform':{'architecture':'arm64','os':'linux','variant':'v8'}}]}";
    }

    static String artifact(String artifactTypeField) {
        return "{'schemaVersion':2,'mediaType':'" + MediaType.OCI_MANIFEST + "'," + artifactTypeField
                + "'config':{'mediaType':'" + MediaType.OCI_EMPTY + "','digest':'$EMPTY','size':2,'data':'e30='},"
                + "'layers':[{'mediaType':'application/spdx+json','digest':'$B','size':99}],"
                + "'subject':{'mediaType':'" + MediaType.OCI_MANIFEST + "','digest':'$C','size':500},"
                + "'annotations':{'org.opencontainers.image.created':'2026-01-01T00:00:00Z'}}";
    }

    // --- the four formats -------------------------------------------------------------------

    @Test
    void parse_ociManifest_givesConfigLayersAndConfigTypeAsArtifactType() {
        Manifest m = parser.parse(json(ociManifest()), MediaType.OCI_MANIFEST);

        assertThat(m.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
        assertThat(m.isIndex()).isFalse();
        assertThat(m.config().digest()).isEqualTo(Digest.parse(A));
        assertThat(m.config().size()).isEqualTo(7);
        assertThat(m.config().mediaType()).isEqualTo(new MediaType(OCI_CONFIG));
        assertThat(m.layers()).singleElement().satisfies(l -> {
            assertThat(l.digest()).isEqualTo(Digest.parse(B));
            assertThat(l.size()).isEqualTo(32);
            assertThat(l.mediaType()).isEqualTo(new MediaType(OCI_LAYER));
        });
        assertThat(m.manifests()).isEmpty();
        assertThat(m.subject()).isNull();
        assertThat(m.annotations()).isEmpty();
        assertThat(m.artifactType()).isEqualTo(OCI_CONFIG);
    }

    @Test
    void parse_ociIndex_givesChildrenAndNoArtifactType() {
        Manifest m = parser.parse(json(ociIndex("'mediaType':'" + MediaType.OCI_INDEX + "',", "")),
                MediaType.OCI_INDEX);

        assertThat(m.mediaType()).isEqualTo(MediaType.OCI_INDEX);
        assertThat(m.isIndex()).isTrue();
        assertThat(m.config()).isNull();
        assertThat(m.layers()).isEmpty();
        assertThat(m.manifests()).extracting(Descriptor::digest)
                .containsExactly(Digest.parse(C), Digest.parse(D));
        assertThat(m.artifactType()).isNull();
    }

    @Test
    void parse_ociIndexWithArtifactType_reportsIt() {
        Manifest m = parser.parse(json(ociIndex("'mediaType':'" + MediaType.OCI_INDEX + "',",
                ",'artifactType':'application/vnd.example.bundle'")), null);

        assertThat(m.artifactType()).isEqualTo("application/vnd.example.bundle");
    }

    @Test
    void parse_dockerSchema2Manifest_keepsTheDockerType() {
        Manifest m = parser.parse(json(dockerManifest()), MediaType.DOCKER_MANIFEST);

        assertThat(m.mediaType()).isEqualTo(MediaType.DOCKER_MANIFEST);
        assertThat(m.config().mediaType()).isEqualTo(new MediaType(DOCKER_CONFIG));
        assertThat(m.layers()).hasSize(1);
        assertThat(m.artifactType()).isEqualTo(DOCKER_CONFIG);
    }

    @Test
    void parse_dockerManifestList_isAnIndex() {
        Manifest m = parser.parse(json(dockerManifestList()), MediaType.DOCKER_MANIFEST_LIST);

        assertThat(m.mediaType()).isEqualTo(MediaType.DOCKER_MANIFEST_LIST);
        assertThat(m.isIndex()).isTrue();
        assertThat(m.manifests()).singleElement()
                .satisfies(d -> assertThat(d.mediaType()).isEqualTo(MediaType.DOCKER_MANIFEST));
        assertThat(m.artifactType()).isNull();
    }

    @Test
    void parse_artifactWithArtifactTypeAndEmptyConfig_reportsTheArtifactTypeSubjectAndAnnotations() {
        Manifest m = parser.parse(json(artifact("'artifactType':'application/vnd.example.sbom',")),
                MediaType.OCI_MANIFEST);

        assertThat(m.artifactType()).isEqualTo("application/vnd.example.sbom");
        assertThat(m.config().mediaType()).isEqualTo(MediaType.OCI_EMPTY);
        assertThat(m.config().digest()).isEqualTo(Digest.parse(EMPTY_DIGEST));
        assertThat(m.subject().digest()).isEqualTo(Digest.parse(C));
        assertThat(m.subject().mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
        assertThat(m.annotations()).containsExactly(Map.entry("org.opencontainers.image.created", "2026-01-01T00:00:00Z"));
    }

    @Test
    void parse_artifactWithoutArtifactType_fallsBackToTheConfigMediaType() {
        Manifest m = parser.parse(json(artifact("")), MediaType.OCI_MANIFEST);

        assertThat(m.artifactType()).isEqualTo(MediaType.OCI_EMPTY.value());
    }

    @Test
    void parse_imageManifestWithArtifactType_prefersItToTheConfigMediaType() {
        Manifest m = parser.parse(json(ociManifestBody("", OCI_CONFIG, ",'artifactType':'application/x.sig'")),
                MediaType.OCI_MANIFEST);

        assertThat(m.artifactType()).isEqualTo("application/x.sig");
    }

    @Test
    void parse_descriptorFields_areKept() {
        String body = "{'schemaVersion':2,'config':{'mediaType':'" + OCI_CONFIG + "','digest':'$A','size':0},"
                + "'layers':[{'mediaType':'" + MediaType.DOCKER_FOREIGN_LAYER + "','digest':'$B','size':1024,"
                + "'urls':['https://example.com/layer'],'annotations':{'k':'v'},'artifactType':'x/y'}]}";

        Descriptor layer = parser.parse(json(body), null).layers().get(0);

        assertThat(layer.urls()).containsExactly("https://example.com/layer");
        assertThat(layer.annotations()).containsExactly(Map.entry("k", "v"));
        assertThat(layer.artifactType()).isEqualTo("x/y");
        assertThat(layer.mediaType().isForeignLayer()).isTrue();
        assertThat(parser.parse(json(body), null).config().size()).isZero();
    }

    // --- where the media type comes from ----------------------------------------------------

    static Stream<Arguments> mediaTypeResolution() {
        String noTypeManifest = ociManifestBody("", OCI_CONFIG, "");
        String noTypeDockerManifest = ociManifestBody("", DOCKER_CONFIG, "");
        String noTypeIndex = ociIndex("", "");
        return Stream.of(
                Arguments.of("no mediaType, Content-Type OCI manifest", noTypeManifest, MediaType.OCI_MANIFEST,
                        MediaType.OCI_MANIFEST),
                Arguments.of("no mediaType, Content-Type Docker manifest", noTypeDockerManifest,
                        MediaType.DOCKER_MANIFEST, MediaType.DOCKER_MANIFEST),
                Arguments.of("no mediaType, Content-Type OCI index", noTypeIndex, MediaType.OCI_INDEX,
                        MediaType.OCI_INDEX),
                Arguments.of("no mediaType, Content-Type Docker list", noTypeIndex, MediaType.DOCKER_MANIFEST_LIST,
                        MediaType.DOCKER_MANIFEST_LIST),
                Arguments.of("no mediaType, no Content-Type, config shape", noTypeManifest, null,
                        MediaType.OCI_MANIFEST),
                Arguments.of("no mediaType, no Content-Type, manifests shape", noTypeIndex, null,
                        MediaType.OCI_INDEX),
                Arguments.of("no mediaType, generic Content-Type, config shape", noTypeManifest, MediaType.JSON,
                        MediaType.OCI_MANIFEST),
                Arguments.of("no mediaType, generic Content-Type, manifests shape", noTypeIndex,
                        new MediaType("application/octet-stream"), MediaType.OCI_INDEX),
                Arguments.of("mediaType field, no Content-Type", dockerManifest(), null, MediaType.DOCKER_MANIFEST),
                Arguments.of("mediaType field, generic Content-Type", dockerManifestList(), MediaType.JSON,
                        MediaType.DOCKER_MANIFEST_LIST),
                Arguments.of("mediaType field equal to Content-Type", ociManifest(), MediaType.OCI_MANIFEST,
                        MediaType.OCI_MANIFEST));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mediaTypeResolution")
    void parse_mediaType_comesFromContentTypeThenFieldThenShape(String why, String body, MediaType contentType,
            MediaType expected) {
        assertThat(parser.parse(json(body), contentType).mediaType()).isEqualTo(expected);
    }

    // --- refusals ---------------------------------------------------------------------------

    static Stream<Arguments> invalidManifests() {
        String layer = "{'mediaType':'" + OCI_LAYER + "','digest':'$B','size':32}";
        return Stream.of(
                // media type
                Arguments.of("Content-Type contradicts mediaType", ociManifest(), MediaType.DOCKER_MANIFEST),
                Arguments.of("Content-Type index, mediaType manifest", ociManifest(), MediaType.OCI_INDEX),
                Arguments.of("schema1 by Content-Type", ociManifest(), MediaType.DOCKER_SCHEMA1),
                Arguments.of("signed schema1 by Content-Type", ociManifest(), MediaType.DOCKER_SCHEMA1_SIGNED),
                Arguments.of("schema1 by mediaType", "{'schemaVersion':1,'mediaType':'"
                        + MediaType.DOCKER_SCHEMA1_SIGNED + "','name':'a','tag':'b','fsLayers':[]}", null),
                Arguments.of("schema1 by schemaVersion 1 alone",
                        "{'schemaVersion':1,'name':'a','tag':'b','architecture':'amd64','fsLayers':[],'history':[]}",
                        null),
                Arguments.of("schemaVersion 1 under an OCI Content-Type",
                        ociManifestBody("", OCI_CONFIG, "").replace("'schemaVersion':2", "'schemaVersion':1"),
                        MediaType.OCI_MANIFEST),
                Arguments.of("schemaVersion 3", ociManifest().replace("'schemaVersion':2", "'schemaVersion':3"), null),
                Arguments.of("schemaVersion 0", ociManifest().replace("'schemaVersion':2", "'schemaVersion':0"), null),
                Arguments.of("schemaVersion missing", ociManifest().replace("'schemaVersion':2,", ""), null),
                Arguments.of("schemaVersion as string", ociManifest().replace("'schemaVersion':2", "'schemaVersion':'2'"),
                        null),
                Arguments.of("schemaVersion as fraction",
                        ociManifest().replace("'schemaVersion':2", "'schemaVersion':2.5"), null),
                Arguments.of("unknown mediaType", ociManifestBody("'mediaType':'application/vnd.example+json',",
                        OCI_CONFIG, ""), null),
                Arguments.of("mediaType not a string", ociManifestBody("'mediaType':7,", OCI_CONFIG, ""), null),
                Arguments.of("mediaType blank", ociManifestBody("'mediaType':' ',", OCI_CONFIG, ""), null),
                Arguments.of("no mediaType and no shape", "{'schemaVersion':2,'layers':[" + layer + "]}", null),
                Arguments.of("artifactType not a string", ociManifestBody("", OCI_CONFIG, ",'artifactType':1"), null),
                // structure
                Arguments.of("image manifest without config",
                        "{'schemaVersion':2,'mediaType':'" + MediaType.OCI_MANIFEST + "','layers':[" + layer + "]}",
                        null),
                Arguments.of("config null", ociManifest().replaceFirst("'config':\\{[^}]*}", "'config':null"), null),
                Arguments.of("index without manifests",
                        "{'schemaVersion':2,'mediaType':'" + MediaType.OCI_INDEX + "'}", null),
                Arguments.of("manifests not an array",
                        "{'schemaVersion':2,'mediaType':'" + MediaType.OCI_INDEX + "','manifests':{}}", null),
                Arguments.of("Docker manifest without layers", dockerManifest().replaceFirst(",'layers':\\[.*]", ""),
                        null),
                Arguments.of("layers not an array", ociManifestBody("", OCI_CONFIG, "").replaceFirst(
                        "'layers':\\[.*]", "'layers':'" + B + "'"), null),
                Arguments.of("layer not an object", ociManifestBody("", OCI_CONFIG, "").replaceFirst(
                        "'layers':\\[.*]", "'layers':['" + B + "']"), null),
                // descriptors
                Arguments.of("descriptor without digest", ociManifest().replace("'digest':'$B',", ""), null),
                Arguments.of("descriptor with invalid digest", ociManifest().replace("$B", "sha256:abc"), null),
                Arguments.of("descriptor with uppercase digest", ociManifest().replace("$B", B.toUpperCase()), null),
                Arguments.of("descriptor digest not a string", ociManifest().replace("'$B'", "42"), null),
                Arguments.of("descriptor without mediaType",
                        ociManifest().replace("'mediaType':'" + OCI_LAYER + "',", ""), null),
                Arguments.of("descriptor with negative size", ociManifest().replace("'size':32", "'size':-1"), null),
                Arguments.of("descriptor with fractional size", ociManifest().replace("'size':32", "'size':1.5"), null),
                Arguments.of("descriptor with size 32.0", ociManifest().replace("'size':32", "'size':32.0"), null),
                Arguments.of("descriptor with size as string", ociManifest().replace("'size':32", "'size':'32'"), null),
                Arguments.of("descriptor without size", ociManifest().replace(",'size':32", ""), null),
                Arguments.of("descriptor with size beyond a long",
                        ociManifest().replace("'size':32", "'size':99999999999999999999"), null),
                Arguments.of("config with negative size", ociManifest().replace("'size':7", "'size':-7"), null),
                Arguments.of("index child without digest", ociIndex("", "").replace("'digest':'$D',", ""), null),
                Arguments.of("subject not an object", ociManifestBody("", OCI_CONFIG, ",'subject':'" + C + "'"), null),
                Arguments.of("subject without digest", ociManifestBody("", OCI_CONFIG,
                        ",'subject':{'mediaType':'" + MediaType.OCI_MANIFEST + "','size':1}"), null),
                Arguments.of("annotation value not a string",
                        ociManifestBody("", OCI_CONFIG, ",'annotations':{'a':1}"), null),
                Arguments.of("annotation value an object",
                        ociManifestBody("", OCI_CONFIG, ",'annotations':{'a':{'b':'c'}}"), null),
                Arguments.of("annotations not an object",
                        ociManifestBody("", OCI_CONFIG, ",'annotations':['a']"), null),
                Arguments.of("descriptor annotation not a string",
                        ociManifest().replace("'size':32", "'size':32,'annotations':{'a':true}"), null),
                // not a JSON object
                Arguments.of("JSON array", "[" + ociManifest() + "]", null),
                Arguments.of("JSON string", "'manifest'", null),
                Arguments.of("JSON number", "2", null),
                Arguments.of("JSON null", "null", null),
                Arguments.of("truncated JSON", ociManifest().substring(0, 40), null),
                Arguments.of("trailing comma", ociManifest().replace("}]}", "}],}"), null),
                Arguments.of("unquoted key", "{schemaVersion:2}", null),
                Arguments.of("trailing garbage after the object", ociManifest() + "garbage", null),
                Arguments.of("second object after the first", ociManifest() + ociManifest(), null),
                Arguments.of("empty body", "", null),
                Arguments.of("whitespace body", " \n\t ", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidManifests")
    void parse_invalidManifest_isManifestInvalid(String why, String body, MediaType contentType) {
        assertThatThrownBy(() -> parser.parse(json(body), contentType))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_INVALID));
    }

    @Test
    void parse_nonUtf8Bytes_isManifestInvalid() {
        byte[] body = {(byte) 0xff, (byte) 0xfe, '{', '}'};

        assertThatThrownBy(() -> parser.parse(body, null))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_INVALID));
    }

    @Test
    void parsePushed_withoutContentType_stillWantsUtf8WithoutAByteOrderMark() {
        byte[] manifest = json(ociManifest());
        byte[] withBom = new byte[manifest.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(manifest, 0, withBom, 3, manifest.length);
        byte[] utf16 = new String(manifest, UTF_8).getBytes(java.nio.charset.StandardCharsets.UTF_16LE);

        for (byte[] body : new byte[][] {withBom, utf16}) {
            assertThatThrownBy(() -> parser.parsePushed(body, null))
                    .isInstanceOfSatisfying(RegistryException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_INVALID));
        }
        assertThat(parser.parsePushed(manifest, null).mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
    }

    @Test
    void parse_ociManifestWithoutLayers_isAccepted() {
        // The OCI image spec lets artifacts omit layers; only Docker schema2 requires them.
        String body = "{'schemaVersion':2,'mediaType':'" + MediaType.OCI_MANIFEST + "','artifactType':'x/y',"
                + "'config':{'mediaType':'" + MediaType.OCI_EMPTY + "','digest':'$EMPTY','size':2}}";

        assertThat(parser.parse(json(body), null).layers()).isEmpty();
    }

    // --- what a parsed manifest holds -------------------------------------------------------

    @Test
    void parse_indexChildren_keepTheirPlatformAndNothingElseOfIt() {
        Manifest index = parser.parse(json(dockerManifestList()), null);

        assertThat(index.manifests().get(0).platform()).isEqualTo(new Platform("linux", "arm64", "v8"));
        assertThat(parser.parse(json(ociIndex("", "")), null).manifests().get(1).platform()).isEqualTo(Platform.NONE);
    }

    @Test
    void parse_aFieldTheFormatDoesNotUse_isNotChecked() {
        // An index's "layers" and "config" mean nothing to it: their problems do not refuse it.
        Manifest index = parser.parse(json(ociIndex("", ",'layers':[7],'config':'x'")), MediaType.OCI_INDEX);

        assertThat(index.manifests()).hasSize(2);
    }

    @Test
    void parse_reportsWhatTheParsedFormHolds_withinItsLimit() {
        byte[] body = json(ociIndex("", ",'annotations':{'org.opencontainers.image.created':'2026-01-01'}"));

        Manifest index = parser.parse(body, null);

        // At least the two children's digests as text (64 hex characters and a string's overhead each), and the
        // platform and annotation beside them; far below the limit.
        assertThat(index.footprint()).isBetween(2L * (64 + 40) + 100, ManifestParser.footprintLimit(body.length));
    }

    @Test
    void parse_manyTinyAnnotations_areRefusedForWhatTheyWouldHold() {
        StringBuilder notes = new StringBuilder();
        for (int i = 0; notes.length() < 100_000; i++) {
            notes.append(i == 0 ? "" : ",").append("'").append(Integer.toHexString(i)).append("':''");
        }
        byte[] body = json(ociManifestBody("", OCI_CONFIG, ",'annotations':{" + notes + "}"));

        assertThatThrownBy(() -> parser.parse(body, MediaType.OCI_MANIFEST))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
                    assertThat(e.getMessage()).contains("too many entries");
                });
    }

    @Test
    void parse_aLongAnnotation_isWithinTheLimit() {
        // One value as long as the whole payload: held once, as Latin-1 text.
        byte[] body = json(ociManifestBody("", OCI_CONFIG, ",'annotations':{'note':'" + "n".repeat(3_000_000) + "'}"));

        assertThat(parser.parse(body, MediaType.OCI_MANIFEST).annotations().get("note")).hasSize(3_000_000);
    }
}
