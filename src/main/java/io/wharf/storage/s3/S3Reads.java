package io.wharf.storage.s3;

import io.wharf.storage.InvalidOffsetException;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The read side of {@link S3Driver}: whole contents, streams from an offset and object metadata, each making an
 * open append ({@link OpenAppend}) an ordinary object first, at most once per call. Paths are checked and turned into
 * keys by the driver. Thread-safe.
 */
final class S3Reads {
    private final S3Client s3;
    private final S3Bucket bucket;
    private final S3Uploads uploads;

    S3Reads(S3Client s3, S3Bucket bucket, S3Uploads uploads) {
        this.s3 = s3;
        this.bucket = bucket;
        this.uploads = uploads;
    }

    /** The whole content of the file at the key. */
    byte[] content(String path, String key) throws IOException {
        return S3Calls.call(path, () -> {
            for (boolean first = true; ; first = false) {
                var object = s3.getObjectAsBytes(b -> b.bucket(bucket.name).key(key));
                Optional<OpenAppend> open = OpenAppend.of(object.response().metadata());
                if (open.isEmpty()) {
                    return object.asByteArray();
                }
                materialise(path, key, open.get(), first);
            }
        });
    }

    /** The file at the key from the offset (not negative); an empty stream at its end. */
    InputStream stream(String path, String key, long offset) throws IOException {
        for (boolean first = true; ; first = false) {
            ResponseInputStream<GetObjectResponse> response;
            try {
                response = s3.getObject(b -> b.bucket(bucket.name).key(key)
                        .range(offset > 0 ? "bytes=" + offset + "-" : null));
            } catch (SdkException e) {
                if (!S3Calls.isInvalidRange(e)) {
                    throw S3Calls.translate(path, e);
                }
                response = null;
            }
            if (response != null) {
                Optional<OpenAppend> open = OpenAppend.of(response.response().metadata());
                if (open.isEmpty()) {
                    return new ObjectStream(response);
                }
                response.abort();
                materialise(path, key, open.get(), first);
                continue;
            }
            // S3 refuses a range starting at the end; the contract gives an empty stream there.
            HeadObjectResponse head = head(path, key);
            Optional<OpenAppend> open = OpenAppend.of(head.metadata());
            if (open.isPresent()) {
                materialise(path, key, open.get(), first);
                continue;
            }
            if (offset != head.contentLength()) {
                throw new InvalidOffsetException(path);
            }
            return InputStream.nullInputStream();
        }
    }

    HeadObjectResponse head(String path, String key) throws IOException {
        return S3Calls.call(path, () -> bucket.head(key)).orElseThrow(() -> new PathNotFoundException(path));
    }

    /** The object's metadata once it is an ordinary object: an open append is materialised first. */
    HeadObjectResponse ordinaryHead(String path, String key) throws IOException {
        for (boolean first = true; ; first = false) {
            HeadObjectResponse head = head(path, key);
            Optional<OpenAppend> open = OpenAppend.of(head.metadata());
            if (open.isEmpty()) {
                return head;
            }
            materialise(path, key, open.get(), first);
        }
    }

    /**
     * Makes an open append an ordinary object before it is read or moved. Called again for the same path (the
     * object read after materialising is still an open append), it fails rather than loop.
     */
    private void materialise(String path, String key, OpenAppend open, boolean first) throws IOException {
        if (!first) {
            throw new StorageException("the file stays an unfinished append after completing it", path);
        }
        S3Calls.call(path, () -> {
            uploads.materialise(path, key, open);
            return null;
        });
    }
}
