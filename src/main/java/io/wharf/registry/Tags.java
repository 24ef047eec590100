package io.wharf.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.wharf.spec.Digest;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tags of a repository ({@code _manifests/tags/<tag>/current/link}).
 *
 * <p>Resolutions are cached; this process's own writes invalidate them at once, and entries expire
 * after {@code ttl} so that tags written by another process sharing the storage are seen within it.
 */
public final class Tags {
    private record Key(RepositoryName repo, Tag tag) {
    }

    /** A current link as the collector last read it: the hex MD5 of its bytes and the digest they name. */
    private record LinkRead(String md5, Optional<Digest> digest) {
    }

    private final StorageDriver driver;
    private final Links links;
    private final Cache<Key, Optional<Digest>> resolved;
    private final Coordination coordination;
    /** Bounded: about 200 bytes a tag; a tag beyond it is read again by the next collection, nothing worse. */
    private final Cache<Key, LinkRead> collected = Caffeine.newBuilder().maximumSize(50_000).build();

    Tags(StorageDriver driver, Links links, Duration ttl, Coordination coordination) {
        this.driver = driver;
        this.links = links;
        this.coordination = coordination;
        this.resolved = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(ttl).recordStats().build();
        coordination.onChange(this::changed);
    }

    /** The tag cache, for meters. */
    Cache<?, ?> cache() {
        return resolved;
    }

    /** Drops the cached resolution another writer (here or on another instance) changed. */
    private void changed(String key) {
        if (key.startsWith(CHANGE_PREFIX)) {
            int colon = key.lastIndexOf(':');
            try {
                resolved.invalidate(new Key(RepositoryName.parse(key.substring(CHANGE_PREFIX.length(), colon)),
                        new Tag(key.substring(colon + 1))));
            } catch (RuntimeException malformed) {
                resolved.invalidateAll();
            }
        }
    }

    private static final String CHANGE_PREFIX = "tag:";

    private static String lockKey(RepositoryName repo, Tag tag) {
        return CHANGE_PREFIX + repo.value() + ":" + tag.value();
    }

    /** The digest the tag points to, or empty. */
    public Optional<Digest> resolve(RepositoryName repo, Tag tag) throws IOException {
        Key key = new Key(repo, tag);
        Optional<Digest> cached = resolved.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        Optional<Digest> found = links.read(StorageLayout.tagCurrentLink(repo, tag));
        resolved.put(key, found);
        return found;
    }

    /** The digest the tag points to, read from storage (bypassing the cache), or empty. */
    public Optional<Digest> current(RepositoryName repo, Tag tag) throws IOException {
        return links.read(StorageLayout.tagCurrentLink(repo, tag));
    }

    /**
     * The digest the tag points to, for the garbage collector, which lists the repository first: when the listing
     * gave the current link's entity tag ({@code listedEtag}, may be null) and it equals the MD5 of the bytes this
     * method read for the tag last time, those bytes are still the link's content (S3's entity tag of an object
     * written in one request is its MD5), and the link is not read again. Otherwise it is read from storage, as
     * {@link #current} does. An entity tag that is no MD5 (KMS encryption, other stores) never matches, so the
     * link is always read there.
     */
    public Optional<Digest> currentAsListed(RepositoryName repo, Tag tag, String listedEtag) throws IOException {
        Key key = new Key(repo, tag);
        LinkRead last = listedEtag == null ? null : collected.getIfPresent(key);
        if (last != null && last.md5().equals(listedEtag)) {
            return last.digest();
        }
        Optional<byte[]> content = links.bytes(StorageLayout.tagCurrentLink(repo, tag));
        if (content.isEmpty()) {
            collected.invalidate(key);
            return Optional.empty();
        }
        Optional<Digest> digest = Links.parse(content.get());
        collected.put(key, new LinkRead(md5Hex(content.get()), digest));
        return digest;
    }

