package io.wharf.http;

import io.wharf.auth.AccessDenied;
import io.wharf.auth.Scope;
import io.wharf.spec.ErrorCode;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each refused request once: who, which repository, which action, from where, and why; never a password
 * or token. Requests without any credentials (every client's first request) are logged at info level, the others at warn.
 */
final class AccessLog {
    private static final Logger LOG = LoggerFactory.getLogger("io.wharf.access");

    private AccessLog() {
    }

    static void refused(AccessDenied e, Request request) {
        String scopes = e.scopes().isEmpty() ? "repository=- action=login" : e.scopes().stream()
                .map(AccessLog::describe).collect(Collectors.joining("; "));
        boolean firstContact = e.code() == ErrorCode.UNAUTHORIZED && e.principal().anonymous()
                && request.getHeaders().get("Authorization") == null;
        String format = "access refused: user={} {} address={} status={} reason={}";
        Object[] args = {printable(String.valueOf(e.principal())), printable(scopes), Request.getRemoteAddr(request),
            e.code().status(), printable(e.reason())};
        if (firstContact) {
            LOG.info(format, args);
        } else {
            LOG.warn(format, args);
        }
    }

    /**
     * The text with control characters written as escapes (a line feed as two characters, backslash and n): a user
     * name comes from the client's {@code Authorization} header, and a line break or terminal escape in it would
     * forge log lines or recolour a terminal.
     */
    static String printable(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
            if (control && b == null) {
                b = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (b != null) {
                if (!control) {
                    b.append(c);
                } else if (c == '\n') {
                    b.append("\\n");
                } else if (c == '\r') {
                    b.append("\\r");
                } else {
                    b.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        return b == null ? text : b.toString();
    }

    private static String describe(Scope s) {
        String repository = s.isCatalog() ? "_catalog" : s.name();
        return "repository=" + repository + " action=" + String.join(",", s.actions());
    }
}
