package io.wharf.registry;

import io.wharf.spec.RepositoryName;
import io.wharf.storage.FileInfo;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import io.wharf.storage.WalkVisitor;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The set of repositories, for {@code /v2/_catalog}. A repository is a directory under
 * {@code repositories/} that holds {@code _layers} or {@code _manifests} (Distribution recognises
 * {@code _layers}; manifests-only repositories count here too).
 *
 * <p>The set is built by one walk of the storage and then kept current by this process's own
 * writes; it is rebuilt after {@code refreshAfter} so that repositories written by another process
 * sharing the storage appear too.
 */
public final class RepositoryIndex {
    private final StorageDriver driver;
    private final Duration refreshAfter;
    private final Clock clock;
    private volatile NavigableSet<String> names;
    private volatile Instant builtAt = Instant.MIN;

    RepositoryIndex(StorageDriver driver, Duration refreshAfter, Clock clock) {
        this.driver = driver;
        this.refreshAfter = refreshAfter;
        this.clock = clock;
    }

    /** Records a repository this process created. */
    void added(RepositoryName repo) {
        NavigableSet<String> current = names;
        if (current != null) {
            current.add(repo.value());
        }
    }

    /** Forgets a repository this process removed. */
    void removed(RepositoryName repo) {
        NavigableSet<String> current = names;
        if (current != null) {
            current.remove(repo.value());
        }
    }

    /**
     * Up to {@code limit} repository names after {@code last} (exclusive; null for the start), in
     * lexical order.
     */
    public List<String> page(String last, int limit) throws IOException {
        NavigableSet<String> all = current();
        NavigableSet<String> tail = last == null ? all : all.tailSet(last, false);
        List<String> out = new ArrayList<>(Math.min(limit, 1024));
        for (String n : tail) {
            if (out.size() >= limit) {
                break;
            }
            out.add(n);
        }
        return out;
    }

    /** True when a name follows {@code last} in the catalog. */
    public boolean hasAfter(String last) throws IOException {
        return current().higher(last) != null;
    }

    private NavigableSet<String> current() throws IOException {
        NavigableSet<String> current = names;
        if (current == null || clock.instant().isAfter(builtAt.plus(refreshAfter))) {
            synchronized (this) {
                if (names == current) {
                    Instant start = clock.instant();
                    names = scan();
                    builtAt = start;
                }
                current = names;
            }
        }
        return current;
    }

    /** Every repository in storage now, read afresh (not from the cached set), in lexical order. */
    public List<RepositoryName> scanStorage() throws IOException {
        return scan().stream().map(RepositoryName::parse).toList();
    }

    private NavigableSet<String> scan() throws IOException {
        NavigableSet<String> found = new ConcurrentSkipListSet<>();
        int prefix = StorageLayout.REPOSITORIES.length() + 1;
        try {
            driver.walk(StorageLayout.REPOSITORIES, (FileInfo info) -> {
                if (!info.directory()) {
                    return WalkVisitor.Next.CONTINUE;
                }
                String path = info.path();
                String name = path.substring(path.lastIndexOf('/') + 1);
                if (name.equals("_layers") || name.equals("_manifests")) {
                    String repo = path.substring(prefix, path.length() - name.length() - 1);
                    if (RepositoryName.isValid(repo)) {
                        found.add(repo);
                    }
                    return WalkVisitor.Next.SKIP_SUBTREE;
                }
                return name.startsWith("_") ? WalkVisitor.Next.SKIP_SUBTREE : WalkVisitor.Next.CONTINUE;
            });
        } catch (PathNotFoundException e) {
            // No repository yet.
        }
        return found;
    }
}
