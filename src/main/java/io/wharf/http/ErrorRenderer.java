package io.wharf.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.auth.AccessDenied;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The one place where errors become HTTP: the spec's status and JSON body
 * {@code {"errors":[{"code","message","detail"}]}} ("Error Codes" in the distribution-spec).
 */
public final class ErrorRenderer {
    private final ObjectMapper json;

    public ErrorRenderer(ObjectMapper json) {
        this.json = json;
    }

    /** The JSON body for an error. */
    public byte[] body(ErrorCode code, Object detail) {
        ObjectNode root = json.createObjectNode();
        ArrayNode errors = root.putArray("errors");
        ObjectNode e = errors.addObject();
        e.put("code", code.name());
        e.put("message", code.message());
        if (detail == null) {
            e.putNull("detail");
        } else {
            e.set("detail", json.valueToTree(detail));
        }
        try {
            return json.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            return ("{\"errors\":[{\"code\":\"" + code.name() + "\"}]}").getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Writes the error as the response, replacing any headers set for a success (but keeping the
     * ones every response carries).
     */
    public void render(Response response, RegistryException e, boolean head, Callback callback) {
        render(response, e, head, e.code().status(), callback);
    }

    /**
     * As {@link #render(Response, RegistryException, boolean, Callback)}, with a status that is not the code's own:
     * for statuses Jetty decides on before the registry sees the request (505 for an HTTP version it does not speak).
     */
    public void render(Response response, RegistryException e, boolean head, int status, Callback callback) {
        ErrorCode code = e.code();
        response.setStatus(status);
        var headers = response.getHeaders();
        headers.remove(HttpHeader.LOCATION);
        headers.remove("Docker-Content-Digest");
        headers.remove(HttpHeader.ETAG);
        if (e instanceof AccessDenied denied) {
            denied.challenge().ifPresent(c -> headers.put(HttpHeader.WWW_AUTHENTICATE, c));
            if (denied.retryAfterSeconds() > 0) {
                headers.put(HttpHeader.RETRY_AFTER, denied.retryAfterSeconds());
            }
        }
        byte[] body = body(code, e.detail());
        headers.put(HttpHeader.CONTENT_TYPE, Exchange.JSON);
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        if (head) {
            callback.succeeded();
        } else {
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }
}
