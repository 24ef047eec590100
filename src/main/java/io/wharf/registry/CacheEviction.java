package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import io.wharf.storage.PathNotFoundException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Measures what the repositories of each {@link CachePolicy} hold and evicts what the policy no longer allows. The
 * units are the repositories' roots: each tag, and each manifest that neither a tag nor another manifest reaches
 * (one a mirror fetched by digest), each with everything it reaches (index children, referrers, blobs). A tag's last
 * use is its last pull or push; an untagged manifest's the time it was stored. A blob counts once however many
 * roots and repositories reference it, and frees its bytes only when the last of them goes.
 */
public final class CacheEviction {
    private final Registry registry;

    /** What a cache's repositories hold now. */
    public record Usage(String name, long bytes, long maxBytes, int repositories, int roots) {
    }

    /** A root chosen for eviction: a tag ({@code tag} set, {@code digest} what it names) or an untagged manifest. */
    record Eviction(RepositoryName repo, Tag tag, Digest digest, Digest subject) {
        @Override
        public String toString() {
            return tag != null ? repo + ":" + tag : repo + "@" + digest;
        }
    }

    /** The plan for one cache: its usage before, what to evict, and the bytes that remain after. */
    record Plan(Usage before, List<Eviction> evictions, long bytesAfter) {
    }

    private record Root(RepositoryName repo, Tag tag, Digest digest, Instant lastUsed, Set<Digest> reaches) {
    }

    public CacheEviction(Registry registry) {
        this.registry = registry;
    }

    /** What each cache's repositories hold, for the admin API. */
    public List<Usage> usage(List<CachePolicy> caches) throws IOException {
        List<RepositoryName> repos = registry.repositories().scanStorage();
        List<Usage> out = new ArrayList<>();
        for (CachePolicy c : caches) {
            out.add(plan(c, repos, Instant.MIN, Instant.MIN).before());
        }
        return out;
    }

    /**
     * What to evict: every root unused for the cache's ttl before {@code now}, then the least recently used until
     * the bytes fit, never a root used at or after {@code keepAfter} (the collection's grace period).
     */
    Plan plan(CachePolicy cache, List<RepositoryName> repos, Instant now, Instant keepAfter) throws IOException {
        ManifestReferences references = new ManifestReferences(registry.driver(), registry.parser());
        RepositoryMarker marker = new RepositoryMarker(registry.driver(), registry.tags(), references, Set.of());
        List<Root> roots = new ArrayList<>();
        int covered = 0;
        for (RepositoryName repo : repos) {
            if (cache.repositories().matches(repo.value())) {
                covered++;
                roots.addAll(roots(repo, marker, references));
            }
        }
        Map<Digest, Integer> holders = new HashMap<>();
        for (Root r : roots) {
            r.reaches().forEach(d -> holders.merge(d, 1, Integer::sum));
        }
        Map<Digest, Long> sizes = new HashMap<>();
        long total = 0;
        for (Digest d : holders.keySet()) {
            long size = size(d);
            sizes.put(d, size);
            total += size;
        }
        Usage before = new Usage(cache.name(), total, cache.maxBytes(), covered, roots.size());
        roots.sort(Comparator.comparing(Root::lastUsed));
        Instant expiredBefore = cache.ttl().isPositive() ? now.minus(cache.ttl()) : Instant.MIN;
        List<Eviction> evictions = new ArrayList<>();
        for (Root r : roots) {
            boolean expired = r.lastUsed().isBefore(expiredBefore);
            boolean over = cache.maxBytes() > 0 && total > cache.maxBytes();
            if ((!expired && !over) || !r.lastUsed().isBefore(keepAfter)) {
                break;
            }
            for (Digest d : r.reaches()) {
                if (holders.merge(d, -1, Integer::sum) == 0) {
                    total -= sizes.get(d);
                }
            }
            evictions.add(new Eviction(r.repo(), r.tag(), r.digest(),
                    references.of(r.digest()).map(ManifestReferences.Refs::subject).orElse(null)));
        }
        return new Plan(before, evictions, total);
    }

    /**
     * Evicts what was planned, except roots a writer touched at or after {@code since} (pushed again, re-fetched).
     * An evicted tag's manifest goes with it unless another tag of the repository still names it.
     *
     * @param activity the writers' activity the removals go through (the collection's, fenced by its lease)
     * @return what was evicted
     */
    List<String> apply(Plan plan, Instant since, WriteActivity activity) throws IOException {
        List<String> evicted = new ArrayList<>();
        for (Eviction e : plan.evictions()) {
            boolean gone;
            if (e.tag() != null) {
                TagRef ref = new TagRef(e.repo(), e.tag());
                gone = activity.removeUnlessRecent(ref, since, () -> {
                    boolean untagged = registry.tags().untag(e.repo(), e.tag());
                    registry.pulls().forget(e.repo(), e.tag());
                    return untagged;
                });
                if (gone && !namedByATag(e.repo(), e.digest())) {
                    activity.removeUnlessRecent(e.digest(), since,
                            () -> registry.manifestStore().removeRevision(e.repo(), e.digest(), e.subject()));
                }
            } else {
                gone = activity.removeUnlessRecent(e.digest(), since,
                        () -> registry.manifestStore().removeRevision(e.repo(), e.digest(), e.subject()));
            }
            if (gone) {
                evicted.add(e.toString());
            }
        }
        return evicted;
    }

    private boolean namedByATag(RepositoryName repo, Digest digest) throws IOException {
        for (String name : registry.tags().list(repo)) {
            if (registry.tags().current(repo, new Tag(name)).filter(digest::equals).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private List<Root> roots(RepositoryName repo, RepositoryMarker marker, ManifestReferences references)
            throws IOException {
        Map<Digest, Instant> revisions = marker.revisions(repo);
        Map<Digest, List<Digest>> referrers = RepositoryMarker.referrers(revisions.keySet(), references);
        List<Root> out = new ArrayList<>();
        Set<Digest> reachedByTags = new HashSet<>();
        for (String name : registry.tags().list(repo)) {
            Tag tag = new Tag(name);
            Optional<Digest> digest = registry.tags().current(repo, tag);
            if (digest.isEmpty()) {
                continue;
            }
            Instant pushed = registry.tags().taggedAt(repo, tag).orElse(Instant.EPOCH);
            Instant pulled = registry.pulls().lastPulled(repo, tag).orElse(Instant.EPOCH);
            Set<Digest> reaches = new HashSet<>();
            marker.markFrom(List.of(digest.get()), referrers, reaches);
            reachedByTags.addAll(reaches);
            out.add(new Root(repo, tag, digest.get(), pulled.isAfter(pushed) ? pulled : pushed, reaches));
        }
        for (Digest top : RepositoryMarker.topLevel(revisions.keySet(), reachedByTags, referrers, marker)) {
            Set<Digest> reaches = new HashSet<>();
            marker.markFrom(List.of(top), referrers, reaches);
            out.add(new Root(repo, null, top, revisions.get(top), reaches));
        }
        return out;
    }

    private long size(Digest d) throws IOException {
        try {
            return registry.driver().stat(StorageLayout.blobData(d)).size();
        } catch (PathNotFoundException e) {
            return 0;
        }
    }
}
