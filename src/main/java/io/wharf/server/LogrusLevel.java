package io.wharf.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import net.logstash.logback.composite.AbstractFieldJsonProvider;

/**
 * The {@code level} of a JSON log line as Distribution (logrus) writes it: {@code error}, {@code warning},
 * {@code info}, {@code debug}, {@code trace}, so that log pipelines filtering Distribution's lines on
 * {@code level == "warning"} keep working.
 */
final class LogrusLevel extends AbstractFieldJsonProvider<ILoggingEvent> {
    LogrusLevel() {
        setFieldName("level");
    }

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
        generator.writeStringField(getFieldName(), name(event.getLevel()));
    }

    static String name(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> "error";
            case Level.WARN_INT -> "warning";
            case Level.INFO_INT -> "info";
            case Level.DEBUG_INT -> "debug";
            default -> "trace";
        };
    }
}
