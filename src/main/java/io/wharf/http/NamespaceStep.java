package io.wharf.http;

import java.util.Map;
import org.eclipse.jetty.util.Fields;

/**
 * containerd's mirror convention: a registry configured as a mirror in {@code hosts.toml} is asked for
 * {@code /v2/<name>/...?ns=<upstream host>}. Where a mirrored upstream is known under that host, the request is
 * answered from the repository under the upstream's prefix ({@code ?ns=docker.io} turns {@code library/alpine} into
 * {@code dockerhub/library/alpine}), so one Wharf mirrors several registries for containerd. An unknown {@code ns}
 * changes nothing.
 */
final class NamespaceStep implements Step {
    private final Map<String, String> prefixes;

    NamespaceStep(Map<String, String> prefixes) {
        this.prefixes = prefixes;
    }

    @Override
    public void apply(Exchange exchange, Chain next) throws Exception {
        String query = exchange.request().getHttpURI().getQuery();
        if (query != null && query.contains("ns=")) {
            Fields fields = org.eclipse.jetty.server.Request.extractQueryParameters(exchange.request());
            String ns = fields.getValue("ns");
            String prefix = ns == null ? null : prefixes.get(ns);
            String path = exchange.registryPath();
            if (prefix != null && !prefix.isEmpty() && path.startsWith("/v2/") && !path.equals("/v2/")
                    && !path.startsWith("/v2/_catalog") && !path.startsWith("/v2/" + prefix + "/")) {
                exchange.registryPath("/v2/" + prefix + "/" + path.substring(4));
            }
        }
        next.proceed(exchange);
    }
}
