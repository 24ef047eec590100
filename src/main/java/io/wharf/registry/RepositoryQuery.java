package io.wharf.registry;

import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request for one page of a listing, parsed once from the caller's parameters.
 *
 * @param search case-insensitive substring the name must contain; empty for every name
 * @param namespace only names in this first path component ({@code ""} for top-level names), or {@code null}
 * @param sort the order
 * @param descending whether the order is reversed
 * @param offset entries skipped
 * @param limit at most this many entries (1 to {@link #MAX_LIMIT})
 * @param includeUntagged whether repositories without tags are listed
 */
public record RepositoryQuery(String search, String namespace, Sort sort, boolean descending, int offset, int limit,
        boolean includeUntagged) {
    /** The largest page. */
    public static final int MAX_LIMIT = 1000;
    /** Longest search string accepted. */
    private static final int MAX_SEARCH = 256;

    /** What a listing can be sorted by. */
    public enum Sort {
        NAME, PUSHED, SIZE;

        /**
         * @throws RegistryException {@code REQUEST_INVALID} for another word
         */
        public static Sort parse(String value) {
            if (value == null || value.isEmpty()) {
                return NAME;
            }
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "name" -> NAME;
                case "pushed" -> PUSHED;
                case "size" -> SIZE;
                default -> throw new RegistryException(ErrorCode.REQUEST_INVALID,
                        "sort must be name, pushed or size");
            };
        }
    }

    public RepositoryQuery {
        search = search == null ? "" : search.toLowerCase(Locale.ROOT);
        if (search.length() > MAX_SEARCH) {
            throw new RegistryException(ErrorCode.REQUEST_INVALID, "search is longer than " + MAX_SEARCH);
        }
        if (offset < 0) {
            throw new RegistryException(ErrorCode.PAGINATION_NUMBER_INVALID, "offset must not be negative");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new RegistryException(ErrorCode.PAGINATION_NUMBER_INVALID, "limit must be 1 to " + MAX_LIMIT);
        }
    }

    /** Whether a name passes the search. */
    public boolean matchesName(String name) {
        return search.isEmpty() || name.toLowerCase(Locale.ROOT).contains(search);
    }

    /**
     * One page.
     *
     * @param total entries matching the query, over all pages
     * @param offset where this page starts
     * @param items this page's entries
     * @param namespaces entries per namespace before the namespace filter, for grouping, in name order
     */
    public record Page<T>(int total, int offset, List<T> items, Map<String, Integer> namespaces) {
        public Page {
            items = List.copyOf(items);
            namespaces = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(namespaces));
        }

        /** The query's page of entries already filtered and sorted. */
        public static <T> Page<T> of(List<T> sorted, RepositoryQuery query, Map<String, Integer> namespaces) {
            int from = Math.min(query.offset(), sorted.size());
            int to = (int) Math.min((long) from + query.limit(), sorted.size());
            return new Page<>(sorted.size(), from, sorted.subList(from, to), namespaces);
        }
    }
}
