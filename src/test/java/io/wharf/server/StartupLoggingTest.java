package io.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The logging a server has before its {@code log} section is read. */
class StartupLoggingTest {
    @Test
    void linesOnStderr_atInfo_withJettyQuieter() {
        LoggerContext ctx = new LoggerContext();
        // As SLF4J's provider sets one up: the line format reads the request id from the MDC.
        ctx.setMDCAdapter(new LogbackMDCAdapter());
        StartupLogging.apply(ctx);
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ConsoleAppender<ILoggingEvent> out = (ConsoleAppender<ILoggingEvent>) root.getAppender(StartupLogging.APPENDER);
        assertThat(out.getTarget()).isEqualTo("System.err");
        assertThat(ctx.getLogger("io.wharf.server.ServeCommand").isInfoEnabled()).isTrue();
        assertThat(ctx.getLogger("org.eclipse.jetty.server.Server").getEffectiveLevel()).isEqualTo(Level.WARN);

        LoggingEvent event = new LoggingEvent("test", ctx.getLogger("io.wharf.server.ServeCommand"), Level.INFO,
                "listening on {}", null, new Object[] {":5000"});
        String line = new String(out.getEncoder().encode(event), StandardCharsets.UTF_8);
        assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  "
                + "i\\.w\\.server\\.ServeCommand listening on :5000\\R");
    }

    @Test
    void aTestConfigurationOnTheClassPath_isLeftToLogback() {
        // This module's tests carry logback-test.xml, as a user's -Dlogback.configurationFile would point to one.
        assertThat(new StartupLogging().configure(new LoggerContext()))
                .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
    }
}
