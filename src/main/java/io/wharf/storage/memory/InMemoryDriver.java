package io.wharf.storage.memory;

import io.wharf.storage.FileInfo;
import io.wharf.storage.FileWriter;
import io.wharf.storage.InvalidOffsetException;
import io.wharf.storage.InvalidPathException;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import io.wharf.storage.StoragePath;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Keeps every file in memory (Distribution's {@code inmemory} driver): for tests and throw-away
 * registries only, since content is lost at exit and blobs occupy the heap. Directories exist while
 * a file lies beneath them.
 *
 * <p>Reads are lock-free. Changes to the set of paths take {@link #structure} so that the check
 * "no file is also a directory" and the change it guards cannot interleave with another change.
 */
public final class InMemoryDriver implements StorageDriver {
    private record Entry(byte[] data, Instant modified) {
    }

    private final ConcurrentSkipListMap<String, Entry> files = new ConcurrentSkipListMap<>();
    private final Object structure = new Object();

    @Override
    public String name() {
        return "inmemory";
    }

    private Entry file(String path) throws IOException {
        Entry e = files.get(StoragePath.check(path));
        if (e == null) {
            throw new PathNotFoundException(path);
        }
        return e;
    }

    @Override
    public byte[] getContent(String path) throws IOException {
        return file(path).data.clone();
    }

    /**
     * Checks that a file may be created or replaced at the path: it is not the root, not a
     * directory, and no ancestor is a file. Call with {@link #structure} held.
     */
    private void checkWritable(String path) throws InvalidPathException {
        StoragePath.check(path);
        if (path.equals("/") || isDirectory(path)) {
            throw new InvalidPathException(path);
        }
        for (String dir = StoragePath.parent(path); !dir.equals("/"); dir = StoragePath.parent(dir)) {
            if (files.containsKey(dir)) {
                throw new InvalidPathException(path);
            }
        }
    }

    @Override
    public void putContent(String path, byte[] content) throws IOException {
        Entry entry = new Entry(content.clone(), Instant.now());
        synchronized (structure) {
            checkWritable(path);
            files.put(path, entry);
        }
    }

    @Override
    public InputStream reader(String path, long offset) throws IOException {
        byte[] data = file(path).data;
        if (offset < 0 || offset > data.length) {
            throw new InvalidOffsetException(path);
        }
        return new ByteArrayInputStream(data, (int) offset, data.length - (int) offset);
    }

    @Override
    public FileWriter writer(String path, boolean append) throws IOException {
        synchronized (structure) {
            checkWritable(path);
            Entry existing = files.get(path);
            byte[] start = append && existing != null ? existing.data : new byte[0];
            files.put(path, new Entry(start, Instant.now()));
            return new MemoryWriter(path, start);
        }
    }

    @Override
    public FileInfo stat(String path) throws IOException {
        StoragePath.check(path);
        Entry e = files.get(path);
        if (e != null) {
            return new FileInfo(path, e.data.length, e.modified, false);
        }
        if (path.equals("/") || isDirectory(path)) {
            return new FileInfo(path, 0, newestBelow(path), true);
        }
        throw new PathNotFoundException(path);
    }

    private boolean isDirectory(String path) {
        String prefix = path.equals("/") ? "/" : path + "/";
        String next = files.ceilingKey(prefix);
        return next != null && next.startsWith(prefix);
    }

    private NavigableMap<String, Entry> below(String path) {
        String prefix = path.equals("/") ? "/" : path + "/";
        // '0' is the character after '/', so this bounds exactly the keys starting with prefix.
        String end = prefix.substring(0, prefix.length() - 1) + '0';
        return files.subMap(prefix, true, end, false);
    }

    private Instant newestBelow(String path) {
        return below(path).values().stream().map(Entry::modified).max(Instant::compareTo).orElse(Instant.EPOCH);
    }

    @Override
    public List<String> list(String path) throws IOException {
        StoragePath.check(path);
        if (!path.equals("/") && !isDirectory(path)) {
            throw new PathNotFoundException(path);
        }
        int base = path.equals("/") ? 1 : path.length() + 1;
        TreeSet<String> names = new TreeSet<>();
        for (String key : below(path).keySet()) {
            int slash = key.indexOf('/', base);
            names.add(slash < 0 ? key.substring(base) : key.substring(base, slash));
        }
        List<String> out = new ArrayList<>(names.size());
        names.forEach(n -> out.add(StoragePath.child(path, n)));
        return out;
    }

    @Override
    public void move(String sourcePath, String destPath) throws IOException {
        StoragePath.check(destPath);
        synchronized (structure) {
            Entry e = file(sourcePath);
            if (sourcePath.equals(destPath)) {
                return;
            }
            checkWritable(destPath);
            files.put(destPath, e);
            files.remove(sourcePath);
        }
    }

    @Override
    public void delete(String path) throws IOException {
        StoragePath.check(path);
        if (path.equals("/")) {
            throw new InvalidPathException(path);
        }
        synchronized (structure) {
            boolean removed = files.remove(path) != null;
            NavigableMap<String, Entry> sub = below(path);
            if (!sub.isEmpty()) {
                sub.clear();
                removed = true;
            }
            if (!removed) {
                throw new PathNotFoundException(path);
            }
        }
    }

    private final class MemoryWriter implements FileWriter {
        private final String path;
        private byte[] buf;
        private int size;
        private boolean closed;

        MemoryWriter(String path, byte[] start) {
            this.path = path;
            this.buf = Arrays.copyOf(start, Math.max(64, start.length));
            this.size = start.length;
        }

        @Override
        public void write(ByteBuffer buffer) throws IOException {
            if (closed) {
                throw new IOException("writer closed");
            }
            int n = buffer.remaining();
            if ((long) size + n > Integer.MAX_VALUE - 8) {
                throw new IOException("in-memory file too large");
            }
            if (size + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(size + n, (int) Math.min(Integer.MAX_VALUE - 8, buf.length * 2L)));
            }
            buffer.get(buf, size, n);
            size += n;
        }

        private void publish() throws InvalidPathException {
            Entry entry = new Entry(Arrays.copyOf(buf, size), Instant.now());
            synchronized (structure) {
                // The path was checked when the writer opened, but it may have become a directory since.
                checkWritable(path);
                files.put(path, entry);
            }
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void commit() throws IOException {
            if (closed) {
                throw new IOException("writer closed");
            }
            close();
        }

        @Override
        public void cancel() {
            closed = true;
            synchronized (structure) {
                files.remove(path);
            }
        }

        @Override
        public void close() throws InvalidPathException {
            if (!closed) {
                closed = true;
                publish();
            }
        }
    }

    /** Number of files held, for tests that check nothing is left behind. */
    public int fileCount() {
        return files.size();
    }
}
