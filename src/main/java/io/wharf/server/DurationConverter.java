package io.wharf.server;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Parses Go-style durations on the command line ({@code 90s}, {@code 1h30m}), as in config.yml. */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return io.wharf.config.GoDuration.parse(value);
    }
}
