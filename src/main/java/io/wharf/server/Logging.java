package io.wharf.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.config.RegistryConfig;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;
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
        Encoder<ILoggingEvent> encoder = switch (log.formatter().toLowerCase(Locale.ROOT)) {
            case "json" -> json(ctx, log);
            case "logstash" -> logstash(ctx, log);
            default -> text(ctx, log);
        };
        ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
        out.setContext(ctx);
        out.setName("stderr");
        out.setTarget("System.err");
        out.setEncoder(encoder);
        out.start();
        var root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level(log.level()));
        ctx.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        ctx.getLogger("org.eclipse.jetty.server.RequestLog").setLevel(level(log.level()));
        // Levels before the appender: other threads (the start-up preload) may log meanwhile, and the reset above
        // left every logger at debug.
        root.addAppender(out);
    }

    /**
     * {@code json}: one object per line in the shape of Distribution's (logrus) JSON lines: {@code time},
     * {@code level} (logrus' names: {@code warning}, not {@code WARN}), {@code msg}, the request id and
     * {@code log.fields} as top-level keys.
     */
    private static Encoder<ILoggingEvent> json(LoggerContext ctx, RegistryConfig.Log log) {
        LogstashEncoder e = new LogstashEncoder();
        e.setContext(ctx);
        LogstashFieldNames names = new LogstashFieldNames();
        names.setTimestamp("time");
        names.setMessage("msg");
        names.setVersion("[ignore]");
        names.setLevel("[ignore]");
        names.setLevelValue("[ignore]");
        names.setThread("[ignore]");
        names.setLogger("logger");
        e.setFieldNames(names);
        e.addProvider(new LogrusLevel());
        e.setCustomFields(fields(log));
        // log.fields are added as custom fields above; the context would repeat them.
        e.setIncludeContext(false);
        e.start();
        return e;
    }

    /** {@code logstash}: Logstash's own JSON event ({@code @timestamp}, {@code @version}, {@code message}, ...). */
    private static Encoder<ILoggingEvent> logstash(LoggerContext ctx, RegistryConfig.Log log) {
        LogstashEncoder e = new LogstashEncoder();
        e.setContext(ctx);
        e.setCustomFields(fields(log));
        // log.fields are added as custom fields above; the context would repeat them.
        e.setIncludeContext(false);
        e.start();
        return e;
    }

    private static String fields(RegistryConfig.Log log) {
        try {
            return log.fields().isEmpty() ? null : new ObjectMapper().writeValueAsString(log.fields());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Encoder<ILoggingEvent> text(LoggerContext ctx, RegistryConfig.Log log) {
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext(ctx);
        e.setPattern(textPattern(log.fields().keySet()));
        e.start();
        return e;
    }

    /**
     * The {@code text} line: time, level, logger, the request id when there is one, each of {@code fields} as
     * {@code name=value} from the context's properties, the message.
     */
    static String textPattern(java.util.Collection<String> fields) {
        StringBuilder named = new StringBuilder();
        fields.forEach(k -> named.append(' ').append(k).append("=%property{").append(k).append("}"));
        return "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{24}%replace( req=%X{request.id}){' req=$', ''}"
                + named + " %msg%n";
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
