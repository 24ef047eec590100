package io.wharf.http;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Memory-mapped file regions that are unmapped as soon as they are closed, through the foreign-memory API
 * ({@code FileChannel.map(..., Arena)}, final since JDK 22). A plain {@code MappedByteBuffer} stays mapped
 * until the garbage collector finds it, so a busy server with little garbage would pile up mappings (and hit
 * the kernel's {@code vm.max_map_count}); a closed arena unmaps at once, and a late access fails cleanly
 * instead of touching unmapped memory.
 *
 * <p>The API is reached through method handles because Wharf also runs on JDK 21, where it is a preview;
 * {@link #available()} is false there and callers copy instead.
 */
final class MappedFiles {
    private static final MethodHandle OF_SHARED;
    private static final MethodHandle MAP;
    private static final MethodHandle AS_SLICE;
    private static final MethodHandle AS_BYTE_BUFFER;
    private static final MethodHandle CLOSE;

    static {
        MethodHandle ofShared = null;
        MethodHandle map = null;
        MethodHandle asSlice = null;
        MethodHandle asByteBuffer = null;
        MethodHandle close = null;
        try {
            if (Runtime.version().feature() >= 22) {
                Class<?> arena = Class.forName("java.lang.foreign.Arena");
                Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                ofShared = lookup.findStatic(arena, "ofShared", MethodType.methodType(arena));
                map = lookup.findVirtual(FileChannel.class, "map", MethodType.methodType(segment,
                        FileChannel.MapMode.class, long.class, long.class, arena));
                asSlice = lookup.findVirtual(segment, "asSlice", MethodType.methodType(segment, long.class, long.class));
                asByteBuffer = lookup.findVirtual(segment, "asByteBuffer", MethodType.methodType(ByteBuffer.class));
                close = lookup.findVirtual(arena, "close", MethodType.methodType(void.class));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            ofShared = null;
        }
        OF_SHARED = ofShared;
        MAP = map;
        AS_SLICE = asSlice;
        AS_BYTE_BUFFER = asByteBuffer;
        CLOSE = close;
    }

    private MappedFiles() {
    }

    /** Whether regions can be mapped and unmapped deterministically on this JDK. */
    static boolean available() {
        return OF_SHARED != null;
    }

    /** One mapped region; {@link #close} unmaps it, after which its buffers must not be used. */
    static final class Region implements AutoCloseable {
        private final Object arena;
        private final Object segment;

        private Region(Object arena, Object segment) {
            this.arena = arena;
            this.segment = segment;
        }

        /** A buffer over {@code length} bytes of the region from {@code offset}. */
        ByteBuffer slice(long offset, int length) {
            try {
                return (ByteBuffer) AS_BYTE_BUFFER.invoke(AS_SLICE.invoke(segment, offset, (long) length));
            } catch (Throwable t) {
                throw new IllegalStateException("cannot slice a mapped region", t);
            }
        }

        @Override
        public void close() {
            try {
                CLOSE.invoke(arena);
            } catch (Throwable t) {
                throw new IllegalStateException("cannot unmap a region", t);
            }
        }
    }

    /**
     * Maps {@code length} bytes of the file from {@code offset}, read-only.
     *
     * @throws IllegalStateException when {@link #available()} is false
     */
    static Region map(FileChannel channel, long offset, long length) throws IOException {
        if (!available()) {
            throw new IllegalStateException("deterministic unmapping needs JDK 22 or newer");
        }
        Object arena;
        try {
            arena = OF_SHARED.invoke();
        } catch (Throwable t) {
            throw new IllegalStateException("cannot create an arena", t);
        }
        try {
            return new Region(arena, MAP.invoke(channel, FileChannel.MapMode.READ_ONLY, offset, length, arena));
        } catch (IOException e) {
            closeQuietly(arena);
            throw e;
        } catch (Throwable t) {
            closeQuietly(arena);
            throw new IOException("cannot map the file", t);
        }
    }

    private static void closeQuietly(Object arena) {
        try {
            CLOSE.invoke(arena);
        } catch (Throwable ignored) {
            // Nothing was mapped into it.
        }
    }
}
