package io.wharf.config;

import io.wharf.config.RegistryConfig.Proxy;
import io.wharf.config.RegistryConfig.ProxyUpstream;
import io.wharf.config.YamlNode.Mapping;
import io.wharf.config.YamlNode.Sequence;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Binds {@code proxy}: Distribution's keys ({@code remoteurl}, {@code username}, {@code password}, {@code ttl})
 * mirror one upstream for every repository; Wharf's {@code proxy.upstreams} list mirrors several, each under a
 * repository prefix, beside ordinary repositories.
 */
final class ProxyBinding {
    /** Distribution's default {@code ttl}: 7 days. */
    static final Duration DEFAULT_TTL = Duration.ofDays(7);
    /** How long a tag's digest is trusted before the upstream is asked again (Wharf). */
    static final Duration DEFAULT_TAG_TTL = Duration.ofMinutes(1);

    private ProxyBinding() {
    }

    static Proxy bind(ConfigTree tree, Diagnostics diagnostics) {
        Proxy none = Proxy.none();
        List<ProxyUpstream> upstreams = new ArrayList<>();
        Duration tagTtl = tree.duration("proxy.tagttl", DEFAULT_TAG_TTL);
        if (!tree.string("proxy.remoteurl", "").isEmpty()) {
            if (tree.has("proxy.upstreams")) {
                diagnostics.error("proxy: remoteurl mirrors every repository, so it cannot be combined with "
                        + "proxy.upstreams; add it to the list with an empty prefix instead");
            }
            upstream(tree, "proxy.", "", tagTtl, diagnostics).ifPresent(upstreams::add);
        }
        if (tree.node("proxy.upstreams").orElse(null) instanceof Sequence list) {
            Set<String> prefixes = new HashSet<>();
            for (int i = 0; i < list.items().size(); i++) {
                if (!(list.items().get(i) instanceof Mapping entry)) {
                    continue;
                }
                ConfigTree t = new ConfigTree(entry);
                String at = "proxy.upstreams[" + i + "]";
                String prefix = t.string("prefix", "").replaceAll("^/+|/+$", "");
                if (!prefix.isEmpty() && !prefix.matches("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
                        + "(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*")) {
                    diagnostics.error(at + ".prefix: \"" + prefix + "\" is not a repository name prefix");
                    continue;
                }
                if (!prefixes.add(prefix)) {
                    diagnostics.error(at + ".prefix: \"" + prefix + "\" is mirrored twice");
                    continue;
                }
                upstream(t, "", prefix, t.duration("tagttl", tagTtl), diagnostics, at).ifPresent(upstreams::add);
            }
        }
        String spool = tree.string("proxy.spooldirectory", "");
        Duration timeout = tree.duration("proxy.timeout", none.timeout());
        return new Proxy(upstreams, spool.isEmpty() ? none.spoolDirectory() : Path.of(spool),
                timeout.isZero() || timeout.isNegative() ? none.timeout() : timeout);
    }

    private static java.util.Optional<ProxyUpstream> upstream(ConfigTree tree, String keys, String prefix,
            Duration tagTtl, Diagnostics diagnostics) {
        return upstream(tree, keys, prefix, tagTtl, diagnostics, "proxy");
    }

    private static java.util.Optional<ProxyUpstream> upstream(ConfigTree tree, String keys, String prefix,
            Duration tagTtl, Diagnostics diagnostics, String at) {
        String url = tree.string(keys + "remoteurl", "");
        URI uri = tree.httpUrl(keys + "remoteurl").map(u -> url.endsWith("/") ? u : URI.create(url + "/"))
                .orElse(null);
        if (uri == null) {
            diagnostics.error(at + ".remoteurl: must be an http or https URL, got \"" + url + "\"");
            return java.util.Optional.empty();
        }
        Duration ttl = tree.duration(keys + "ttl", DEFAULT_TTL);
        if (ttl.isNegative()) {
            diagnostics.error(at + ".ttl: must not be negative");
            ttl = DEFAULT_TTL;
        }
        String cap = tree.string(keys + "maxbytes", "");
        long maxBytes = 0;
        if (!cap.isEmpty()) {
            try {
                maxBytes = ByteSize.parse(cap);
            } catch (IllegalArgumentException e) {
                diagnostics.error(at + ".maxbytes: " + e.getMessage());
            }
        }
        return java.util.Optional.of(new ProxyUpstream(prefix, uri, tree.string(keys + "username", ""),
                tree.string(keys + "password", ""), ttl, tagTtl.isNegative() ? DEFAULT_TAG_TTL : tagTtl,
                tree.string(keys + "namespace", ""), maxBytes));
    }
}
