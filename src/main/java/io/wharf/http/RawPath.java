package io.wharf.http;

import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import org.eclipse.jetty.http.HttpURI;

/**
 * What a path that names repositories must not contain as sent. Jetty hands handlers the path with its dot segments
 * resolved ({@code /v2/a/x/../b} as {@code /v2/a/b}) and each segment's parameters dropped ({@code latest;x} as
 * {@code latest}), so a request would act on a name other than the one it spelled: a {@code DELETE} of
 * {@code latest;x} deleted {@code latest}, and a proxy or rule matching the path as written saw another repository
 * than Wharf served. No repository name, tag or digest can contain either (Distribution's grammar), so such a path
 * is refused instead of rewritten. Percent-encoded forms ({@code %2e%2e}, {@code %2F}) and empty segments are
 * refused by Jetty already.
 */
final class RawPath {
    private RawPath() {
    }

    /**
     * Refuses a path that, as sent, cannot name anything in the registry.
     *
     * @throws RegistryException {@code REQUEST_INVALID} naming what the path contains
     */
    static void check(HttpURI uri) {
        String problem = problem(uri);
        if (problem != null) {
            throw new RegistryException(ErrorCode.REQUEST_INVALID, problem);
        }
    }

    /** Why the path as sent cannot name anything in the registry, or {@code null} when it is plain. */
    private static String problem(HttpURI uri) {
        String raw = uri.getPath();
        if (raw == null) {
            return null;
        }
        if (raw.indexOf(';') >= 0) {
            return "a path parameter (';') is not part of any registry path";
        }
        if (raw.indexOf("/.") < 0) {
            return null;
        }
        int start = 0;
        while (start <= raw.length()) {
            int end = raw.indexOf('/', start);
            if (end < 0) {
                end = raw.length();
            }
            int length = end - start;
            if ((length == 1 || length == 2) && raw.startsWith("..".substring(0, length), start)) {
                return "a dot segment ('.' or '..') is not part of any registry path";
            }
            start = end + 1;
        }
        return null;
    }
}
