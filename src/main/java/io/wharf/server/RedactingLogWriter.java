package io.wharf.server;

import java.io.IOException;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Slf4jRequestLogWriter;

/**
 * The access log's writer: Jetty's SLF4J writer with the values of credential-like query parameters
 * ({@code password}, {@code token}, {@code secret}, presigned-URL signatures, ...) replaced by {@code [redacted]}, so
 * a client that puts a secret in a URL does not leave it in the logs.
 */
final class RedactingLogWriter extends Slf4jRequestLogWriter {
    private static final Pattern SECRET = Pattern.compile(
            "(?i)([?&](?:password|passwd|pass|token|access_token|refresh_token|secret|client_secret|api_key|apikey"
                    + "|x-amz-signature|x-amz-credential|x-amz-security-token|signature)=)[^&\\s\"]*");

    static String redact(String line) {
        // Most lines have no query string: no parameter to redact, and no need to run the expression.
        if (line.indexOf('?') < 0 && line.indexOf('&') < 0) {
            return line;
        }
        return SECRET.matcher(line).replaceAll("$1[redacted]");
    }

    @Override
    public void write(String requestEntry) throws IOException {
        super.write(redact(requestEntry));
    }
}
