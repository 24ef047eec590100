package io.wharf.http;

/** One handler of the route table: parses, calls the domain, answers. */
@FunctionalInterface
interface Endpoint {
    /** Handles the exchange; throws {@code RegistryException} for the client's errors. */
    void handle(Exchange exchange, Route.Match match) throws Exception;
}
