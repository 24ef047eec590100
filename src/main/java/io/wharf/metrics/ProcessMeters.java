package io.wharf.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JVM's and the process's meters: heap and non-heap memory, garbage collection pauses, threads, classes, CPU,
 * open files, uptime, and {@code process_resident_memory_bytes} (the name Go's and every other Prometheus client
 * use, read from {@code /proc/self/status} on Linux; absent elsewhere).
 */
public final class ProcessMeters implements AutoCloseable {
    private static final Path STATUS = Path.of("/proc/self/status");
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public ProcessMeters(MeterRegistry meters) {
        new JvmMemoryMetrics().bindTo(meters);
        gc.bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ClassLoaderMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new FileDescriptorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        if (Files.isReadable(STATUS)) {
            Gauge.builder("process.resident.memory", STATUS, ProcessMeters::residentBytes).baseUnit("bytes")
                    .description("Resident memory size in bytes.").register(meters);
        }
    }

    /** {@code VmRSS} of {@code /proc/self/status}, in bytes; NaN when unreadable. */
    static double residentBytes(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    @Override
    public void close() {
        gc.close();
    }
}
