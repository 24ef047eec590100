package io.wharf.http;

import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The route table, in the distribution-spec's endpoint order: for each URL shape and method, the endpoint and the
 * access it needs. As a {@link Step}, it resolves the request's path into a {@link Dispatch} on the exchange.
 */
final class RouteTable implements Step {
    /** What routing decided: the matched path, the access it needs and the endpoint that answers it. */
    record Dispatch(Route.Match match, Need need, Endpoint endpoint) {
    }

    private record Entry(Need need, Endpoint endpoint) {
    }

    private final Map<Route, Map<String, Entry>> routes = new EnumMap<>(Route.class);

    /** Registers the endpoint for a shape and method; later registrations of the same pair replace earlier ones. */
    RouteTable route(Route route, String method, Need need, Endpoint endpoint) {
        routes.computeIfAbsent(route, r -> new TreeMap<>()).put(method, new Entry(need, endpoint));
        return this;
    }

    /**
     * The dispatch for a path under {@code /v2} and a method.
     *
     * @throws RegistryException {@code NOT_FOUND} for no such endpoint; {@code UNSUPPORTED} for a method the
     *     endpoint does not take ({@link #allowed} lists the ones it does)
     */
    Dispatch resolve(String path, String method) {
        Route.Match match = Route.match(path);
        if (match == null) {
            throw new RegistryException(ErrorCode.NOT_FOUND, "no endpoint at "
                    + (path.length() > 150 ? path.substring(0, 150) + "..." : path));
        }
        Entry entry = routes.getOrDefault(match.route(), Map.of()).get(method);
        if (entry == null) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, method + " is not supported at this endpoint");
        }
        return new Dispatch(match, entry.need(), entry.endpoint());
    }

    /** The methods a shape takes, for an {@code Allow} header. */
    String allowed(Route route) {
        return String.join(", ", routes.getOrDefault(route, Map.of()).keySet());
    }

    @Override
    public void apply(Exchange exchange, Chain next) throws Exception {
        RawPath.check(exchange.request().getHttpURI());
        String path = exchange.registryPath();
        try {
            exchange.dispatch(resolve(path, exchange.request().getMethod()));
        } catch (RegistryException e) {
            Route.Match match = Route.match(path);
            if (e.code() == ErrorCode.UNSUPPORTED && match != null) {
                exchange.header(HttpHeader.ALLOW, allowed(match.route()));
            }
            throw e;
        }
        next.proceed(exchange);
    }
}
