package io.wharf.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one storage-bound task per item on virtual threads, at most {@code limit} at a time, for the collector's
 * phases that wait on storage round trips (an object store answers in milliseconds, and many requests in flight
 * hide that latency). Results come back in the order of the items, so reports stay deterministic.
 */
final class Fanout {
    /** One task. */
    @FunctionalInterface
    interface Task<T, R> {
        R run(T item) throws IOException;
    }

    private final int limit;

    /** @param limit the most tasks running at once, at least 1 */
    Fanout(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        this.limit = limit;
    }

    /**
     * Runs the task for every item and returns the results in item order. When a task fails, the tasks not yet
     * started are not started, those running are waited for, and the first failure is thrown.
     *
     * @throws IOException the first task's failure (a runtime exception is rethrown as it is)
     */
    <T, R> List<R> map(List<T> items, Task<T, R> task) throws IOException {
        if (items.size() <= 1 || limit == 1) {
            List<R> out = new ArrayList<>(items.size());
            for (T item : items) {
                out.add(task.run(item));
            }
            return out;
        }
        Semaphore permits = new Semaphore(limit);
        AtomicBoolean failed = new AtomicBoolean();
        List<Future<R>> futures = new ArrayList<>(items.size());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (T item : items) {
                permits.acquire();
                if (failed.get()) {
                    permits.release();
                    break;
                }
                futures.add(threads.submit(() -> {
                    try {
                        return task.run(item);
                    } catch (IOException | RuntimeException e) {
                        failed.set(true);
                        throw e;
                    } finally {
                        permits.release();
                    }
                }));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for storage tasks");
        }
        return results(futures);
    }

    private static <R> List<R> results(List<Future<R>> futures) throws IOException {
        List<R> out = new ArrayList<>(futures.size());
        for (Future<R> f : futures) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for storage tasks");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IOException("storage task failed", e.getCause());
            }
        }
        return out;
    }
}
