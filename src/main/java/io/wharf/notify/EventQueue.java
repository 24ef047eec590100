package io.wharf.notify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * A durable, bounded queue of events for one endpoint, in a directory of its own: append-only segment files of one
 * JSON event per line ({@code <sequence>.log}), and a {@code cursor} file naming the next event to deliver.
 *
 * <p><b>Durability:</b> an appended event is in the file when {@link #append} returns, so it survives the process
 * being killed ({@code kill -9}); {@link #sync} (called about every 100 ms, and at close) makes it survive a power
 * loss too. The cursor is written after deliveries, so after a crash the last events delivered may be delivered
 * again: delivery is at-least-once, and each event carries a stable id.
 *
 * <p><b>Bound:</b> at most {@code maxEvents} undelivered events; appending beyond it drops the oldest and reports each
 * drop. Segments are deleted once every event in them was delivered or dropped. Thread-safe.
 */
final class EventQueue implements AutoCloseable {
    /** An event at the head of the queue: its text and where it lies. */
    record Entry(String json, long segment, long start, long end) {
    }

    private static final long SEGMENT_BYTES = 16L << 20;
    private static final String CURSOR = "cursor";

    private final Path dir;
    private final int maxEvents;
    private final LongConsumer dropped;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private final TreeMap<Long, Path> segments = new TreeMap<>();
    private FileChannel writer;
    private long writerSeq;
    /** The segment and byte offset of the next event to deliver. */
    private long cursorSeq;
    private long cursorOffset;
    private FileChannel reader;
    private long readerSeq = -1;
    private long pending;
    private boolean dirty;
    private boolean cursorDirty;

    EventQueue(Path dir, int maxEvents, LongConsumer dropped) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.maxEvents = maxEvents;
        this.dropped = dropped;
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().matches("\\d{20}\\.log"))
                    .forEach(p -> segments.put(Long.parseLong(p.getFileName().toString().substring(0, 20)), p));
        }
        Path cursor = dir.resolve(CURSOR);
        if (Files.exists(cursor)) {
            String[] parts = Files.readString(cursor).trim().split(" ");
            cursorSeq = Long.parseLong(parts[0]);
            cursorOffset = Long.parseLong(parts[1]);
        } else {
            cursorSeq = segments.isEmpty() ? 0 : segments.firstKey();
            cursorOffset = 0;
        }
        // Segments wholly before the cursor were delivered before a crash could delete them.
        while (!segments.isEmpty() && segments.firstKey() < cursorSeq) {
            Files.deleteIfExists(segments.pollFirstEntry().getValue());
        }
        writerSeq = segments.isEmpty() ? Math.max(cursorSeq, 0) : segments.lastKey();
        if (segments.isEmpty()) {
            cursorSeq = writerSeq;
            cursorOffset = 0;
        }
        openWriter(writerSeq);
        pending = countFrom(cursorSeq, cursorOffset);
    }

    private void openWriter(long seq) throws IOException {
        Path file = dir.resolve(String.format("%020d.log", seq));
        writer = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        segments.put(seq, file);
        writerSeq = seq;
    }

    /** Complete lines from the cursor on; a torn last line (a crash mid-write) is not counted and is cut off. */
    private long countFrom(long seq, long offset) throws IOException {
        long count = 0;
        for (var e : segments.tailMap(seq, true).entrySet()) {
            long start = e.getKey() == seq ? offset : 0;
            try (FileChannel ch = FileChannel.open(e.getValue(), StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                long lastNewline = -1;
                ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                long pos = start;
                while (true) {
                    buf.clear();
                    int n = ch.read(buf, pos);
                    if (n <= 0) {
                        break;
                    }
                    for (int i = 0; i < n; i++) {
                        if (buf.get(i) == '\n') {
                            count++;
                            lastNewline = pos + i;
                        }
                    }
                    pos += n;
                }
                long end = lastNewline + 1;
                if (e.getKey() == writerSeq && ch.size() > Math.max(end, start)) {
                    ch.truncate(Math.max(end, start));
                }
            }
        }
        return count;
    }

    /** Appends one event (a JSON object without newlines); drops the oldest when the queue is full. */
    void append(String json) throws IOException {
        byte[] line = (json + "\n").getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            if (writer.size() + line.length > SEGMENT_BYTES && writer.size() > 0) {
                writer.force(false);
                writer.close();
                openWriter(writerSeq + 1);
            }
            ByteBuffer b = ByteBuffer.wrap(line);
            while (b.hasRemaining()) {
                writer.write(b);
            }
            pending++;
            dirty = true;
            while (pending > maxEvents) {
                Optional<Entry> oldest = peekLocked();
                if (oldest.isEmpty()) {
                    break;
                }
                ackLocked(oldest.get());
                dropped.accept(1);
            }
            appended.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Events not yet delivered. */
    long pending() {
        lock.lock();
        try {
            return pending;
        } finally {
            lock.unlock();
        }
    }

    /** The next event to deliver, without removing it; the same one until {@link #ack}. */
    Optional<Entry> peek() throws IOException {
        lock.lock();
        try {
            return peekLocked();
        } finally {
            lock.unlock();
        }
    }

    private Optional<Entry> peekLocked() throws IOException {
        while (true) {
            if (readerSeq != cursorSeq) {
                if (reader != null) {
                    reader.close();
                }
                Path file = segments.get(cursorSeq);
                if (file == null) {
                    return Optional.empty();
                }
                reader = FileChannel.open(file, StandardOpenOption.READ);
                readerSeq = cursorSeq;
            }
            Optional<Entry> line = readLine(reader, cursorSeq, cursorOffset);
            if (line.isPresent()) {
                return line;
            }
            if (cursorSeq == writerSeq) {
                return Optional.empty();
            }
            // This segment is used up: go on to the next and forget it.
            Path done = segments.remove(cursorSeq);
            reader.close();
            reader = null;
            readerSeq = -1;
            Files.deleteIfExists(done);
            cursorSeq = segments.higherKey(cursorSeq) == null ? writerSeq : segments.higherKey(cursorSeq);
            cursorOffset = 0;
            cursorDirty = true;
        }
    }

    private Optional<Entry> readLine(FileChannel ch, long seq, long offset) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        long pos = offset;
        while (true) {
            buf.clear();
            int n = ch.read(buf, pos);
            if (n <= 0) {
                return Optional.empty();
            }
            for (int i = 0; i < n; i++) {
                if (buf.get(i) == '\n') {
                    line.write(buf.array(), 0, i);
                    return Optional.of(new Entry(line.toString(StandardCharsets.UTF_8), seq, offset, pos + i + 1));
                }
            }
            line.write(buf.array(), 0, n);
            pos += n;
        }
    }

    /** Removes the event {@link #peek} returned: it was delivered. Nothing when it was dropped meanwhile. */
    void ack(Entry entry) {
        lock.lock();
        try {
            ackLocked(entry);
        } finally {
            lock.unlock();
        }
    }

    private void ackLocked(Entry entry) {
        if (entry.segment() != cursorSeq || entry.start() != cursorOffset) {
            return;
        }
        cursorOffset = entry.end();
        pending--;
        cursorDirty = true;
    }

    /** Waits up to {@code limit} for an event to be appended. */
    void awaitAppend(Duration limit) throws InterruptedException {
        lock.lock();
        try {
            if (pending == 0) {
                appended.await(limit.toNanos(), TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Makes appended events and the cursor durable against a power loss. */
    void sync() throws IOException {
        lock.lock();
        try {
            if (dirty) {
                writer.force(false);
                dirty = false;
            }
            if (cursorDirty) {
                Path tmp = dir.resolve(CURSOR + ".tmp");
                Files.writeString(tmp, cursorSeq + " " + cursorOffset + "\n");
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                Files.move(tmp, dir.resolve(CURSOR), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                cursorDirty = false;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            sync();
            writer.close();
            if (reader != null) {
                reader.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
