package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Failed requests under load: one line each within the rate, a stack trace once per cause, floods counted. */
class FailureLogTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Logger logger = (Logger) LoggerFactory.getLogger("failure-log-test");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    FailureLogTest() {
        lines.start();
        logger.addAppender(lines);
    }

    @Test
    void theSameCause_getsItsStackTraceOnce_andADifferentCauseGetsItsOwn() {
        FailureLog log = new FailureLog(logger, 20, Duration.ofMinutes(10), nanos::get);
        for (int i = 0; i < 3; i++) {
            log.serverError("GET", "/v2/a/blobs/x", "r" + i, failure("disk"));
            nanos.addAndGet(100_000_000L);
        }
        log.serverError("GET", "/v2/a/blobs/y", "r9", new IllegalStateException("other"));

        assertThat(lines.list).hasSize(4);
        assertThat(lines.list.get(0).getThrowableProxy()).isNotNull();
        assertThat(lines.list.get(1).getThrowableProxy()).isNull();
        assertThat(lines.list.get(1).getFormattedMessage()).contains("stack trace logged earlier");
        assertThat(lines.list.get(3).getThrowableProxy()).as("a new cause").isNotNull();
    }

    @Test
    void aFlood_isCutToTheRate_andTheDroppedLinesAreCounted() {
        FailureLog log = new FailureLog(logger, 20, Duration.ofMinutes(10), nanos::get);
        for (int i = 0; i < 10_000; i++) {
            log.serverError("GET", "/v2/", "r" + i, failure("disk"));
        }
        assertThat(lines.list).hasSize(100); // the burst: five seconds' worth
        nanos.addAndGet(1_000_000_000L);
        log.serverError("GET", "/v2/", "next", failure("disk"));
        assertThat(lines.list.get(lines.list.size() - 1).getFormattedMessage())
                .contains("(9900 failed requests not logged)");
    }

    private static IOException failure(String what) {
        return new IOException(what);
    }
}
