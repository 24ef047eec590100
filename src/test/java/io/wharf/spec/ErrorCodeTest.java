package io.wharf.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorCodeTest {
    /** The status of every code: the spec's and Distribution's choices (errcode/register.go, api/v2/errors.go). */
    private static final Map<ErrorCode, Integer> STATUS = Collections.unmodifiableMap(new EnumMap<>(Map.ofEntries(
            Map.entry(ErrorCode.BLOB_UNKNOWN, 404),
            Map.entry(ErrorCode.BLOB_UPLOAD_INVALID, 400),
            Map.entry(ErrorCode.BLOB_UPLOAD_UNKNOWN, 404),
            Map.entry(ErrorCode.DIGEST_INVALID, 400),
            Map.entry(ErrorCode.MANIFEST_BLOB_UNKNOWN, 400),
            Map.entry(ErrorCode.MANIFEST_INVALID, 400),
            Map.entry(ErrorCode.MANIFEST_UNKNOWN, 404),
            Map.entry(ErrorCode.NAME_INVALID, 400),
            Map.entry(ErrorCode.NAME_UNKNOWN, 404),
            Map.entry(ErrorCode.SIZE_INVALID, 400),
            Map.entry(ErrorCode.TAG_INVALID, 400),
            Map.entry(ErrorCode.UNAUTHORIZED, 401),
            Map.entry(ErrorCode.DENIED, 403),
            Map.entry(ErrorCode.UNSUPPORTED, 405),
            Map.entry(ErrorCode.TOOMANYREQUESTS, 429),
            Map.entry(ErrorCode.RANGE_INVALID, 416),
            Map.entry(ErrorCode.PAGINATION_NUMBER_INVALID, 400),
            Map.entry(ErrorCode.REQUEST_INVALID, 400),
            Map.entry(ErrorCode.NOT_FOUND, 404),
            Map.entry(ErrorCode.SIZE_TOO_LARGE, 413),
            Map.entry(ErrorCode.URI_TOO_LONG, 414),
            Map.entry(ErrorCode.HEADERS_TOO_LARGE, 431),
            Map.entry(ErrorCode.UPSTREAM_FAILED, 502),
            Map.entry(ErrorCode.UPSTREAM_TIMEOUT, 504),
            Map.entry(ErrorCode.UNAVAILABLE, 503),
            Map.entry(ErrorCode.UNKNOWN, 500))));

    @Test
    void statusTable_coversEveryCode() {
        assertThat(STATUS.keySet()).containsExactlyInAnyOrder(ErrorCode.values());
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void status_isTheOneClientsExpect(ErrorCode code) {
        assertThat(code.status()).isEqualTo(STATUS.get(code));
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void message_isPresent(ErrorCode code) {
        assertThat(code.message()).isNotBlank();
    }

    static Stream<Arguments> serverStatuses() {
        return Stream.of(
                Arguments.of(400, ErrorCode.REQUEST_INVALID),
                Arguments.of(401, ErrorCode.UNAUTHORIZED),
                Arguments.of(403, ErrorCode.DENIED),
                Arguments.of(404, ErrorCode.NOT_FOUND),
                Arguments.of(405, ErrorCode.UNSUPPORTED),
                Arguments.of(413, ErrorCode.SIZE_TOO_LARGE),
                Arguments.of(414, ErrorCode.URI_TOO_LONG),
                Arguments.of(416, ErrorCode.RANGE_INVALID),
                Arguments.of(429, ErrorCode.TOOMANYREQUESTS),
                Arguments.of(431, ErrorCode.HEADERS_TOO_LARGE),
                Arguments.of(500, ErrorCode.UNKNOWN),
                Arguments.of(503, ErrorCode.UNAVAILABLE),
                Arguments.of(418, ErrorCode.REQUEST_INVALID),
                Arguments.of(409, ErrorCode.REQUEST_INVALID),
                Arguments.of(502, ErrorCode.UPSTREAM_FAILED),
                Arguments.of(504, ErrorCode.UPSTREAM_TIMEOUT),
                Arguments.of(507, ErrorCode.UNKNOWN));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("serverStatuses")
    void forStatus_prefersServerCodesAndFallsBackByClass(int status, ErrorCode expected) {
        assertThat(ErrorCode.forStatus(status)).isEqualTo(expected);
    }

    @Test
    void forStatus_everyCodesOwnStatus_mapsToACodeWithThatStatus() {
        Arrays.stream(ErrorCode.values()).forEach(c ->
                assertThat(ErrorCode.forStatus(c.status()).status()).as("%s", c).isEqualTo(c.status()));
    }
}
