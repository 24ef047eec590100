package io.wharf.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.auth.Grant;
import io.wharf.registry.Registry;
import io.wharf.spec.Digest;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.MediaType;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code /v2/}, {@code /v2/_catalog}, tag lists (end-8) and referrers (end-12). */
final class ListingEndpoints {
    private final Registry registry;
    private final ObjectMapper json;
    private final int maxCatalogEntries;

    ListingEndpoints(Registry registry, ObjectMapper json, int maxCatalogEntries) {
        this.registry = registry;
        this.json = json;
        this.maxCatalogEntries = maxCatalogEntries;
    }

    /** end-1: the API version check. */
    void base(Exchange ex, Route.Match m) {
        ex.send(200, Exchange.JSON, "{}".getBytes(StandardCharsets.UTF_8));
    }

    /** end-8a/8b: tags in lexical order, paged by {@code n} and {@code last}. */
    void tags(Exchange ex, Route.Match m) throws Exception {
        RepositoryName repo = m.repository();
        List<String> all = registry.listings().tags(repo);
        if (all.isEmpty() && !registry.listings().exists(repo)) {
            throw new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + repo + " is not known");
        }
        int n = pageSize(ex, Integer.MAX_VALUE);
        String last = ex.query("last");
        int from = 0;
        if (last != null) {
            int pos = java.util.Collections.binarySearch(all, last);
            from = pos >= 0 ? pos + 1 : -pos - 1;
        }
        int to = (int) Math.min(all.size(), (long) from + n);
        List<String> page = all.subList(Math.min(from, to), to);
        if (to < all.size() && !page.isEmpty()) {
            link(ex, "/v2/" + repo + "/tags/list", page.get(page.size() - 1), n);
        }
        ObjectNode body = json.createObjectNode();
        body.put("name", repo.value());
        ArrayNode tags = body.putArray("tags");
        page.forEach(tags::add);
        ex.send(200, Exchange.JSON, json.writeValueAsBytes(body));
    }

    /** The repository catalog in Distribution's order ("a/b" before "a-b"), paged like Distribution. */
    void catalog(Exchange ex, Route.Match m) throws Exception {
        int n = pageSize(ex, maxCatalogEntries);
        String last = ex.query("last");
        List<String> page = visiblePage(ex.grant(), last, n);
        if (!page.isEmpty() && page.size() == n && !visiblePage(ex.grant(), page.get(page.size() - 1), 1).isEmpty()) {
            link(ex, "/v2/_catalog", page.get(page.size() - 1), n);
        }
        ObjectNode body = json.createObjectNode();
        ArrayNode repos = body.putArray("repositories");
        page.forEach(repos::add);
        ex.send(200, Exchange.JSON, json.writeValueAsBytes(body));
    }

    /** Up to {@code n} repositories after {@code last} that the caller may see, reading the index in batches. */
    private List<String> visiblePage(Grant grant, String last, int n) throws java.io.IOException {
        List<String> visible = new java.util.ArrayList<>();
        String after = last;
        int batch = Math.max(n, 100);
        while (visible.size() < n) {
            List<String> names = registry.listings().catalog(after, batch);
            for (String name : names) {
                if (visible.size() < n && grant.lists(name)) {
                    visible.add(name);
                }
            }
            if (names.size() < batch) {
                break;
            }
            after = names.get(names.size() - 1);
        }
        return visible;
    }

    /** end-12: an image index of the manifests whose subject is the digest. */
    void referrers(Exchange ex, Route.Match m) throws Exception {
        RepositoryName repo = m.repository();
        Digest subject = Digest.parse(m.argument());
        String artifactType = ex.query("artifactType");
        if (artifactType != null && artifactType.isEmpty()) {
            artifactType = null;
        }
        ObjectNode index = json.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaType.OCI_INDEX.value());
        ArrayNode manifests = index.putArray("manifests");
        for (Registry.ReferrerDescriptor d : registry.listings().referrers(repo, subject, artifactType)) {
            ObjectNode e = manifests.addObject();
            e.put("mediaType", d.mediaType());
            e.put("digest", d.digest().toString());
            e.put("size", d.size());
            if (d.artifactType() != null) {
                e.put("artifactType", d.artifactType());
            }
            if (!d.annotations().isEmpty()) {
                e.set("annotations", json.valueToTree(d.annotations()));
            }
        }
        if (artifactType != null) {
            ex.header("OCI-Filters-Applied", "artifactType");
        }
        ex.send(200, MediaType.OCI_INDEX.value(), json.writeValueAsBytes(index));
    }

    /** The {@code n} parameter: absent means {@code max}; larger values are capped to {@code max}. */
    private static int pageSize(Exchange ex, int max) {
        String n = ex.query("n");
        if (n == null) {
            return max;
        }
        try {
            // Distribution parses n as a 64-bit integer; any non-negative count is a valid request.
            long value = Long.parseLong(n);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return (int) Math.min(value, max);
        } catch (NumberFormatException e) {
            throw new RegistryException(ErrorCode.PAGINATION_NUMBER_INVALID,
                    "n must be a non-negative integer: " + (n.length() > 20 ? n.substring(0, 20) : n));
        }
    }

    private static void link(Exchange ex, String path, String last, int n) {
        String query = "?last=" + URLEncoder.encode(last, StandardCharsets.UTF_8) + "&n=" + n;
        ex.header("Link", "<" + ex.url(path) .replaceFirst("^https?://[^/]+", "") + query + ">; rel=\"next\"");
    }
}
