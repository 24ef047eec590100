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
        ErrorCode code = ErrorCode.forStatus(status);
        RegistryException e = new RegistryException(code, message == null || status >= 500 ? null : message.toString());
        response.getHeaders().put(RegistryHandler.API_VERSION_HEADER, RegistryHandler.API_VERSION);
        renderer.render(response, e, HttpMethod.HEAD.is(request.getMethod()), callback);
        response.setStatus(status);
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Exchange.JSON);
        fields.put(RegistryHandler.API_VERSION_HEADER, RegistryHandler.API_VERSION);
        return ByteBuffer.wrap(renderer.body(ErrorCode.forStatus(status), reason));
    }
}
