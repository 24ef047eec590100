package io.wharf.http;

import io.wharf.registry.RequestScope;
import org.eclipse.jetty.server.Request;

/**
 * Hands what is known of the request (id, client, host, method, user agent, authenticated user) to the domain's
 * {@link RequestScope} for the rest of the pipeline, so that events name who did what. After authorization, which
 * establishes the user.
 */
final class RequestScopeStep implements Step {
    private final RequestScope scope;

    RequestScopeStep(RequestScope scope) {
        this.scope = scope;
    }

    @Override
    public void apply(Exchange exchange, Chain next) throws Exception {
        Request r = exchange.request();
        scope.enter(() -> {
            String host = r.getHttpURI().getAuthority();
            String id = exchange.response().getHeaders().get(RequestIds.HEADER);
            String agent = r.getHeaders().get("User-Agent");
            String addr = Request.getRemoteAddr(r) + ":" + Request.getRemotePort(r);
            return new RequestScope.Info(id == null ? "" : id, addr, host == null ? "" : host, r.getMethod(),
                    agent == null ? "" : agent,
                    exchange.grant().principal().name(), exchange.baseUrl());
        });
        try {
            next.proceed(exchange);
        } finally {
            scope.clear();
        }
    }
}
