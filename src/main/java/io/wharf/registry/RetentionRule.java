package io.wharf.registry;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One retention rule: in repositories matching {@code repositories}, keep the newest
 * {@code keepLast} tags and every tag pushed or pulled within {@code keepWithin}; remove the other
 * tags unless one of the {@code protect} patterns matches them. A rule with neither limit keeps
 * everything.
 *
 * @param repositories repository names the rule applies to
 * @param keepLast how many of the most recently pushed tags to keep; negative when unset
 * @param keepWithin keep tags pushed or pulled this recently; {@code null} when unset
 * @param protect tags never removed
 */
public record RetentionRule(GlobPattern repositories, int keepLast, Duration keepWithin, List<GlobPattern> protect) {
    public RetentionRule {
        Objects.requireNonNull(repositories, "repositories");
        protect = List.copyOf(protect);
    }

    /** True when the rule limits anything. */
    public boolean limits() {
        return keepLast >= 0 || keepWithin != null;
    }
}
