package io.wharf.http;

import io.wharf.auth.Action;
import io.wharf.registry.Registry;
import io.wharf.registry.UploadStatus;
import io.wharf.spec.Digest;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Blob uploads: {@code POST /v2/<name>/blobs/uploads/} (end-4a, end-4b, end-11), {@code PATCH}
 * (end-5), {@code PUT} (end-6), {@code GET} (end-13) and {@code DELETE} of an upload.
 *
 * <p>With {@code http.secret} set, an upload's {@code Location} carries Distribution's signed {@code _state}, and a
 * {@code _state} that comes back is checked before anything else: one not signed with the secret, or issued for
 * another upload, is {@code BLOB_UPLOAD_INVALID}. A request without one is served from storage as before (Wharf
 * keeps an upload's state there); the offset a state names is not compared with storage's, where Distribution
 * refuses a stale one: storage decides, and {@code Content-Range} already keeps chunks in order.
 */
final class UploadEndpoints {
    private static final String STATE = "_state";

    private final Registry registry;
    private final UploadStates states;

    UploadEndpoints(Registry registry, UploadStates states) {
        this.registry = registry;
        this.states = states;
    }

    /** Starts an upload, uploads a whole blob ({@code ?digest=}) or mounts one ({@code ?mount=}). */
    void start(Exchange ex, Route.Match m) throws Exception {
        RepositoryName repo = m.repository();
        String mount = ex.query("mount");
        if (mount != null) {
            Digest digest = Digest.parse(mount);
            String from = ex.query("from");
            // Mounting reads the source: without pull there, the mount is ignored and a normal upload starts.
            if (from != null && ex.grant().allows(RepositoryName.parse(from).value(), Action.PULL)
                    && mountFrom(ex, repo, RepositoryName.parse(from), digest)) {
                return;
            }
        }
        String digestParam = ex.query("digest");
        if (digestParam != null) {
            Digest digest = Digest.parse(digestParam);
            try (InputStream body = ex.body()) {
                registry.uploads().putWhole(repo, body, ex.contentLength(), digest);
            }
            created(ex, repo, digest);
            return;
        }
        ex.discardBody();
        UploadStatus status = registry.uploads().start(repo);
        accepted(ex, repo, status, Optional.empty());
    }

    private boolean mountFrom(Exchange ex, RepositoryName repo, RepositoryName from, Digest digest) throws Exception {
        OptionalLong mounted = registry.blobAccess().mount(repo, from, digest);
        if (mounted.isEmpty()) {
            return false;
        }
        ex.discardBody();
        created(ex, repo, digest);
        return true;
    }

    /** end-5: appends a chunk, streamed or with {@code Content-Range}. */
    void patch(Exchange ex, Route.Match m) throws Exception {
        RepositoryName repo = m.repository();
        Optional<UploadState> state = state(ex, repo, m.argument());
        long length = ex.contentLength();
        long start = -1;
        String contentRange = ex.header("Content-Range");
        if (contentRange != null) {
            long[] range = parseContentRange(contentRange);
            start = range[0];
            long declared = range[1] - range[0] + 1;
            if (length >= 0 && length != declared) {
                throw new RegistryException(ErrorCode.SIZE_INVALID,
                        "Content-Length " + length + " does not match Content-Range " + contentRange);
            }
            length = declared;
        }
        UploadStatus status;
        try (InputStream body = ex.body()) {
            status = registry.uploads().append(repo, m.argument(), body, start, length);
        }
        accepted(ex, repo, status, state);
    }

    /** end-6: closes an upload with an optional last chunk and verifies the digest. */
    void complete(Exchange ex, Route.Match m) throws Exception {
        RepositoryName repo = m.repository();
        state(ex, repo, m.argument());
        String digestParam = ex.query("digest");
        if (digestParam == null) {
            registry.uploads().status(repo, m.argument());
            throw new RegistryException(ErrorCode.DIGEST_INVALID, "the digest query parameter is required");
        }
        Digest digest = Digest.parse(digestParam);
        long length = ex.contentLength();
        String contentRange = ex.header("Content-Range");
        try (InputStream body = ex.body()) {
            if (contentRange != null && length != 0) {
                long[] range = parseContentRange(contentRange);
                registry.uploads().append(repo, m.argument(), body, range[0], range[1] - range[0] + 1);
                length = 0;
            }
            registry.uploads().complete(repo, m.argument(), body, length, digest);
        }
        created(ex, repo, digest);
    }

    /** end-13: where the upload stands. */
    void status(Exchange ex, Route.Match m) throws Exception {
        RepositoryName repo = m.repository();
        Optional<UploadState> state = state(ex, repo, m.argument());
        UploadStatus status = registry.uploads().status(repo, m.argument());
        uploadHeaders(ex, repo, status, state);
        ex.send(204);
    }

    /** Cancels an upload. */
    void cancel(Exchange ex, Route.Match m) throws Exception {
        RepositoryName repo = m.repository();
        state(ex, repo, m.argument());
        registry.uploads().cancel(repo, m.argument());
        ex.send(204);
    }

    /**
     * The state the request's {@code _state} carries, checked against the upload it addresses; empty without a
     * secret or a {@code _state}.
     */
    private Optional<UploadState> state(Exchange ex, RepositoryName repo, String id) {
        Optional<UploadState> state = states.check(ex.query(STATE));
        if (state.isPresent() && !state.get().names(repo, id)) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID,
                    "the upload's _state was issued for another upload");
        }
        return state;
    }

    private void accepted(Exchange ex, RepositoryName repo, UploadStatus status, Optional<UploadState> came) {
        uploadHeaders(ex, repo, status, came);
        ex.send(202);
    }

    /** {@code came}: the state the request brought, whose start time the new one keeps. */
    private void uploadHeaders(Exchange ex, RepositoryName repo, UploadStatus status, Optional<UploadState> came) {
        String startedAt = came.map(UploadState::startedAt).filter(t -> !t.isEmpty()).orElseGet(states::now);
        String location = "/v2/" + repo + "/blobs/uploads/" + status.id() + states
                .sign(new UploadState(repo.value(), status.id(), status.size(), startedAt))
                .map(token -> "?" + STATE + "=" + URLEncoder.encode(token, StandardCharsets.UTF_8))
                .orElse("");
        ex.header(HttpHeader.LOCATION, ex.url(location));
        ex.header(HttpHeader.RANGE, "0-" + Math.max(0, status.size() - 1));
        ex.header("Docker-Upload-UUID", status.id());
    }

    private void created(Exchange ex, RepositoryName repo, Digest digest) {
        ex.header(HttpHeader.LOCATION, ex.url("/v2/" + repo + "/blobs/" + digest));
        ex.header("Docker-Content-Digest", digest.toString());
        ex.send(201);
    }

    /**
     * Parses {@code Content-Range: <start>-<end>} (inclusive; a {@code bytes } prefix is tolerated).
     *
     * @throws RegistryException {@code RANGE_INVALID} when malformed
     */
    static long[] parseContentRange(String header) {
        String h = header.trim();
        if (h.startsWith("bytes ")) {
            h = h.substring(6).trim();
        }
        int slash = h.indexOf('/');
        if (slash >= 0) {
            h = h.substring(0, slash);
        }
        int dash = h.indexOf('-');
        try {
            long start = Long.parseLong(h.substring(0, dash));
            long end = Long.parseLong(h.substring(dash + 1));
            if (start < 0 || end < start) {
                throw new NumberFormatException();
            }
            return new long[] {start, end};
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new RegistryException(ErrorCode.RANGE_INVALID, "malformed Content-Range: "
                    + (header.length() > 100 ? header.substring(0, 100) : header));
        }
    }
}
