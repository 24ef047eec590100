package io.wharf.server;

import java.security.Principal;
import java.util.Locale;
import java.util.TimeZone;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.DateCache;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The access log: one line per request in Jetty's {@link CustomRequestLog#EXTENDED_NCSA_FORMAT}, character for
 * character (client address, user, time, request line, status, body bytes sent, {@code Referer},
 * {@code User-Agent}), with the request's id ({@code X-Request-Id}) in the MDC as {@code request.id}.
 *
 * <p>Why not {@link CustomRequestLog} itself: it compiles its format string into a chain of method handles when it
 * is made, and the classes the JDK generates for that chain took about 100 ms of the two cores' start-up (measured
 * in BENCHMARKS.md, "Start-up"). This format is fixed, so the fields are written directly, from the same Jetty
 * accessors and the same {@link DateCache} Jetty's log uses; a test compares the lines with Jetty's own.
 */
final class NcsaAccessLog extends ContainerLifeCycle implements RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger(NcsaAccessLog.class);
    private final RequestLog.Writer writer;
    private final DateCache dates = new DateCache(CustomRequestLog.DEFAULT_DATE_FORMAT, Locale.getDefault(),
            TimeZone.getTimeZone("GMT"));

    /** Lines go to {@code writer}, which this log starts and stops with itself. */
    NcsaAccessLog(RequestLog.Writer writer) {
        this.writer = writer;
        installBean(writer);
    }

    @Override
    public void log(Request request, Response response) {
        String id = response.getHeaders().get("X-Request-Id");
        // Written after the request's own scope ended: the id is put back so that the line carries it too.
        try (var mdc = id == null ? null : MDC.putCloseable("request.id", id)) {
            writer.write(line(request, response));
        } catch (Exception e) {
            LOG.warn("Unable to log request", e);
        }
    }

    /** The line for one completed request, as {@link CustomRequestLog} writes it for the extended NCSA format. */
    String line(Request request, Response response) {
        StringBuilder b = new StringBuilder(256);
        field(b, Request.getRemoteAddr(request), false).append(" - ");
        field(b, user(request), false).append(" [");
        field(b, dates.format(Request.getTimeStamp(request)), false).append("] \"");
        field(b, request.getMethod(), true).append(' ');
        field(b, request.getHttpURI().getPathQuery(), true).append(' ');
        field(b, request.getConnectionMetaData().getProtocol(), true).append("\" ");
        b.append(response.getStatus()).append(' ').append(Response.getContentBytesWritten(response)).append(" \"");
        field(b, request.getHeaders().get("Referer"), true).append("\" \"");
        field(b, request.getHeaders().get("User-Agent"), true).append('"');
        return b.toString();
    }

    private static String user(Request request) {
        Request.AuthenticationState state = Request.getAuthenticationState(request);
        Principal principal = state == null ? null : state.getUserPrincipal();
        return principal == null ? null : principal.getName();
    }

    /**
     * One value as Jetty writes it: none is {@code -}, or nothing between the format's quotes ({@code quoted}); a
     * value with a quote, backslash or comma has its quotes and backslashes escaped, and gets quotes of its own
     * where the format has none, so that a client's header cannot end a field early.
     */
    private static StringBuilder field(StringBuilder b, String value, boolean quoted) {
        if (value == null || value.isEmpty()) {
            return quoted ? b : b.append('-');
        }
        if (!needsEscaping(value)) {
            return b.append(value);
        }
        String quote = quoted ? "" : "\"";
        b.append(quote);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            (c == '"' || c == '\\' ? b.append('\\') : b).append(c);
        }
        return b.append(quote);
    }

    private static boolean needsEscaping(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ',') {
                return true;
            }
        }
        return false;
    }
}
