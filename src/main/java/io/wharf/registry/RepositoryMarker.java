package io.wharf.registry;

import io.wharf.spec.Digest;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import io.wharf.storage.StorageDriver;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mark phase for one repository. Roots are the manifests its tags point to, plus every
 * revision unless untagged manifests are being deleted, plus (always) revisions linked after the
 * grace cut-off. From the roots it marks each manifest, its config and layers, its children
 * (recursively) and the manifests whose subject is a marked manifest (recursively).
 */
final class RepositoryMarker {
    /**
     * What one repository keeps and loses.
     *
     * @param repo the repository
     * @param marked manifests and blobs reachable in it
     * @param unreachable revisions not reached (only when deleting untagged manifests)
     * @param layerLinks the blobs the repository links in {@code _layers}
     * @param missingManifests reachable manifests whose content is not in the blob store
     * @param holdsManifests whether the repository has a tag, or a revision the mark reached: then it is not left
     *     empty by this collection, and need not be checked for emptiness
     */
    record Marks(RepositoryName repo, Set<Digest> marked, List<Revision> unreachable, List<Digest> layerLinks,
            List<Digest> missingManifests, boolean holdsManifests) {
        /** The same without the marked set, to keep memory low once it was merged. */
        Marks withoutMarked() {
            return new Marks(repo, Set.of(), unreachable, layerLinks, missingManifests, holdsManifests);
        }
    }

    /** A manifest revision of the repository and its subject ({@code null} when none). */
    record Revision(Digest digest, Digest subject) {
    }

    private final StorageDriver driver;
    private final Tags tags;
    private final ManifestReferences references;
    private final Set<TagRef> ignoredTags;

    /** @param ignoredTags tags treated as absent (those a dry run's retention would remove) */
    RepositoryMarker(StorageDriver driver, Tags tags, ManifestReferences references, Set<TagRef> ignoredTags) {
        this.driver = driver;
        this.tags = tags;
        this.references = references;
        this.ignoredTags = ignoredTags;
    }

    /**
     * Marks one repository.
     *
     * @param deleteUntagged whether untagged revisions are roots only when newer than the cut-off
     * @param graceCutoff revisions linked at or after this instant are always roots
     */
    Marks mark(RepositoryName repo, boolean deleteUntagged, Instant graceCutoff) throws IOException {
        return mark(repo, deleteUntagged, graceCutoff, false);
    }

    /**
     * Marks one repository; in a mirror's cache ({@code cache}) the untagged manifests no other manifest reaches
     * are roots (content fetched by digest stays until evicted), and the others are reclaimed once unreachable
     * (the children of an evicted index), whatever {@code deleteUntagged} says.
     */
    Marks mark(RepositoryName repo, boolean deleteUntagged, Instant graceCutoff, boolean cache) throws IOException {
        RepositoryScan scan = RepositoryScan.of(driver, repo);
        Map<Digest, Instant> revisions = scan.revisions();
        Map<Digest, List<Digest>> referrers = referrers(revisions.keySet(), references);
        List<Digest> tagged = tagged(repo, scan);
        List<Digest> roots = new ArrayList<>(tagged);
        if (cache) {
            Set<Digest> reachedByTags = new HashSet<>();
            markFrom(tagged, referrers, reachedByTags);
            roots.addAll(topLevel(revisions.keySet(), reachedByTags, referrers, this));
        }
        boolean untaggedGo = deleteUntagged || cache;
        revisions.forEach((d, linked) -> {
            if (!untaggedGo || !linked.isBefore(graceCutoff)) {
                roots.add(d);
            }
        });
        Set<Digest> marked = new HashSet<>();
        List<Digest> missing = markFrom(roots, referrers, marked);
        List<Revision> unreachable = new ArrayList<>();
        for (Digest d : revisions.keySet()) {
            if (!marked.contains(d)) {
                unreachable.add(new Revision(d, references.of(d).map(ManifestReferences.Refs::subject).orElse(null)));
            }
        }
        return new Marks(repo, marked, unreachable, scan.layerLinks(), missing,
                !scan.tags().isEmpty() || unreachable.size() < revisions.size());
    }

    /** Manifests by the subject they refer to, among {@code revisions}. */
    static Map<Digest, List<Digest>> referrers(Collection<Digest> revisions, ManifestReferences references)
            throws IOException {
        Map<Digest, List<Digest>> out = new HashMap<>();
        for (Digest d : revisions) {
            var refs = references.of(d);
            if (refs.isPresent() && refs.get().subject() != null) {
                out.computeIfAbsent(refs.get().subject(), s -> new ArrayList<>()).add(d);
            }
        }
        return out;
    }

    /** The revisions that neither {@code reachedByTags} holds nor another revision reaches. */
    static List<Digest> topLevel(Collection<Digest> revisions, Set<Digest> reachedByTags,
            Map<Digest, List<Digest>> referrers, RepositoryMarker marker) throws IOException {
        List<Digest> candidates = revisions.stream().filter(d -> !reachedByTags.contains(d)).toList();
        Set<Digest> reachedByOthers = new HashSet<>();
        for (Digest d : candidates) {
            Set<Digest> reaches = new HashSet<>();
            marker.markFrom(List.of(d), referrers, reaches);
            reaches.remove(d);
            reachedByOthers.addAll(reaches);
        }
        return candidates.stream().filter(d -> !reachedByOthers.contains(d)).toList();
    }

    /**
     * Marks everything reachable from the roots into {@code marked}.
     *
     * @param referrers manifests by the subject they refer to
     * @return manifests reached whose content is missing
     */
    List<Digest> markFrom(Collection<Digest> roots, Map<Digest, List<Digest>> referrers, Set<Digest> marked)
            throws IOException {
        List<Digest> missing = new ArrayList<>();
        Deque<Digest> queue = new ArrayDeque<>(roots);
        while (!queue.isEmpty()) {
            Digest d = queue.poll();
            if (!marked.add(d)) {
                continue;
            }
            var refs = references.of(d);
            if (refs.isEmpty()) {
                missing.add(d);
                continue;
            }
            marked.addAll(refs.get().blobs());
            queue.addAll(refs.get().children());
            queue.addAll(referrers.getOrDefault(d, List.of()));
        }
        return missing;
    }

    /**
     * The digests the tags point to: each current link read again (a listing's time is too coarse to tell a moved
     * tag), unless the listing's entity tag shows the same bytes this process read last time.
     */
    private List<Digest> tagged(RepositoryName repo, RepositoryScan scan) throws IOException {
        List<Digest> out = new ArrayList<>();
        for (Tag tag : scan.tags()) {
            if (!ignoredTags.contains(new TagRef(repo, tag))) {
                tags.currentAsListed(repo, tag, scan.tagEtags().get(tag)).ifPresent(out::add);
            }
        }
        return out;
    }

    /** Revision digests with the time their link was written. */
    Map<Digest, Instant> revisions(RepositoryName repo) throws IOException {
        return RepositoryScan.of(driver, repo).revisions();
    }
}
