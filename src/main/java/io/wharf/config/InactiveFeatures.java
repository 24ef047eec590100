package io.wharf.config;

import io.wharf.config.YamlNode.Mapping;
import io.wharf.config.YamlNode.Sequence;

/**
 * Sections Wharf parses but does not act on yet. Those whose absence would change who can reach the registry
 * or what it serves (Let's Encrypt, the pull-through proxy) stop the start: running without them would silently
 * expose or change the service. The others produce exactly one warning each, naming what is not active.
 */
final class InactiveFeatures {

    private static final String NOT_YET = " is not supported yet by this version of Wharf";
    private static final String NOT_ACTIVE = " not active yet in this version of Wharf; the section is ignored";

    private InactiveFeatures() {
    }

    static void report(ConfigTree tree, Diagnostics diagnostics) {
        refuse(tree, diagnostics);
        warn(tree, diagnostics);
    }

    private static void refuse(ConfigTree tree, Diagnostics diagnostics) {
        if (tree.has("http.tls.letsencrypt.cachefile")) {
            diagnostics.error("http.tls.letsencrypt: Let's Encrypt" + NOT_YET
                    + "; use http.tls.certificate and http.tls.key with a certificate from your ACME client");
        }
    }

    private static void warn(ConfigTree tree, Diagnostics diagnostics) {
        warnIfSet(tree, "middleware", "middleware is", diagnostics);
        warnIfSet(tree, "reporting", "error reporting (bugsnag, newrelic) is", diagnostics);
        warnIfSet(tree, "log.hooks", "log hooks are", diagnostics);
        warnIfSet(tree, "policy", "repository class policy is", diagnostics);
        if (tree.bool("compatibility.schema1.enabled", false)) {
            diagnostics.warn("compatibility.schema1.enabled: schema1 manifests are" + NOT_ACTIVE);
        }
    }

    /** One warning when {@code path} holds anything but nothing, an empty mapping or an empty list. */
    private static void warnIfSet(ConfigTree tree, String path, String what, Diagnostics diagnostics) {
        boolean set = tree.node(path).filter(n -> !(n instanceof Mapping m && m.entries().isEmpty())
                && !(n instanceof Sequence s && s.items().isEmpty())).isPresent();
        if (set) {
            diagnostics.warn(path + ": " + what + NOT_ACTIVE);
        }
    }
}
