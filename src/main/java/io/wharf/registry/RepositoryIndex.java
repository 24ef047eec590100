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
import java.util.Comparator;
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
 *
 * <p>Names are ordered as Distribution orders its catalog: component by component, so {@code a/b}
 * comes before {@code a-b} (Distribution's {@code lessPath} sorts the separator before every other
 * character). The same order decides where a page after {@code last} starts.
 */
public final class RepositoryIndex {
    /** Distribution's catalog order: byte-wise, with {@code /} sorting first. */
    static final Comparator<String> CATALOG_ORDER = RepositoryIndex::compareSlashFirst;

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
     * {@link #CATALOG_ORDER}.
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
        NavigableSet<String> found = new ConcurrentSkipListSet<>(CATALOG_ORDER);
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

    private static int compareSlashFirst(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return x == '/' ? -1 : y == '/' ? 1 : Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }
}
