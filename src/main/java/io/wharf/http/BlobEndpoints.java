package io.wharf.http;

import io.wharf.registry.BlobDelivery;
import io.wharf.registry.Registry;
import io.wharf.spec.Digest;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.eclipse.jetty.http.HttpHeader;

/** {@code GET}, {@code HEAD} and {@code DELETE /v2/<name>/blobs/<digest>} (end-2, end-10). */
final class BlobEndpoints {
    private final Registry registry;
    private final EncodedFields fields;

    BlobEndpoints(Registry registry, EncodedFields fields) {
        this.registry = registry;
        this.fields = fields;
    }

    /** end-2: fetch a blob, whole or a byte range. */
    void get(Exchange ex, Route.Match m) throws Exception {
        RepositoryName repo = m.repository();
        Digest digest = Digest.parse(m.argument());
        OptionalLong size = registry.blobAccess().stat(repo, digest);
        if (size.isEmpty()) {
            throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in repository " + repo);
        }
        long total = size.getAsLong();
        var headers = ex.response().getHeaders();
        fields.putDigest(headers, digest);
        headers.put(EncodedFields.BYTE_RANGES);
        headers.put(EncodedFields.IMMUTABLE);
        headers.put(EncodedFields.OCTET_STREAM);
        if (ex.ifNoneMatch(digest.toString())) {
            ex.response().getHeaders().remove(HttpHeader.CONTENT_TYPE);
            ex.send(304);
            return;
        }
        ByteRange range;
        try {
            range = ByteRange.parse(ex.header("Range"), total);
        } catch (RegistryException e) {
            ex.header(HttpHeader.CONTENT_RANGE, "bytes */" + total);
            throw e;
        }
        int status = 200;
        if (range != null) {
            status = 206;
            ex.header(HttpHeader.CONTENT_RANGE, range.contentRange(total));
        } else {
            range = new ByteRange(0, total);
        }
        if (ex.isHead()) {
            // Answered from the size alone: nothing is opened, and no presigned URL (signed for GET) is handed out
            // for a HEAD that could not use it.
            ex.response().setStatus(status);
            ex.response().getHeaders().put(HttpHeader.CONTENT_LENGTH, range.length());
            ex.response().write(true, java.nio.ByteBuffer.allocate(0), ex.callback());
            return;
        }
        switch (registry.blobAccess().delivery(repo, digest, range.offset())) {
            case BlobDelivery.Redirect r -> ex.redirect(r.location());
            case BlobDelivery.LocalFile f -> sendFile(ex, f.file(), status, range, repo, digest);
            case BlobDelivery.Bytes b -> ex.sendBytes(status, b.content(), range.length());
            case BlobDelivery.Stream st -> ex.sendStream(status, st.in(), range.length());
        }
    }

    private static void sendFile(Exchange ex, Path file, int status, ByteRange range, RepositoryName repo,
            Digest digest) throws Exception {
        try {
            ex.sendFile(status, file, range.offset(), range.length());
        } catch (java.nio.file.NoSuchFileException e) {
            // Deleted between the lookup and the open (garbage collection): as if it was never there.
            throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in repository " + repo);
        }
    }

    /** end-10: remove the blob from the repository. */
    void delete(Exchange ex, Route.Match m) throws Exception {
        RepositoryName repo = m.repository();
        Digest digest = Digest.parse(m.argument());
        if (!registry.blobAccess().unlink(repo, digest)) {
            throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in repository " + repo);
        }
        ex.header("Docker-Content-Digest", digest.toString());
        ex.send(202);
    }
}
