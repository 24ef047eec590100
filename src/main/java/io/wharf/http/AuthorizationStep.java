package io.wharf.http;

import io.wharf.auth.AccessController;
import io.wharf.auth.AccessRequest;
import io.wharf.auth.Grant;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Decides the request with the scopes its route declares ({@link Need}); the grant travels with the exchange for
 * the endpoint's finer decisions (a mount's source, the catalog's filter).
 */
final class AuthorizationStep implements Step {
    private final AccessController access;
    /** The controller's grant for every request, or {@code null} when it decides request by request. */
    private final Grant unconditional;

    AuthorizationStep(AccessController access) {
        this.access = access;
        this.unconditional = access.unconditional().orElse(null);
    }

    @Override
    public void apply(Exchange exchange, Chain next) throws Exception {
        if (unconditional != null) {
            exchange.grant(unconditional);
            next.proceed(exchange);
            return;
        }
        Request request = exchange.request();
        RouteTable.Dispatch dispatch = exchange.dispatch();
        exchange.grant(access.authorize(new AccessRequest(request.getHeaders().get(HttpHeader.AUTHORIZATION),
                Request.getRemoteAddr(request), exchange.baseUrl(),
                dispatch.need().scopes(dispatch.match()))));
        next.proceed(exchange);
    }
}
