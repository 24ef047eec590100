package io.wharf.health;

/** One probe: returns when healthy, throws with a readable message when not. May block; it is given a deadline. */
@FunctionalInterface
public interface HealthCheck {
    void check() throws Exception;
}
