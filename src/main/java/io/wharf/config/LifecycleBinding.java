package io.wharf.config;

import io.wharf.config.RegistryConfig.Admin;
import io.wharf.config.RegistryConfig.Gc;
import io.wharf.config.RegistryConfig.Lifecycle;
import io.wharf.config.RegistryConfig.RetentionRule;
import io.wharf.config.RegistryConfig.Ui;
import io.wharf.config.YamlNode.Mapping;
import io.wharf.config.YamlNode.Sequence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Binds Wharf's own sections: {@code gc}, {@code retention}, {@code immutabletags}, {@code admin}, {@code ui}. */
final class LifecycleBinding {

    private LifecycleBinding() {
    }

    static Lifecycle bind(ConfigTree tree, Diagnostics diagnostics) {
        List<String> immutable = tree.strings("immutabletags");
        checkGlobs(tree, "immutabletags", immutable, diagnostics);
        Admin admin = new Admin(tree.bool("admin.enabled", Admin.defaults().enabled()),
                tree.bool("admin.allowremote", Admin.defaults().allowRemote()));
        return new Lifecycle(gc(tree, diagnostics), retention(tree, diagnostics), immutable, admin,
                new Ui(tree.bool("ui.enabled", Ui.defaults().enabled()),
                        positive(tree, "ui.sessionttl", Ui.defaults().sessionTtl(), diagnostics)));
    }

    private static Gc gc(ConfigTree tree, Diagnostics diagnostics) {
        Gc d = Gc.defaults();
        Duration interval = positive(tree, "gc.interval", d.interval(), diagnostics);
        Duration grace = tree.duration("gc.graceperiod", d.gracePeriod());
        if (grace.isNegative()) {
            diagnostics.error("gc.graceperiod", "must not be negative", tree.node("gc.graceperiod").orElseThrow());
            grace = d.gracePeriod();
        }
        return new Gc(tree.bool("gc.enabled", d.enabled()), interval, grace,
                tree.bool("gc.deleteuntagged", d.deleteUntagged()), tree.bool("gc.dryrun", d.dryRun()));
    }

    private static Duration positive(ConfigTree tree, String path, Duration fallback, Diagnostics diagnostics) {
        Duration value = tree.duration(path, fallback);
        if (value.isZero() || value.isNegative()) {
            diagnostics.error(path, "must be positive", tree.node(path).orElseThrow());
            return fallback;
        }
        return value;
    }

    private static List<RetentionRule> retention(ConfigTree tree, Diagnostics diagnostics) {
        List<RetentionRule> rules = new ArrayList<>();
        if (!(tree.node("retention").orElse(null) instanceof Sequence list)) {
            return rules;
        }
        for (int i = 0; i < list.items().size(); i++) {
            if (list.items().get(i) instanceof Mapping entry) {
                rules.add(rule(new ConfigTree(entry), "retention[" + i + "]", entry, diagnostics));
            }
        }
        return rules;
    }

    private static RetentionRule rule(ConfigTree rule, String at, Mapping entry, Diagnostics diagnostics) {
        String repositories = rule.string("repositories", "");
        if (repositories.isEmpty()) {
            diagnostics.error(at + ".repositories", "is required (a glob such as team/** or *)", entry);
        }
        int keepLast = rule.integer("keeplast", -1);
        if (rule.has("keeplast") && keepLast < 0) {
            diagnostics.error(at + ".keeplast", "must not be negative", entry);
        }
        Duration keepWithin = rule.has("keepwithin") ? rule.duration("keepwithin", null) : null;
        if (keepWithin != null && keepWithin.isNegative()) {
            diagnostics.error(at + ".keepwithin", "must not be negative", entry);
        }
        if (!rule.has("keeplast") && !rule.has("keepwithin")) {
            diagnostics.warn(at, "has neither keeplast nor keepwithin, so it keeps every tag", entry);
        }
        List<String> protect = rule.strings("protect");
        checkGlobs(rule, at + ".protect", protect, diagnostics);
        return new RetentionRule(repositories, keepLast, keepWithin, protect);
    }

    private static void checkGlobs(ConfigTree tree, String path, List<String> globs, Diagnostics diagnostics) {
        for (int i = 0; i < globs.size(); i++) {
            if (globs.get(i).isBlank()) {
                diagnostics.error(path + "[" + i + "]", "an empty pattern matches nothing",
                        tree.node(path.substring(path.lastIndexOf('.') + 1)).orElseThrow());
            }
        }
    }
}
