package io.wharf.config;

/**
 * One storage driver's own settings: what Distribution's {@code config.yml} holds under {@code storage.<name>}.
 * Each driver has one record implementing this, bound from the file by {@link DriverBindings}; the server maps the
 * record to the driver that reads it. Adding a driver is its class, its settings record, and one line in each of
 * those two places.
 */
public interface DriverSettings {
    /** Distribution's name for the driver ({@code filesystem}, {@code inmemory}, {@code s3}). */
    String name();

    /** Where the data lives, for a start-up line: a directory, a bucket, or "memory". */
    String location();

    /** {@code storage.filesystem}: {@code rootdirectory} (may be relative: the caller resolves it), {@code maxthreads}. */
    record Filesystem(java.nio.file.Path rootDirectory, int maxThreads) implements DriverSettings {
        /** Distribution's default for {@code maxthreads}. */
        public static final int DEFAULT_MAX_THREADS = 100;

        public Filesystem(java.nio.file.Path rootDirectory) {
            this(rootDirectory, DEFAULT_MAX_THREADS);
        }

        @Override
        public String name() {
            return "filesystem";
        }

        @Override
        public String location() {
            return rootDirectory.toAbsolutePath().toString();
        }
    }

    /** {@code storage.inmemory}: no settings; everything in the heap, gone at exit. */
    record InMemory() implements DriverSettings {
        @Override
        public String name() {
            return "inmemory";
        }

        @Override
        public String location() {
            return "memory";
        }
    }
}
