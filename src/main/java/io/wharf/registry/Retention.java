package io.wharf.registry;

import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Applies {@link RetentionRule}s: decides which tags go, and removes them. The first rule whose
 * repository pattern matches a repository is the one that applies to it. Removing a tag leaves its
 * manifest; garbage collection with untagged deletion frees the space.
 */
final class Retention {
    /** A tag with when it was pushed and last pulled. */
    record TagAge(Tag tag, Instant pushed, Instant pulled) {
        Instant lastUsed() {
            return pulled != null && pulled.isAfter(pushed) ? pulled : pushed;
        }
    }

    private final Tags tags;
    private final PullRecords pulls;
    private final WriteActivity activity;

    Retention(Tags tags, PullRecords pulls, WriteActivity activity) {
        this.tags = tags;
        this.pulls = pulls;
        this.activity = activity;
    }

    /** The tags the rules would remove, over all the repositories. */
    List<TagRef> plan(List<RetentionRule> rules, List<RepositoryName> repositories, Instant now) throws IOException {
        List<TagRef> out = new ArrayList<>();
        for (RepositoryName repo : repositories) {
            RetentionRule rule = rules.stream().filter(r -> r.repositories().matches(repo.value())).findFirst()
                    .orElse(null);
            if (rule != null && rule.limits()) {
                for (Tag t : expired(rule, ages(repo), now)) {
                    out.add(new TagRef(repo, t));
                }
            }
        }
        return out;
    }

    /**
     * The tags of one repository a rule removes: pure, for testing.
     *
     * @param ages every tag of the repository
     */
    static List<Tag> expired(RetentionRule rule, List<TagAge> ages, Instant now) {
        List<TagAge> candidates = new ArrayList<>(ages.stream()
                .filter(a -> GlobPattern.firstMatch(rule.protect(), a.tag().value()) == null).toList());
        candidates.sort(Comparator.comparing(TagAge::pushed).reversed().thenComparing(TagAge::tag));
        List<Tag> out = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            TagAge a = candidates.get(i);
            boolean newest = rule.keepLast() >= 0 && i < rule.keepLast();
            boolean recent = rule.keepWithin() != null && !a.lastUsed().isBefore(now.minus(rule.keepWithin()));
            if (!newest && !recent) {
                out.add(a.tag());
            }
        }
        out.sort(null);
        return out;
    }

    private List<TagAge> ages(RepositoryName repo) throws IOException {
        List<TagAge> out = new ArrayList<>();
        for (String name : tags.list(repo)) {
            Tag tag = new Tag(name);
            Optional<Instant> pushed = tags.taggedAt(repo, tag);
            if (pushed.isPresent()) {
                out.add(new TagAge(tag, pushed.get(), pulls.lastPulled(repo, tag).orElse(null)));
            }
        }
        return out;
    }

    /**
     * Removes the planned tags, except those pushed again since the plan was made.
     *
     * @param since tags touched at or after this instant are kept
     * @return the tags removed
     */
    List<TagRef> apply(List<TagRef> planned, Instant since) throws IOException {
        List<TagRef> removed = new ArrayList<>();
        for (TagRef ref : planned) {
            boolean gone = activity.removeUnlessRecent(ref, since, () -> {
                boolean untagged = tags.untag(ref.repo(), ref.tag());
                pulls.forget(ref.repo(), ref.tag());
                return untagged;
            });
            if (gone) {
                removed.add(ref);
            }
        }
        return removed;
    }
}
