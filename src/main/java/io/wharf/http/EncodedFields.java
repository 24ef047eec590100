package io.wharf.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.wharf.spec.Digest;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;

/**
 * Response headers encoded once rather than for every answer. Jetty writes a header it is given as text character by
 * character, checking each for line breaks; a pre-encoded one it copies as bytes. The digest headers of manifest and
 * blob answers ({@code Docker-Content-Digest} and {@code ETag}, 150 characters) and the manifests' media types were
 * 5% of the server's CPU samples under manifest {@code HEAD}s. Those that vary are kept for the most recently
 * answered digests and media types, a few hundred KiB at most. Thread-safe.
 */
final class EncodedFields {
    static final String DIGEST_HEADER = "Docker-Content-Digest";
    static final HttpField OCTET_STREAM = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/octet-stream");
    static final HttpField BYTE_RANGES = new PreEncodedHttpField(HttpHeader.ACCEPT_RANGES, "bytes");
    /** A blob never changes under its digest. */
    static final HttpField IMMUTABLE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "max-age=31536000");
    /** About 700 bytes each (two fields, each encoded for HTTP/1.1 and HTTP/2). */
    private static final int DIGESTS = 512;
    private static final int MEDIA_TYPES = 64;

    private record DigestFields(HttpField digest, HttpField etag) {
    }

    private final Cache<Digest, DigestFields> digests = Caffeine.newBuilder().maximumSize(DIGESTS).build();
    private final Cache<String, HttpField> contentTypes = Caffeine.newBuilder().maximumSize(MEDIA_TYPES).build();

    /** Sets {@code Docker-Content-Digest} to the digest and {@code ETag} to the digest quoted. */
    void putDigest(HttpFields.Mutable headers, Digest digest) {
        DigestFields fields = digests.get(digest, d -> new DigestFields(new PreEncodedHttpField(DIGEST_HEADER,
                d.toString()), new PreEncodedHttpField(HttpHeader.ETAG, "\"" + d + "\"")));
        headers.put(fields.digest());
        headers.put(fields.etag());
    }

    /** {@code Content-Type: mediaType}. */
    HttpField contentType(String mediaType) {
        return contentTypes.get(mediaType, t -> new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, t));
    }
}
