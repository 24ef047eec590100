package io.wharf.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable queue's files: what a reopened queue holds, a torn last line, segments coming and going. */
class EventQueueTest {
    @TempDir
    Path dir;

    private static List<String> drain(EventQueue q) throws Exception {
        List<String> out = new ArrayList<>();
        while (true) {
            var e = q.peek();
            if (e.isEmpty()) {
                return out;
            }
            out.add(e.get().json());
            q.ack(e.get());
        }
    }

    @Test
    void aReopenedQueueHoldsWhatWasNotAcknowledged() throws Exception {
        try (EventQueue q = new EventQueue(dir, 100, n -> { })) {
            q.append("{\"n\":1}");
            q.append("{\"n\":2}");
            q.append("{\"n\":3}");
            var first = q.peek().orElseThrow();
            q.ack(first);
        }
        try (EventQueue q = new EventQueue(dir, 100, n -> { })) {
            assertThat(q.pending()).isEqualTo(2);
            assertThat(drain(q)).containsExactly("{\"n\":2}", "{\"n\":3}");
            q.append("{\"n\":4}");
        }
        try (EventQueue q = new EventQueue(dir, 100, n -> { })) {
            assertThat(drain(q)).containsExactly("{\"n\":4}");
        }
    }

    @Test
    void aTornLastLine_fromACrashMidWrite_isCutOff() throws Exception {
        try (EventQueue q = new EventQueue(dir, 100, n -> { })) {
            q.append("{\"n\":1}");
        }
        Path segment;
        try (Stream<Path> files = Files.list(dir)) {
            segment = files.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
        }
        Files.writeString(segment, "{\"n\":2", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (EventQueue q = new EventQueue(dir, 100, n -> { })) {
            assertThat(q.pending()).isEqualTo(1);
            q.append("{\"n\":3}");
            assertThat(drain(q)).containsExactly("{\"n\":1}", "{\"n\":3}");
        }
    }

    @Test
    void fullSegmentsRollOver_andAreDeletedOnceDelivered_andTheBoundDropsTheOldest() throws Exception {
        AtomicLong dropped = new AtomicLong();
        String padding = "x".repeat(4000);
        int events = 5000;
        try (EventQueue q = new EventQueue(dir, 4500, dropped::addAndGet)) {
            for (int i = 0; i < events; i++) {
                q.append("{\"n\":" + i + ",\"pad\":\"" + padding + "\"}");
            }
            assertThat(dropped.get()).isEqualTo(500);
            assertThat(q.pending()).isEqualTo(4500);
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.filter(p -> p.toString().endsWith(".log")).count()).isGreaterThan(1);
            }
            List<String> left = drain(q);
            assertThat(left).hasSize(4500);
            assertThat(left.get(0)).startsWith("{\"n\":500,");
            assertThat(left.get(4499)).startsWith("{\"n\":4999,");
            q.sync();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".log")).count()).isEqualTo(1);
        }
    }
}
