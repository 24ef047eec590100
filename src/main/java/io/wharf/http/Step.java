package io.wharf.http;

import java.util.List;

/**
 * One step of the registry's request pipeline (request id, response headers, CORS, body limit, routing,
 * authorization, the endpoint): it does its part and passes the exchange on, or answers and stops. Errors are
 * thrown, never rendered by a step: {@link RegistryHandler} renders every one in one place.
 */
@FunctionalInterface
interface Step {
    void apply(Exchange exchange, Chain next) throws Exception;

    /** The rest of the pipeline. */
    @FunctionalInterface
    interface Chain {
        void proceed(Exchange exchange) throws Exception;
    }

    /** The steps in order, ending in {@code last}. */
    static Chain pipeline(List<Step> steps, Chain last) {
        Chain chain = last;
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step step = steps.get(i);
            Chain next = chain;
            chain = exchange -> step.apply(exchange, next);
        }
        return chain;
    }
}
