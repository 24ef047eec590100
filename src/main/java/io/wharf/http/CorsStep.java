package io.wharf.http;

/** Browser access ({@code http.cors}): adds the CORS headers and answers preflight requests itself. */
final class CorsStep implements Step {
    private final Cors cors;

    CorsStep(Cors cors) {
        this.cors = cors;
    }

    @Override
    public void apply(Exchange exchange, Chain next) throws Exception {
        cors.decorate(exchange.request(), exchange.response());
        if (cors.isPreflight(exchange.request())) {
            exchange.send(204);
            return;
        }
        next.proceed(exchange);
    }
}
