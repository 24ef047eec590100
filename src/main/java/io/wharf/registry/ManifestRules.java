package io.wharf.registry;

import io.wharf.spec.Descriptor;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a manifest push must satisfy beyond being well formed: Distribution's {@code validation} section.
 *
 * @param verifyReferences whether referenced blobs and child manifests must be in the repository
 * @param allowUrls foreign-layer URLs must match this ({@code find}, as Go's {@code MatchString}); {@code null}
 *     allows any
 * @param denyUrls foreign-layer URLs must not match this; {@code null} denies none
 * @param indexChildren which children of an index must exist
 * @param requiredPlatforms with {@link IndexChildren#LISTED}: the {@code os/architecture} pairs that must exist
 */
public record ManifestRules(boolean verifyReferences, Pattern allowUrls, Pattern denyUrls,
        IndexChildren indexChildren, Set<String> requiredPlatforms) {

    /** {@code validation.manifests.indexes.platforms}. */
    public enum IndexChildren { ALL, NONE, LISTED }

    public ManifestRules {
        requiredPlatforms = Set.copyOf(requiredPlatforms);
    }

    /**
     * Distribution's rules for a {@code validation} section: when validation is enabled and neither allow nor
     * deny patterns are given, no foreign URL is allowed at all; patterns are joined as alternatives.
     */
    public static ManifestRules of(boolean validationEnabled, List<String> allow, List<String> deny,
            IndexChildren indexChildren, Set<String> requiredPlatforms) {
        Pattern allowed = null;
        Pattern denied = null;
        if (validationEnabled) {
            if (allow.isEmpty() && deny.isEmpty()) {
                allowed = Pattern.compile("^$");
            } else {
                allowed = alternatives(allow);
                denied = alternatives(deny);
            }
        }
        return new ManifestRules(true, allowed, denied, indexChildren, requiredPlatforms);
    }

    /** Distribution's defaults: everything verified, no foreign URL allowed, every index child required. */
    public static ManifestRules defaults() {
        return of(true, List.of(), List.of(), IndexChildren.ALL, Set.of());
    }

    private static Pattern alternatives(List<String> patterns) {
        if (patterns.isEmpty()) {
            return null;
        }
        return Pattern.compile(String.join("|", patterns.stream().map(p -> "(?:" + p + ")").toList()));
    }

    /** Whether a foreign layer may point at the URL: http(s), no fragment, allowed and not denied. */
    public boolean urlAllowed(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return false;
        }
        boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
        return web && uri.getRawFragment() == null
                && (allowUrls == null || allowUrls.matcher(url).find())
                && (denyUrls == null || !denyUrls.matcher(url).find());
    }

    /** Whether an index may only be pushed once this child is in the repository. */
    public boolean childMustExist(Descriptor child) {
        return switch (indexChildren) {
            case ALL -> true;
            case NONE -> false;
            case LISTED -> requiredPlatforms.contains(child.platform().os() + "/" + child.platform().architecture());
        };
    }
}
