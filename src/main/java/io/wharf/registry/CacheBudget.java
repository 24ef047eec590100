package io.wharf.registry;

/**
 * How much the long-lived caches may hold, each a share of the heap's limit, so that all of them full stay under a
 * third of it whatever {@code -Xmx} is: a server with a small heap keeps fewer entries and reads storage more often,
 * instead of running out of memory in a large registry. The rest of the heap is for requests in flight and, on S3,
 * the part buffers (another third).
 *
 * <p>The per-entry sizes are estimates of the retained heap of one entry (key, value and the cache's node); they are
 * what turns a share into a count for the caches bounded by entries.
 *
 * @param heapBytes the heap's limit ({@code Runtime.maxMemory()})
 */
public record CacheBudget(long heapBytes) {
    /** One tag in the UI's repository views. */
    static final int TAG_BYTES = 300;
    /** One digest a manifest references, kept between collections. */
    static final int DIGEST_BYTES = 100;
    /** One remembered blob size. */
    static final int BLOB_SIZE_BYTES = 200;

    public CacheBudget {
        if (heapBytes <= 0) {
            throw new IllegalArgumentException("heap must be positive: " + heapBytes);
        }
    }

    /** The budget of this JVM's heap. */
    public static CacheBudget ofHeap() {
        return new CacheBudget(Runtime.getRuntime().maxMemory());
    }

    /** Bytes of manifests kept in memory: seven sixty-fourths of the heap (an eighth with the small blobs). */
    public long manifestBytes() {
        return heapBytes / 64 * 7;
    }

    /** Tags the UI's repository views hold: an eighth of the heap. */
    public long inventoryTags() {
        return heapBytes / 8 / TAG_BYTES;
    }

    /** Digests the collector keeps between runs: a sixteenth of the heap. */
    public long keptDigests() {
        return heapBytes / 16 / DIGEST_BYTES;
    }

    /** Blob sizes remembered: a sixty-fourth of the heap. */
    public long blobSizes() {
        return heapBytes / 64 / BLOB_SIZE_BYTES;
    }

    /** Bytes of small blobs' contents kept in memory: a sixty-fourth of the heap. */
    public long smallBlobBytes() {
        return heapBytes / 64;
    }
}
