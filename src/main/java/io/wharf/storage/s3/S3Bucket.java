package io.wharf.storage.s3;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * The object operations of one bucket, with the driver's write settings (encryption, storage class, content type)
 * applied to every object it creates. Methods throw the SDK's unchecked exceptions; {@link S3Calls} converts them.
 */
final class S3Bucket {
    static final String CONTENT_TYPE = "application/octet-stream";
    /** The most keys one list or delete request handles. */
    static final int PAGE = 1000;

    final S3Client s3;
    final String name;
    private final S3DriverOptions options;

    S3Bucket(S3Client s3, S3DriverOptions options) {
        this.s3 = s3;
        this.name = options.bucket();
        this.options = options;
    }

    /** The object's metadata, or empty when there is no object with exactly this key. */
    Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(name).key(key)));
        } catch (SdkException e) {
            if (S3Calls.isMissingKey(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Stores an object with one request: S3 makes it visible whole or not at all. */
    void put(String key, byte[] content, int length) {
        put(key, content, length, Map.of());
    }

    /** Stores an object with user metadata, as {@link #put(String, byte[], int)}. */
    void put(String key, byte[] content, int length, Map<String, String> metadata) {
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(name).key(key).contentType(CONTENT_TYPE)
                .contentLength((long) length).metadata(metadata);
        encryption(request);
        s3.putObject(request.build(), body(content, length));
    }

    /** A request body over the first bytes of an array, without copying it; readable again for a retry. */
    static RequestBody body(byte[] content, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(content, 0, length), length,
                CONTENT_TYPE);
    }

    /** Starts a multipart upload to the key. */
    String createUpload(String key) {
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder().bucket(name).key(key)
                .contentType(CONTENT_TYPE);
        if (options.encrypt()) {
            request.serverSideEncryption(sse());
            if (!options.keyId().isEmpty()) {
                request.ssekmsKeyId(options.keyId());
            }
        }
        storageClass().ifPresent(request::storageClass);
        return s3.createMultipartUpload(request.build()).uploadId();
    }

    CompletedPart uploadPart(String key, String uploadId, int partNumber, byte[] content, int length) {
        String etag = s3.uploadPart(b -> b.bucket(name).key(key).uploadId(uploadId).partNumber(partNumber)
                .contentLength((long) length), body(content, length)).eTag();
        return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
    }

    /** Copies bytes {@code first..last} (inclusive) of the source as a part of the upload. */
    CompletedPart copyPart(String sourceKey, String key, String uploadId, int partNumber, long first, long last) {
        String etag = s3.uploadPartCopy(b -> b.sourceBucket(name).sourceKey(sourceKey).destinationBucket(name)
                .destinationKey(key).uploadId(uploadId).partNumber(partNumber)
                .copySourceRange("bytes=" + first + "-" + last)).copyPartResult().eTag();
        return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
    }

    /** Makes the upload's parts, in part-number order, the object at the key. */
    void complete(String key, String uploadId, List<CompletedPart> parts) {
        s3.completeMultipartUpload(b -> b.bucket(name).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
    }

    /** Aborts the upload; one already gone is no error. */
    void abort(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(name).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            if (!(e instanceof software.amazon.awssdk.services.s3.model.S3Exception s3e && s3e.statusCode() == 404)) {
                throw e;
            }
        }
    }

    /** Copies an object of at most 5 GiB with one request. */
    void copy(String sourceKey, String key) {
        CopyObjectRequest.Builder request = CopyObjectRequest.builder().sourceBucket(name).sourceKey(sourceKey)
                .destinationBucket(name).destinationKey(key);
        if (options.encrypt()) {
            request.serverSideEncryption(sse());
            if (!options.keyId().isEmpty()) {
                request.ssekmsKeyId(options.keyId());
            }
        }
        storageClass().ifPresent(request::storageClass);
        s3.copyObject(request.build());
    }

    void delete(String key) {
        s3.deleteObject(b -> b.bucket(name).key(key));
    }

    /** One page of keys starting with the prefix; with a delimiter, deeper keys are folded into common prefixes. */
    ListObjectsV2Response list(String prefix, String delimiter, int maxKeys, String continuation) {
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(name).prefix(prefix)
                .maxKeys(maxKeys).continuationToken(continuation);
        if (delimiter != null) {
            request.delimiter(delimiter);
        }
        return s3.listObjectsV2(request.build());
    }

    private void encryption(PutObjectRequest.Builder request) {
        if (options.encrypt()) {
            request.serverSideEncryption(sse());
            if (!options.keyId().isEmpty()) {
                request.ssekmsKeyId(options.keyId());
            }
        }
        storageClass().ifPresent(request::storageClass);
    }

    private ServerSideEncryption sse() {
        return options.keyId().isEmpty() ? ServerSideEncryption.AES256 : ServerSideEncryption.AWS_KMS;
    }

    private Optional<StorageClass> storageClass() {
        return options.storageClass().equals(S3DriverOptions.NO_STORAGE_CLASS) ? Optional.empty()
                : Optional.of(StorageClass.fromValue(options.storageClass()));
    }
}
