package io.wharf.storage.s3;

import java.util.Objects;

/**
 * What the S3 driver does with the bucket, in the terms of Distribution's {@code storage.s3} keys.
 *
 * @param bucket the bucket, which must exist
 * @param rootDirectory the key prefix of everything stored; empty for the bucket's root
 * @param chunkSize the part size of a streamed write ({@code chunksize}), at least {@link #MIN_PART_SIZE}; also the
 *     most a writer keeps in memory
 * @param multipartCopyChunkSize the part size of a multipart copy ({@code multipartcopychunksize})
 * @param multipartCopyMaxConcurrency how many parts of one copy are copied at once
 *     ({@code multipartcopymaxconcurrency})
 * @param multipartCopyThresholdSize objects larger than this are copied in parts ({@code multipartcopythresholdsize})
 * @param encrypt whether objects are stored with server-side encryption ({@code encrypt})
 * @param keyId the KMS key for encryption ({@code keyid}); empty for SSE-S3 (AES256); ignored without encryption
 * @param storageClass the storage class of new objects ({@code storageclass}); {@code NONE} sends none
 */
public record S3DriverOptions(String bucket, String rootDirectory, long chunkSize, long multipartCopyChunkSize,
        int multipartCopyMaxConcurrency, long multipartCopyThresholdSize, boolean encrypt, String keyId,
        String storageClass) {
    /** S3's smallest part, except for the last part of an upload. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** S3's largest part, and the largest object a single copy request may copy. */
    public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
    /** The part buffer is an array, so a chunk must fit in one. */
    public static final long MAX_CHUNK_SIZE = Integer.MAX_VALUE - 8;
    public static final long DEFAULT_CHUNK_SIZE = 10L * 1024 * 1024;
    public static final long DEFAULT_MULTIPART_COPY_CHUNK_SIZE = 32L * 1024 * 1024;
    public static final int DEFAULT_MULTIPART_COPY_MAX_CONCURRENCY = 100;
    public static final long DEFAULT_MULTIPART_COPY_THRESHOLD_SIZE = 32L * 1024 * 1024;
    /** Distribution's value for "send no storage class" (for services that refuse the header). */
    public static final String NO_STORAGE_CLASS = "NONE";

    /**
     * @throws IllegalArgumentException when a size is outside S3's limits or the bucket is empty
     */
    public S3DriverOptions {
        Objects.requireNonNull(bucket, "bucket");
        rootDirectory = rootDirectory == null ? "" : rootDirectory;
        keyId = keyId == null ? "" : keyId;
        storageClass = storageClass == null ? "STANDARD" : storageClass;
        require(!bucket.isEmpty(), "bucket must not be empty");
        require(chunkSize >= MIN_PART_SIZE && chunkSize <= MAX_CHUNK_SIZE,
                "chunksize must be between 5 MiB and 2 GiB, got " + chunkSize);
        require(multipartCopyChunkSize >= MIN_PART_SIZE && multipartCopyChunkSize <= MAX_PART_SIZE,
                "multipartcopychunksize must be between 5 MiB and 5 GiB, got " + multipartCopyChunkSize);
        require(multipartCopyMaxConcurrency >= 1,
                "multipartcopymaxconcurrency must be at least 1, got " + multipartCopyMaxConcurrency);
        require(multipartCopyThresholdSize >= 0 && multipartCopyThresholdSize <= MAX_PART_SIZE,
                "multipartcopythresholdsize must be between 0 and 5 GiB, got " + multipartCopyThresholdSize);
    }

    /** Distribution's defaults for everything but the bucket and the root directory. */
    public static S3DriverOptions defaults(String bucket, String rootDirectory) {
        return new S3DriverOptions(bucket, rootDirectory, DEFAULT_CHUNK_SIZE, DEFAULT_MULTIPART_COPY_CHUNK_SIZE,
                DEFAULT_MULTIPART_COPY_MAX_CONCURRENCY, DEFAULT_MULTIPART_COPY_THRESHOLD_SIZE, false, "", "STANDARD");
    }

    /** These options with another part size for streamed writes. */
    public S3DriverOptions withChunkSize(long size) {
        return new S3DriverOptions(bucket, rootDirectory, size, multipartCopyChunkSize, multipartCopyMaxConcurrency,
                multipartCopyThresholdSize, encrypt, keyId, storageClass);
    }

    /** These options with other multipart copy settings. */
    public S3DriverOptions withMultipartCopy(long chunk, int concurrency, long threshold) {
        return new S3DriverOptions(bucket, rootDirectory, chunkSize, chunk, concurrency, threshold, encrypt, keyId,
                storageClass);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
