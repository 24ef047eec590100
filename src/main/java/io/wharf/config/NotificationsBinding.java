package io.wharf.config;

import io.wharf.config.RegistryConfig.Endpoint;
import io.wharf.config.RegistryConfig.Notifications;
import io.wharf.config.YamlNode.Mapping;
import io.wharf.config.YamlNode.Sequence;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds {@code notifications} with Distribution's keys and defaults (an endpoint's {@code timeout} 1 s,
 * {@code threshold} 10, {@code backoff} 1 s), plus Wharf's {@code notifications.queue}.
 */
final class NotificationsBinding {
    private static final Set<String> ACTIONS = Set.of("push", "pull", "delete", "mount");

    private NotificationsBinding() {
    }

    static Notifications bind(ConfigTree tree, Diagnostics diagnostics) {
        Notifications none = Notifications.none();
        List<Endpoint> endpoints = new ArrayList<>();
        if (tree.node("notifications.endpoints").orElse(null) instanceof Sequence list) {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < list.items().size(); i++) {
                if (list.items().get(i) instanceof Mapping m) {
                    Endpoint e = endpoint(new ConfigTree(m), "notifications.endpoints[" + i + "]", diagnostics);
                    if (e != null && !names.add(e.name())) {
                        diagnostics.error("notifications.endpoints[" + i + "].name: \"" + e.name()
                                + "\" is used twice; each endpoint's queue is named after it");
                    } else if (e != null) {
                        endpoints.add(e);
                    }
                }
            }
        }
        String dir = tree.string("notifications.queue.directory", "");
        int max = tree.integer("notifications.queue.maxevents", Notifications.DEFAULT_MAX_EVENTS);
        if (max < 1) {
            diagnostics.error("notifications.queue.maxevents: must be at least 1");
            max = Notifications.DEFAULT_MAX_EVENTS;
        }
        return new Notifications(endpoints, tree.bool("notifications.events.includereferences", false),
                dir.isEmpty() ? none.queueDirectory() : Path.of(dir), max);
    }

    private static Endpoint endpoint(ConfigTree t, String at, Diagnostics diagnostics) {
        String name = t.string("name", "");
        if (name.isEmpty()) {
            // Distribution does not require a name; the queue needs one.
            name = "endpoint-" + at.replaceAll("\\D", "");
            diagnostics.warn(at + ".name: not set; its queue is called " + name);
        }
        if (!name.matches("[A-Za-z0-9._-]+")) {
            diagnostics.error(at + ".name: required, letters, digits, '.', '_' and '-' only; got \"" + name + "\"");
            return null;
        }
        URI uri = t.httpUrl("url").orElse(null);
        if (uri == null) {
            diagnostics.error(at + ".url: must be an http or https URL");
            return null;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        t.entries("headers").forEach((k, v) -> Scalars.strings(v).ifPresent(list -> headers.put(k, list)));
        Set<String> types = new HashSet<>(t.strings("ignoredmediatypes"));
        types.addAll(t.strings("ignore.mediatypes"));
        Set<String> actions = new HashSet<>(t.strings("ignore.actions"));
        for (String a : actions) {
            if (!ACTIONS.contains(a)) {
                diagnostics.warn(at + ".ignore.actions: \"" + a + "\" is not an action (push, pull, delete, mount)");
            }
        }
        Duration timeout = t.duration("timeout", Duration.ofSeconds(1));
        Duration backoff = t.duration("backoff", Duration.ofSeconds(1));
        int threshold = t.integer("threshold", 10);
        return new Endpoint(name, uri, headers, timeout.isPositive() ? timeout : Duration.ofSeconds(1),
                Math.max(1, threshold), backoff.isPositive() ? backoff : Duration.ofSeconds(1),
                t.bool("disabled", false), types, actions);
    }
}
