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
        Object[] args = {e.principal(), scopes, Request.getRemoteAddr(request), e.code().status(), e.reason()};
        if (firstContact) {
            LOG.info(format, args);
        } else {
            LOG.warn(format, args);
        }
    }

    private static String describe(Scope s) {
        String repository = s.isCatalog() ? "_catalog" : s.name();
        return "repository=" + repository + " action=" + String.join(",", s.actions());
    }
}
