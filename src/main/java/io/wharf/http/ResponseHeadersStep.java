package io.wharf.http;

import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.PreEncodedHttpField;

/** The headers every answer carries: the API version (as Distribution sends it) and {@code http.headers}. */
final class ResponseHeadersStep implements Step {
    static final String API_VERSION_HEADER = "Docker-Distribution-API-Version";
    static final String API_VERSION = "registry/2.0";
    /** Made and encoded once rather than for every answer. */
    private static final HttpField API_VERSION_FIELD = new PreEncodedHttpField(API_VERSION_HEADER, API_VERSION);
    private final Map<String, List<String>> extra;

    ResponseHeadersStep(Map<String, List<String>> extra) {
        this.extra = extra;
    }

    @Override
    public void apply(Exchange exchange, Chain next) throws Exception {
        var headers = exchange.response().getHeaders();
        headers.put(API_VERSION_FIELD);
        extra.forEach((name, values) -> values.forEach(v -> headers.add(name, v)));
        next.proceed(exchange);
    }
}
