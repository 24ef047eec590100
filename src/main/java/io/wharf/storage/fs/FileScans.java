package io.wharf.storage.fs;

import io.wharf.storage.FileInfo;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The filesystem driver's operations over many files at once, for garbage collection: a scan of every file below a
 * directory ({@link StorageDriver#walkFiles}) and a batch delete ({@link StorageDriver#deleteFiles}).
 */
final class FileScans {
    private FileScans() {
    }

    /**
     * Visits every regular file below {@code start} (the driver path {@code path}), temporary files left out.
     *
     * @throws PathNotFoundException when nothing exists at the path
     */
    static void walkFiles(Path start, String path, StorageDriver.FileVisitor visitor) throws IOException {
        BasicFileAttributes top;
        try {
            top = Files.readAttributes(start, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new PathNotFoundException(path);
        }
        if (!top.isDirectory()) {
            return;
        }
        String prefix = path.equals("/") ? "" : path;
        Files.walkFileTree(start, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() && !file.getFileName().toString().startsWith(FilesystemDriver.TEMP_PREFIX)) {
                    String name = start.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                    visitor.visit(new FileInfo(prefix + "/" + name, attrs.size(), attrs.lastModifiedTime().toInstant(),
                            false));
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    // Deleted while the scan was under way: it is no longer there to visit.
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    /**
     * Deletes the regular files among {@code files} (resolved, none the root), then each directory one of them left
     * empty, then syncs every directory that lost an entry.
     */
    static void deleteFiles(Path root, List<Path> files) throws IOException {
        java.util.Set<Path> changed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        inParallel(files, file -> {
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(file)) {
                Path parent = file.getParent();
                changed.add(removeIfEmpty(root, parent) ? parent.getParent() : parent);
            }
        });
        inParallel(changed, FilesystemDriver::fsyncDirectory);
    }

    /** One step of {@link #inParallel}. */
    @FunctionalInterface
    private interface PathStep {
        void run(Path path) throws IOException;
    }

    /** The most file system calls {@link #deleteFiles} has in flight at once. */
    private static final int PARALLEL_CALLS = 16;

    /**
     * Runs the step for every path, side by side: a journaling file system (ext4, XFS) can commit concurrent
     * metadata changes and syncs together, where one after another each waits for its own. (On the benchmark
     * machine's ext4 the gain was within the noise; see docs/BENCHMARKS.md.)
     */
    private static void inParallel(java.util.Collection<Path> paths, PathStep step) throws IOException {
        java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(PARALLEL_CALLS);
        List<java.util.concurrent.Future<Void>> done = new ArrayList<>(paths.size());
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (Path path : paths) {
                permits.acquire();
                done.add(threads.submit(() -> {
                    try {
                        step.run(path);
                        return null;
                    } finally {
                        permits.release();
                    }
                }));
            }
            for (var f : done) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while deleting files");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("deleting failed", e.getCause());
        }
    }

    /** Removes a directory other than the root when it is empty; false when it is not (or is the root). */
    private static boolean removeIfEmpty(Path root, Path dir) throws IOException {
        if (dir.equals(root)) {
            return false;
        }
        try {
            Files.delete(dir);
            return true;
        } catch (DirectoryNotEmptyException | NoSuchFileException e) {
            // Still holds something (a writer's new file), or another delete removed it first.
            return e instanceof NoSuchFileException;
        }
    }
}
