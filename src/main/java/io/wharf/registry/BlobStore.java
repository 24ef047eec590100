package io.wharf.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.wharf.spec.Digest;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The global, content-addressed blob store ({@code blobs/<alg>/<xx>/<hex>/data}). Content at a
 * digest is only ever placed there after it was verified, so a reader may trust it.
 *
 * <p>Blob sizes are cached (a blob never changes once written), here and, when configured, in a cache shared by
 * the instances ({@link SharedSizes}); {@link #forget} drops the entry everywhere when a blob is deleted, and tells
 * the other instances through the coordination's change notices.
 *
 * <p>The contents of small blobs (image configurations, mostly) are kept in memory too, within a budget of bytes
 * ({@link #smallContent}), and dropped the same way. Their file is still looked at before each use, so a blob
 * deleted by a process that tells nobody (another server without shared coordination, an offline collection) is
 * not served from memory. These are the one kind of blob held as arrays rather than streamed: each at most 32 KiB,
 * read no further than its known size, all of them within their budget.
 */
public final class BlobStore {
    /** The largest blob whose content is kept in memory: an image configuration is rarely larger. */
    private static final int SMALL_CONTENT_MAX = 32 * 1024;
    /** What a kept content costs beside its bytes (key, array header, the cache's node), for the budget. */
    private static final int CONTENT_OVERHEAD = 200;
    private static final String CHANGE_PREFIX = "blob:";
    private final StorageDriver driver;
    private final Cache<Digest, Long> sizes;
    private final Cache<Digest, byte[]> contents;
    private final boolean keepsContents;
    private final SharedSizes shared;
    private final Coordination coordination;

    /**
     * @param driver the storage
     * @param cacheEntries how many blob sizes to remember; 0 disables the cache
     */
    public BlobStore(StorageDriver driver, long cacheEntries) {
        this(driver, cacheEntries, 0, new LocalCoordination(java.time.Clock.systemUTC()));
    }

    /**
     * @param contentBytes how many bytes of small blobs' contents to keep in memory; 0 keeps none
     * @param coordination carries deletions to other instances, and their shared sizes when configured
     */
    public BlobStore(StorageDriver driver, long cacheEntries, long contentBytes, Coordination coordination) {
        this.driver = driver;
        this.sizes = Caffeine.newBuilder().maximumSize(cacheEntries).recordStats().build();
        this.contents = Caffeine.newBuilder().maximumWeight(contentBytes)
                .weigher((Digest d, byte[] b) -> b.length + CONTENT_OVERHEAD).recordStats().build();
        this.keepsContents = contentBytes > 0;
        this.shared = coordination.sharedSizes();
        this.coordination = coordination;
        coordination.onChange(key -> {
            if (key.startsWith(CHANGE_PREFIX) && Digest.isValid(key.substring(CHANGE_PREFIX.length()))) {
                Digest digest = Digest.parse(key.substring(CHANGE_PREFIX.length()));
                sizes.invalidate(digest);
                contents.invalidate(digest);
            }
        });
    }

    /** The blob's size, or empty when the store does not hold it. */
    public OptionalLong size(Digest digest) throws IOException {
        Long cached = sizes.getIfPresent(digest);
        if (cached != null) {
            return OptionalLong.of(cached);
        }
        OptionalLong known = shared.get(digest);
        if (known.isPresent()) {
            sizes.put(digest, known.getAsLong());
            return known;
        }
        OptionalLong stored = storedSize(digest);
        if (stored.isPresent()) {
            sizes.put(digest, stored.getAsLong());
            shared.put(digest, stored.getAsLong());
        }
        return stored;
    }

    /** The size of the blob's data file as the storage has it now, or empty when there is none. */
    private OptionalLong storedSize(Digest digest) throws IOException {
        try {
            var info = driver.stat(StorageLayout.blobData(digest));
            return info.directory() ? OptionalLong.empty() : OptionalLong.of(info.size());
        } catch (PathNotFoundException e) {
            return OptionalLong.empty();
        }
    }

    /** Opens the blob at an offset; throws {@link PathNotFoundException} when absent. */
    public InputStream open(Digest digest, long offset) throws IOException {
        return driver.reader(StorageLayout.blobData(digest), offset);
    }

    /** The local file of the blob when the driver has one, for zero-copy serving. */
    public Optional<Path> localFile(Digest digest) {
        return driver.localFile(StorageLayout.blobData(digest));
    }

    /**
     * The content of a small blob from memory, read and kept on first use: empty when the blob is larger than 32 KiB,
     * when no memory is given to contents, or when its file is gone (the caller then reads storage as for any blob,
     * and fails as it would). Each use looks the file up in storage, one {@code stat} instead of an open, a read and
     * a close.
     *
     * @param size the blob's size as the store knows it; a file of another length is not kept
     * @return the whole content, read-only
     */
    public Optional<ByteBuffer> smallContent(Digest digest, long size) throws IOException {
        if (size > SMALL_CONTENT_MAX || !keepsContents) {
            return Optional.empty();
        }
        byte[] kept = contents.getIfPresent(digest);
        if (kept != null) {
            if (storedSize(digest).isPresent()) {
                return Optional.of(ByteBuffer.wrap(kept).asReadOnlyBuffer());
            }
            contents.invalidate(digest);
            return Optional.empty();
        }
        byte[] read;
        // One byte past the known size, never more: a file longer than recorded is not read whole into the heap.
        try (InputStream in = open(digest, 0)) {
            read = in.readNBytes((int) size + 1);
        } catch (PathNotFoundException e) {
            return Optional.empty();
        }
        if (read.length != size) {
            return Optional.empty();
        }
        contents.put(digest, read);
        return Optional.of(ByteBuffer.wrap(read).asReadOnlyBuffer());
    }

    /** Reads a small blob (a manifest) whole. */
    public byte[] readSmall(Digest digest) throws IOException {
        return driver.getContent(StorageLayout.blobData(digest));
    }

    /**
     * Stores small verified content (a manifest) under its digest unless already there. Durable when
     * it returns.
     */
    public void putSmall(Digest digest, byte[] content) throws IOException {
        if (size(digest).isEmpty()) {
            driver.putContent(StorageLayout.blobData(digest), content);
        }
        sizes.put(digest, (long) content.length);
        shared.put(digest, content.length);
    }

    /**
     * Moves a verified upload into place under its digest. When the blob is already present the
     * upload's file is left for the caller to remove. Durable when it returns.
     */
    public void adopt(String verifiedDataPath, Digest digest, long size) throws IOException {
        if (size(digest).isEmpty()) {
            driver.move(verifiedDataPath, StorageLayout.blobData(digest));
        }
        sizes.put(digest, size);
        shared.put(digest, size);
    }

    /**
     * Garbage collection: deletes the blobs' data in one batch ({@link StorageDriver#deleteFiles}). The caller
     * holds their removal locks and found them unmarked and old in a listing of the blob store; no writer of this
     * registry can have written them since without touching them (see {@link WriteActivity}), so their age is not
     * asked again. Durable when it returns.
     */
    void deleteAll(java.util.List<Digest> digests) throws IOException {
        // Dropped here before the delete, and everywhere (with one notice to other instances) once they are gone,
        // so that no reader here re-caches a size in between.
        sizes.invalidateAll(digests);
        contents.invalidateAll(digests);
        shared.removeAll(digests);
        driver.deleteFiles(digests.stream().map(StorageLayout::blobData).toList());
        // A round trip per batch, not per blob: with Redis these were three per blob, most of an online sweep.
        shared.removeAll(digests);
        coordination.changedAll(digests.stream().map(d -> CHANGE_PREFIX + d).toList());
        sizes.invalidateAll(digests);
        contents.invalidateAll(digests);
    }

    /** The blob size cache, for meters. */
    Cache<?, ?> cache() {
        return sizes;
    }

    /** The small blobs' contents, for meters. */
    Cache<?, ?> contentCache() {
        return contents;
    }

    /** Drops a cached size everywhere, after the blob was deleted. */
    public void forget(Digest digest) {
        shared.remove(digest);
        coordination.changed(CHANGE_PREFIX + digest);
        sizes.invalidate(digest);
        contents.invalidate(digest);
    }
}
