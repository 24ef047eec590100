package io.wharf.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Waits for a condition another thread or process brings about, failing with {@code what} at the deadline. */
public final class Await {
    /** How often the condition is asked again: short beside every deadline used, long beside a check's cost. */
    private static final Duration POLL = Duration.ofMillis(20);

    private Await() {
    }

    public static void until(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("%s within %s", what, limit).isBefore(deadline);
            Thread.sleep(POLL);
        }
    }

    /**
     * Waits until {@code GET uri} answers 200, as a process being started begins to serve. {@code alive} runs before
     * each try and throws when the process died, so a server that exits fails at once with its own message.
     */
    public static void serving(URI uri, Duration limit, String what, Runnable alive) throws InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            until(() -> {
                alive.run();
                return answersOk(client, uri);
            }, limit, what);
        }
    }

    private static boolean answersOk(HttpClient client, URI uri) {
        try {
            return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
