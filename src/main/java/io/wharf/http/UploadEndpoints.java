package io.wharf.http;

import io.wharf.auth.Action;
import io.wharf.registry.Registry;
import io.wharf.registry.UploadStatus;
import io.wharf.spec.Digest;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import java.io.InputStream;
import java.util.OptionalLong;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Blob uploads: {@code POST /v2/<name>/blobs/uploads/} (end-4a, end-4b, end-11), {@code PATCH}
 * (end-5), {@code PUT} (end-6), {@code GET} (end-13) and {@code DELETE} of an upload.
 */
final class UploadEndpoints {
    private final Registry registry;

    UploadEndpoints(Registry registry) {
        this.registry = registry;
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
        accepted(ex, repo, status);
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
        accepted(ex, repo, status);
    }

    /** end-6: closes an upload with an optional last chunk and verifies the digest. */
    void complete(Exchange ex, Route.Match m) throws Exception {
        RepositoryName repo = m.repository();
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
        UploadStatus status = registry.uploads().status(repo, m.argument());
        uploadHeaders(ex, repo, status);
        ex.send(204);
    }

    /** Cancels an upload. */
    void cancel(Exchange ex, Route.Match m) throws Exception {
        RepositoryName repo = m.repository();
        registry.uploads().cancel(repo, m.argument());
        ex.send(204);
    }

    private void accepted(Exchange ex, RepositoryName repo, UploadStatus status) {
        uploadHeaders(ex, repo, status);
        ex.send(202);
    }

    private void uploadHeaders(Exchange ex, RepositoryName repo, UploadStatus status) {
        ex.header(HttpHeader.LOCATION, ex.url("/v2/" + repo + "/blobs/uploads/" + status.id()));
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
