package io.wharf.http;

import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;

/**
 * A single satisfiable byte range of a {@code Range: bytes=...} header (RFC 9110 section 14).
 *
 * @param offset the first byte
 * @param length how many bytes
 */
record ByteRange(long offset, long length) {

    /**
     * Parses a {@code Range} header against a resource of {@code total} bytes.
     *
     * @return the range, or {@code null} when the header is absent
     * @throws RegistryException {@code RANGE_INVALID} (416) for a malformed, multiple or
     *     unsatisfiable range
     */
    static ByteRange parse(String header, long total) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
            throw invalid(header, total);
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            throw invalid(header, total);
        }
        String first = spec.substring(0, dash).trim();
        String last = spec.substring(dash + 1).trim();
        try {
            if (first.isEmpty()) {
                long suffix = Long.parseLong(last);
                if (suffix <= 0 || total == 0) {
                    throw invalid(header, total);
                }
                long len = Math.min(suffix, total);
                return new ByteRange(total - len, len);
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? total - 1 : Math.min(Long.parseLong(last), total - 1);
            if (start < 0 || start >= total || end < start) {
                throw invalid(header, total);
            }
            return new ByteRange(start, end - start + 1);
        } catch (NumberFormatException e) {
            throw invalid(header, total);
        }
    }

    /** The {@code Content-Range} header value of a 206 answer. */
    String contentRange(long total) {
        return "bytes " + offset + "-" + (offset + length - 1) + "/" + total;
    }

    private static RegistryException invalid(String header, long total) {
        String h = header.length() > 100 ? header.substring(0, 100) : header;
        return new RegistryException(ErrorCode.RANGE_INVALID,
                "range " + h + " cannot be satisfied for " + total + " bytes");
    }
}
