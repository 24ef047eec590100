package io.wharf.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.wharf.config.RegistryConfig;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** Applies the {@code log} section to Logback: level, text or JSON lines, static fields. */
final class Logging {
    private Logging() {
    }

    static void configure(RegistryConfig.Log log) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        log.fields().forEach(ctx::putProperty);
        Encoder<ILoggingEvent> encoder = "json".equalsIgnoreCase(log.formatter()) ? json(ctx) : text(ctx, log);
        ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
        out.setContext(ctx);
        out.setName("stderr");
        out.setTarget("System.err");
        out.setEncoder(encoder);
        out.start();
        var root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level(log.level()));
        root.addAppender(out);
        ctx.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        ctx.getLogger("org.eclipse.jetty.server.RequestLog").setLevel(level(log.level()));
    }

    private static Encoder<ILoggingEvent> json(LoggerContext ctx) {
        JsonEncoder e = new JsonEncoder();
        e.setContext(ctx);
        // One readable message per line; log.fields travel in "context.properties".
        e.setWithFormattedMessage(true);
        e.setWithMessage(false);
        e.setWithArguments(false);
        e.setWithSequenceNumber(false);
        e.setWithNanoseconds(false);
        e.start();
        return e;
    }

    private static Encoder<ILoggingEvent> text(LoggerContext ctx, RegistryConfig.Log log) {
        StringBuilder fields = new StringBuilder();
        log.fields().keySet().forEach(k -> fields.append(' ').append(k).append("=%property{").append(k).append("}"));
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext(ctx);
        e.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{24}%replace( req=%X{request.id}){' req=$', ''}"
                + fields + " %msg%n");
        e.start();
        return e;
    }

    private static Level level(String name) {
        return switch (name == null ? "info" : name.toLowerCase(Locale.ROOT)) {
            case "error", "fatal", "panic" -> Level.ERROR;
            case "warn", "warning" -> Level.WARN;
            case "debug", "trace" -> Level.DEBUG;
            default -> Level.INFO;
        };
    }
}
