package io.wharf.http;

import io.wharf.health.HealthStatus;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;

/**
 * While any health check fails, every API request is answered 503 with the spec's {@code UNAVAILABLE} error, as
 * Distribution's health handler does, so a load balancer that watches status codes takes the instance out and
 * clients retry elsewhere. Answers normally again once the checks pass.
 */
final class HealthGateStep implements Step {
    private final HealthStatus health;

    HealthGateStep(HealthStatus health) {
        this.health = health;
    }

    @Override
    public void apply(Exchange exchange, Chain next) throws Exception {
        if (!health.healthy()) {
            throw new RegistryException(ErrorCode.UNAVAILABLE, "health check failed: please see /debug/health");
        }
        next.proceed(exchange);
    }
}
