package io.wharf.auth;

import java.util.List;
import java.util.Objects;

/**
 * What an access controller needs to know about a request.
 *
 * @param authorization the {@code Authorization} header, or {@code null}
 * @param address the client's address, for throttling and logs
 * @param baseUrl {@code scheme://host[:port]} as the client addressed the registry, for challenges that point
 *     back to it
 * @param scopes what the endpoint needs; empty for {@code /v2/}, which only needs a known caller
 */
public record AccessRequest(String authorization, String address, String baseUrl, List<Scope> scopes) {
    public AccessRequest {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(baseUrl, "baseUrl");
        scopes = List.copyOf(scopes);
    }
}
