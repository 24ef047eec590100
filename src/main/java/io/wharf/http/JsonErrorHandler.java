package io.wharf.http;

import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Renders the errors Jetty raises by itself (malformed requests, oversized headers, URIs too long)
 * through {@link ErrorRenderer}, so that they too carry the spec's JSON body and the API version
 * header that Distribution sends on every response.
 */
public final class JsonErrorHandler extends ErrorHandler {
    private static final int VERSION_NOT_SUPPORTED = 505;
    private final ErrorRenderer renderer;

    public JsonErrorHandler(ErrorRenderer renderer) {
        this.renderer = renderer;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() > 0 ? response.getStatus() : 500;
        Object attr = request.getAttribute(ERROR_STATUS);
        if (attr instanceof Integer s) {
            status = s;
        }
        Object message = request.getAttribute(ERROR_MESSAGE);
        ErrorCode code = codeFor(status);
        boolean explain = message != null && (status < 500 || status == VERSION_NOT_SUPPORTED);
        RegistryException e = new RegistryException(code, explain ? message.toString() : null);
        response.getHeaders().put(RegistryHandler.API_VERSION_HEADER, RegistryHandler.API_VERSION);
        renderer.render(response, e, HttpMethod.HEAD.is(request.getMethod()), status, callback);
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Exchange.JSON);
        fields.put(RegistryHandler.API_VERSION_HEADER, RegistryHandler.API_VERSION);
        return ByteBuffer.wrap(renderer.body(codeFor(status), reason));
    }

    /** The code for a status Jetty chose; a request in an HTTP version Jetty does not speak is "unsupported". */
    private static ErrorCode codeFor(int status) {
        return status == VERSION_NOT_SUPPORTED ? ErrorCode.UNSUPPORTED : ErrorCode.forStatus(status);
    }
}