    private static String md5Hex(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    /** When the tag was last pointed at a manifest (its current link's modification time), or empty. */
    public Optional<java.time.Instant> taggedAt(RepositoryName repo, Tag tag) throws IOException {
        try {
            return Optional.of(driver.stat(StorageLayout.tagCurrentLink(repo, tag)).modified());
        } catch (PathNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Forgets every cached resolution of a repository that was removed. */
    void forgetRepository(RepositoryName repo) {
        resolved.asMap().keySet().removeIf(k -> k.repo().equals(repo));
        collected.asMap().keySet().removeIf(k -> k.repo().equals(repo));
    }

    /**
     * Points the tag at the digest (recording it in the tag's index too). Durable when it returns. Writes and
     * removals of one tag are serialised by its lock (across instances with shared coordination), so the tag ends
     * as the last acknowledged operation left it; a directory a concurrent removal or collection deleted is made
     * again.
     */
    public void tag(RepositoryName repo, Tag tag, Digest digest) throws IOException {
        try (Coordination.Held lock = coordination.lock(lockKey(repo, tag))) {
            links.write(StorageLayout.tagIndexLink(repo, tag, digest), digest);
            links.write(StorageLayout.tagCurrentLink(repo, tag), digest);
        } finally {
            // Every cache of the tag, here and on other instances, reads it again.
            resolved.invalidate(new Key(repo, tag));
            coordination.changed(lockKey(repo, tag));
        }
    }

    /**
     * Removes a tag.
     *
     * @return false when there was no such tag
     */
    public boolean untag(RepositoryName repo, Tag tag) throws IOException {
        try (Coordination.Held lock = coordination.lock(lockKey(repo, tag))) {
            return links.deleteIfPresent(StorageLayout.tagDir(repo, tag));
        } finally {
            resolved.invalidate(new Key(repo, tag));
            coordination.changed(lockKey(repo, tag));
        }
    }

    /**
     * All tags of the repository in lexical order; empty when it has none.
     *
     * @throws PathNotFoundException never; absent directories give an empty list
     */
    /**
     * Garbage collection: removes revisions from every tag's history (its index), as Distribution's collector does
     * for the untagged manifests it removes, so no history entry is left naming a manifest that is gone. The tags
     * are scanned once, with {@link StorageDriver#walkFiles} (an object store's prefix listing), whatever the number
     * of tags and revisions.
     */
    void removeFromHistories(RepositoryName repo, Collection<Digest> gone) throws IOException {
        if (gone.isEmpty()) {
            return;
        }
        Set<Digest> doomed = new java.util.HashSet<>(gone);
        List<String> entries = new ArrayList<>();
        try {
            driver.walkFiles(StorageLayout.tagsDir(repo), file -> {
                if (doomed.contains(StorageLayout.tagIndexDigestOf(repo, file.path()))) {
                    entries.add(file.path());
                }
            });
        } catch (PathNotFoundException e) {
            return;
        }
        links.deleteAll(entries);
    }

    public List<String> list(RepositoryName repo) throws IOException {
        List<String> out = new ArrayList<>();
        try {
            for (String path : driver.list(StorageLayout.tagsDir(repo))) {
                String name = path.substring(path.lastIndexOf('/') + 1);
                if (Tag.isValid(name)) {
                    out.add(name);
                }
            }
        } catch (PathNotFoundException e) {
            return List.of();
        }
        out.sort(null);
        return out;
    }

    /** Removes every tag that points to the digest; returns those it removed. */
    public List<Tag> untagAll(RepositoryName repo, Digest digest) throws IOException {
        List<Tag> removed = new ArrayList<>();
        for (String name : list(repo)) {
            Tag tag = new Tag(name);
            if (links.read(StorageLayout.tagCurrentLink(repo, tag)).filter(digest::equals).isPresent()
                    && untag(repo, tag)) {
                removed.add(tag);
            }
        }
        return removed;
    }
}
