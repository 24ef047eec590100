package io.wharf.storage;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A driver that times every operation of the driver it wraps, as Distribution's
 * {@code registry_storage_action_seconds{driver,action}} histogram does, with Distribution's action names
 * ({@code GetContent}, {@code PutContent}, {@code Reader}, {@code Writer}, {@code Stat}, {@code List}, {@code Move},
 * {@code Delete}, {@code URLFor}, {@code Walk}). Failed operations are timed too. {@code Reader} and {@code Writer}
 * time opening the stream, not the transfer, as in Distribution. Behaves exactly like the wrapped driver otherwise.
 */
public final class TimedDriver implements StorageDriver {
    /** Prometheus client's default buckets, which Distribution uses for this histogram. */
    private static final Duration[] BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);

    enum Action {
        GetContent, PutContent, Reader, Writer, Stat, List, Move, Delete, URLFor, Walk
    }

    private final StorageDriver inner;
    private final Map<Action, Timer> timers = new EnumMap<>(Action.class);

    public TimedDriver(StorageDriver inner, MeterRegistry meters) {
        this.inner = inner;
        for (Action a : Action.values()) {
            timers.put(a, Timer.builder("registry.storage.action")
                    .description("The number of seconds that the storage action takes")
                    .tags("driver", inner.name(), "action", a.name())
                    .serviceLevelObjectives(BUCKETS)
                    .register(meters));
        }
    }

    private static Duration[] seconds(double... values) {
        Duration[] d = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return d;
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    @FunctionalInterface
    private interface Step {
        void run() throws IOException;
    }

    private void timed(Action action, Step step) throws IOException {
        timed(action, () -> {
            step.run();
            return null;
        });
    }

    private <T> T timed(Action action, Call<T> call) throws IOException {
        long start = System.nanoTime();
        try {
            return call.run();
        } finally {
            timers.get(action).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** The driver this one times. */
    public StorageDriver inner() {
        return inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public byte[] getContent(String path) throws IOException {
        return timed(Action.GetContent, () -> inner.getContent(path));
    }

    @Override
    public void putContent(String path, byte[] content) throws IOException {
        timed(Action.PutContent, () -> inner.putContent(path, content));
    }

    @Override
    public InputStream reader(String path, long offset) throws IOException {
        return timed(Action.Reader, () -> inner.reader(path, offset));
    }

    @Override
    public FileWriter writer(String path, boolean append) throws IOException {
        return timed(Action.Writer, () -> inner.writer(path, append));
    }

    @Override
    public FileInfo stat(String path) throws IOException {
        return timed(Action.Stat, () -> inner.stat(path));
    }

    @Override
    public List<String> list(String path) throws IOException {
        return timed(Action.List, () -> inner.list(path));
    }

    @Override
    public void move(String sourcePath, String destPath) throws IOException {
        timed(Action.Move, () -> inner.move(sourcePath, destPath));
    }

    @Override
    public void delete(String path) throws IOException {
        timed(Action.Delete, () -> inner.delete(path));
    }

    @Override
    public void walk(String path, WalkVisitor visitor) throws IOException {
        timed(Action.Walk, () -> inner.walk(path, visitor));
    }

    /** Timed as {@code Walk}: Distribution has no separate action for a scan of files. */
    @Override
    public void walkFiles(String path, FileVisitor visitor) throws IOException {
        timed(Action.Walk, () -> inner.walkFiles(path, visitor));
    }

    /** Timed as one {@code Delete}, however many files it removes. */
    @Override
    public void deleteFiles(java.util.Collection<String> paths) throws IOException {
        timed(Action.Delete, () -> inner.deleteFiles(paths));
    }

    @Override
    public Optional<Path> localFile(String path) {
        return inner.localFile(path);
    }

    @Override
    public Optional<URI> redirectUrl(String path, Duration validFor) throws IOException {
        return timed(Action.URLFor, () -> inner.redirectUrl(path, validFor));
    }
}
