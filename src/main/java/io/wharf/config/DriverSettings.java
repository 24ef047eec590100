package io.wharf.config;

/**
 * One storage driver's own settings: what Distribution's {@code config.yml} holds under {@code storage.<name>}.
 * Each driver has one record implementing this, bound from the file by {@link DriverBindings}; the server maps the
 * record to the driver that reads it. Adding a driver is its class, its settings record, and one line in each of
 * those two places.
 */
public interface DriverSettings {
    /** Distribution's name for the driver ({@code filesystem}, {@code inmemory}, {@code s3}). */
    String name();

    /** Where the data lives, for a start-up line: a directory, a bucket, or "memory". */
    String location();

    /** {@code storage.filesystem}: {@code rootdirectory} (may be relative: the caller resolves it), {@code maxthreads}. */
    record Filesystem(java.nio.file.Path rootDirectory, int maxThreads) implements DriverSettings {
        /** Distribution's default for {@code maxthreads}. */
        public static final int DEFAULT_MAX_THREADS = 100;

        public Filesystem(java.nio.file.Path rootDirectory) {
            this(rootDirectory, DEFAULT_MAX_THREADS);
        }

        @Override
        public String name() {
            return "filesystem";
        }

        @Override
        public String location() {
            return rootDirectory.toAbsolutePath().toString();
        }
    }

    /** {@code storage.inmemory}: no settings; everything in the heap, gone at exit. */
    record InMemory() implements DriverSettings {
        @Override
        public String name() {
            return "inmemory";
        }

        @Override
        public String location() {
            return "memory";
        }
    }

    /**
     * {@code storage.s3}: Distribution's keys with its defaults. {@link #toString} never shows the secret key.
     *
     * @param accessKey {@code accesskey}; empty (with {@code secretkey}) for the SDK's default credential chain
     * @param secretKey {@code secretkey}
     * @param region {@code region}; required unless {@code regionendpoint} is set
     * @param regionEndpoint {@code regionendpoint}: an S3-compatible service's endpoint; empty for AWS
     * @param forcePathStyle {@code forcepathstyle} (false): {@code host/bucket/key} URLs instead of virtual hosts
     * @param bucket {@code bucket}, required
     * @param rootDirectory {@code rootdirectory}: the key prefix of everything stored; empty for the bucket's root
     * @param secure {@code secure} (true): HTTPS
     * @param skipVerify {@code skipverify} (false): accept any TLS certificate
     * @param v4Auth {@code v4auth} (true); requests are signed with Signature Version 4 either way
     * @param chunkSize {@code chunksize} (10 MiB, at least 5 MiB): the part size of streamed writes
     * @param multipartCopyChunkSize {@code multipartcopychunksize} (32 MiB)
     * @param multipartCopyMaxConcurrency {@code multipartcopymaxconcurrency} (100)
     * @param multipartCopyThresholdSize {@code multipartcopythresholdsize} (32 MiB)
     * @param encrypt {@code encrypt} (false): server-side encryption
     * @param keyId {@code keyid}: the KMS key for encryption; empty for SSE-S3
     * @param storageClass {@code storageclass} (STANDARD); {@code NONE} sends none
     * @param userAgent {@code useragent}: appended to the client's {@code User-Agent}
     */
    record S3(String accessKey, String secretKey, String region, String regionEndpoint, boolean forcePathStyle,
            String bucket, String rootDirectory, boolean secure, boolean skipVerify, boolean v4Auth, long chunkSize,
            long multipartCopyChunkSize, int multipartCopyMaxConcurrency, long multipartCopyThresholdSize,
            boolean encrypt, String keyId, String storageClass, String userAgent) implements DriverSettings {
        public static final long MIB = 1024L * 1024;
        public static final long DEFAULT_CHUNK_SIZE = 10 * MIB;
        public static final long DEFAULT_MULTIPART_COPY_CHUNK_SIZE = 32 * MIB;
        public static final int DEFAULT_MULTIPART_COPY_MAX_CONCURRENCY = 100;
        public static final long DEFAULT_MULTIPART_COPY_THRESHOLD_SIZE = 32 * MIB;
        public static final String DEFAULT_STORAGE_CLASS = "STANDARD";

        /** Distribution's defaults for a bucket in a region, with the default credential chain. */
        public static S3 defaults(String bucket, String region) {
            return new S3("", "", region, "", false, bucket, "", true, false, true, DEFAULT_CHUNK_SIZE,
                    DEFAULT_MULTIPART_COPY_CHUNK_SIZE, DEFAULT_MULTIPART_COPY_MAX_CONCURRENCY,
                    DEFAULT_MULTIPART_COPY_THRESHOLD_SIZE, false, "", DEFAULT_STORAGE_CLASS, "");
        }

        @Override
        public String name() {
            return "s3";
        }

        /** {@code s3://bucket/rootdirectory}, and the endpoint when not AWS's. */
        @Override
        public String location() {
            String root = rootDirectory.replaceAll("^/+|/+$", "");
            return "s3://" + bucket + "/" + root + (regionEndpoint.isEmpty() ? "" : " at " + regionEndpoint);
        }

        /** Every setting but the secret key, which shows only whether it is set. */
        @Override
        public String toString() {
            return "S3[accessKey=" + accessKey + ", secretKey=" + (secretKey.isEmpty() ? "" : "<hidden>")
                    + ", region=" + region + ", regionEndpoint=" + regionEndpoint + ", forcePathStyle="
                    + forcePathStyle + ", bucket=" + bucket + ", rootDirectory=" + rootDirectory + ", secure=" + secure
                    + ", skipVerify=" + skipVerify + ", v4Auth=" + v4Auth + ", chunkSize=" + chunkSize
                    + ", multipartCopyChunkSize=" + multipartCopyChunkSize + ", multipartCopyMaxConcurrency="
                    + multipartCopyMaxConcurrency + ", multipartCopyThresholdSize=" + multipartCopyThresholdSize
                    + ", encrypt=" + encrypt + ", keyId=" + keyId + ", storageClass=" + storageClass
                    + ", userAgent=" + userAgent + "]";
        }
    }
}
