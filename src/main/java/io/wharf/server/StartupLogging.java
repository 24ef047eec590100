package io.wharf.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration until the {@code log} section is read ({@link Logging} then replaces it): the same text
 * lines as {@code log.formatter: text}, on stderr at {@code info}, Jetty at {@code warn}. Built in code because
 * Logback's XML configuration (a SAX parser, a model, resource searches through the jar) was a quarter of the
 * server's start-up time.
 *
 * <p>A Logback configuration given explicitly still wins: with {@code -Dlogback.configurationFile} or a
 * {@code logback-test.xml} on the class path, this configurator steps aside and Logback reads that file as usual.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class StartupLogging extends ContextAwareBase implements Configurator {
    static final String APPENDER = "stderr";

    /** Used by Logback's service loader. */
    public StartupLogging() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        if (System.getProperty("logback.configurationFile") != null
                || StartupLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(ctx);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Text lines on stderr at {@code info}, Jetty at {@code warn}, in {@code ctx}. */
    static void apply(LoggerContext ctx) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(Logging.textPattern(java.util.List.of()));
        encoder.start();
        ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
        out.setContext(ctx);
        out.setName(APPENDER);
        out.setTarget("System.err");
        out.setEncoder(encoder);
        out.start();
        ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(out);
        ctx.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
    }
}
