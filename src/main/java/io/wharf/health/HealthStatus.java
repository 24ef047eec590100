package io.wharf.health;

import java.util.Map;

/** What the registry's health checks say now. */
public interface HealthStatus {
    /** The failing checks, by name, with the error each reported; empty while healthy. */
    Map<String, String> failures();

    default boolean healthy() {
        return failures().isEmpty();
    }

    /** No checks: always healthy. */
    static HealthStatus none() {
        return Map::of;
    }
}
