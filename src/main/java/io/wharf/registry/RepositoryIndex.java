package io.wharf.registry;

import io.wharf.spec.RepositoryName;
import io.wharf.storage.PathNotFoundException;
import io.wharf.storage.StorageDriver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The set of repositories, for {@code /v2/_catalog}. A repository is a directory under
 * {@code repositories/} that holds {@code _layers} or {@code _manifests} (Distribution recognises
 * {@code _layers}; manifests-only repositories count here too).
 *
 * <p>The set is read from the catalog index in storage ({@link StorageLayout#CATALOG}: one entry per
 * repository, written when a repository is first written and removed with it), which is one flat listing
 * however many repositories there are, instead of a walk of every repository's directories (on an object
 * store, one request per directory). Storage without an index yet (a Distribution data directory or bucket)
 * is walked once and the index written. The set is then kept current by this process's own writes and read
 * again after {@code refreshAfter}, so that repositories written by other instances appear too. Repositories
 * written by something that does not keep the index (Distribution sharing the storage) are found by
 * {@link #check} ({@code wharf scrub}) and added by {@link #rebuild}.
 *
 * <p>Garbage collection and scrub never trust the index: they walk the layout ({@link #scanStorage}).
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
    private final boolean writable;
    private final Coordination coordination;
    /** The change notice that a repository appeared or went. */
    static final String CHANGE_KEY = "catalog";
    /** The change notice that names a repository whose index entry was deleted: followed by the name. */
    static final String REMOVED_KEY = "catalog-removed:";
    /** Names known to have an index entry, so that each is written once per process. */
    private final java.util.Set<String> indexed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile NavigableSet<String> names;
    private volatile Instant builtAt = Instant.MIN;

    /**
     * @param writable false in read-only mode: the index is read, never written
     * @param coordination told when this process adds or removes a repository, so that other instances read the
     *     index again at once (through Redis when shared), rather than after {@code refreshAfter}
     */
    RepositoryIndex(StorageDriver driver, Duration refreshAfter, Clock clock, boolean writable,
            Coordination coordination) {
        this.driver = driver;
        this.refreshAfter = refreshAfter;
        this.clock = clock;
        this.writable = writable;
        this.coordination = coordination;
        coordination.onChange(key -> {
            if (key.equals(CHANGE_KEY)) {
                // Read again on next use; this process's own set is already current.
                builtAt = Instant.MIN;
            } else if (key.startsWith(REMOVED_KEY)) {
                // Another instance deleted the entry (a collection removed the repository): a push here writes it
                // again, instead of trusting that it was written once.
                indexed.remove(key.substring(REMOVED_KEY.length()));
            }
        });
    }

    /** Records a repository this process wrote to: its index entry is written the first time. */
    void added(RepositoryName repo) throws IOException {
        NavigableSet<String> current = names;
        if (current != null) {
            current.add(repo.value());
        }
        if (writable && !indexed.contains(repo.value())) {
            driver.putContent(StorageLayout.catalogEntry(repo), repo.value().getBytes(StandardCharsets.UTF_8));
            indexed.add(repo.value());
            coordination.changed(CHANGE_KEY);
        }
    }

    /** Forgets a repository this process removed, and its index entry. */
    void removed(RepositoryName repo) throws IOException {
        NavigableSet<String> current = names;
        if (current != null) {
            current.remove(repo.value());
        }
        indexed.remove(repo.value());
        if (writable) {
            try {
                driver.delete(StorageLayout.catalogEntry(repo));
            } catch (PathNotFoundException e) {
                // Never indexed.
            }
            coordination.changed(REMOVED_KEY + repo.value());
            coordination.changed(CHANGE_KEY);
        }
    }

    /** How the index and the layout differ: repositories the index lacks, and entries for none. */
    public record Difference(List<String> missing, List<String> extra) {
        public boolean none() {
            return missing.isEmpty() && extra.isEmpty();
        }
    }

    /**
     * Marks the index built when the storage holds no repository yet and no index: a server starting on empty
     * storage indexes every repository from the first, so its first listing need not walk what was pushed since.
     */
    public void startOnEmptyStorage() throws IOException {
        if (!writable || exists(StorageLayout.catalogBuilt())) {
            return;
        }
        List<String> repositories;
        try {
            repositories = driver.list(StorageLayout.REPOSITORIES);
        } catch (PathNotFoundException e) {
            repositories = List.of();
        }
        if (repositories.isEmpty()) {
            driver.putContent(StorageLayout.catalogBuilt(),
                    clock.instant().toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Compares the index with a walk of the layout; changes nothing. Storage never indexed (never served by Wharf)
     * has no difference: its index is built when a server first lists it.
     */
    public Difference check() throws IOException {
        Optional<NavigableSet<String>> read = readIndex();
        if (read.isEmpty()) {
            return new Difference(List.of(), List.of());
        }
        return difference(walk(), read.get());
    }

    private static Difference difference(NavigableSet<String> layout, NavigableSet<String> index) {
        return new Difference(layout.stream().filter(n -> !index.contains(n)).toList(),
                index.stream().filter(n -> !layout.contains(n)).toList());
    }

    /** Makes the index match a walk of the layout, marks it built, and returns what it changed. */
    public Difference rebuild() throws IOException {
        Difference d = difference(walk(), readIndex().orElseGet(() -> new java.util.TreeSet<>(CATALOG_ORDER)));
        for (String name : d.missing()) {
            driver.putContent(StorageLayout.catalogEntry(RepositoryName.parse(name)),
                    name.getBytes(StandardCharsets.UTF_8));
        }
        for (String name : d.extra()) {
            RepositoryName repo = RepositoryName.parse(name);
            // Another instance may have created it since the walk: its entry then stays.
            if (exists(StorageLayout.manifestsDir(repo)) || exists(StorageLayout.layersDir(repo))) {
                continue;
            }
            try {
                driver.delete(StorageLayout.catalogEntry(repo));
            } catch (PathNotFoundException e) {
                // Removed meanwhile.
            }
        }
        driver.putContent(StorageLayout.catalogBuilt(), clock.instant().toString().getBytes(StandardCharsets.UTF_8));
        synchronized (this) {
            names = null;
        }
        return d;
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
                    names = load();
                    builtAt = start;
                }
                current = names;
            }
        }
        return current;
    }

    /** Every repository in storage now, walked afresh (not from the cached set or the index), in catalog order. */
    public List<RepositoryName> scanStorage() throws IOException {
        return walk().stream().map(RepositoryName::parse).toList();
    }

    private boolean exists(String path) throws IOException {
        try {
            driver.stat(path);
            return true;
        } catch (PathNotFoundException e) {
            return false;
        }
    }

    /** The index when it was built; otherwise a walk, after which the index is written (when writable). */
    private NavigableSet<String> load() throws IOException {
        Optional<NavigableSet<String>> index = readIndex();
        if (index.isPresent()) {
            // What storage holds now: an entry another instance deleted, whose notice this one missed, is written
            // again by the next push to it.
            indexed.retainAll(index.get());
            indexed.addAll(index.get());
            return index.get();
        }
        if (writable) {
            rebuild();
            index = readIndex();
            if (index.isPresent()) {
                indexed.addAll(index.get());
                return index.get();
            }
        }
        return walk();
    }

    /** The index's names, or empty when it was never built. */
    private Optional<NavigableSet<String>> readIndex() throws IOException {
        try {
            driver.stat(StorageLayout.catalogBuilt());
        } catch (PathNotFoundException e) {
            return Optional.empty();
        }
        NavigableSet<String> found = new ConcurrentSkipListSet<>(CATALOG_ORDER);
        List<String> entries;
        try {
            entries = driver.list(StorageLayout.CATALOG);
        } catch (PathNotFoundException e) {
            return Optional.of(found);
        }
        for (String path : entries) {
            String file = path.substring(path.lastIndexOf('/') + 1);
            if (StorageLayout.hashedCatalogEntry(file)) {
                try {
                    String name = new String(driver.getContent(path), StandardCharsets.UTF_8).trim();
                    if (RepositoryName.isValid(name)) {
                        found.add(name);
                    }
                } catch (PathNotFoundException e) {
                    // Removed meanwhile.
                }
            } else {
                StorageLayout.catalogName(file).ifPresent(found::add);
            }
        }
        return Optional.of(found);
    }

    /**
     * Every repository in the layout: a directory holding {@code _layers} or {@code _manifests}. The tree is read a
     * level at a time, the directories of one level listed side by side, since an object store answers each
     * listing after a round trip; directories whose name starts with {@code _} are not entered (no repository
     * lies below them).
     */
    private NavigableSet<String> walk() throws IOException {
        NavigableSet<String> found = new ConcurrentSkipListSet<>(CATALOG_ORDER);
        int prefix = StorageLayout.REPOSITORIES.length() + 1;
        Fanout fanout = new Fanout(GarbageCollector.PARALLEL_REQUESTS);
        List<String> level = List.of(StorageLayout.REPOSITORIES);
        while (!level.isEmpty()) {
            List<String> children = Directories.children(driver, fanout, level);
            level = new ArrayList<>();
            for (String child : children) {
                String name = child.substring(child.lastIndexOf('/') + 1);
                if (name.equals("_layers") || name.equals("_manifests")) {
                    String repo = child.substring(prefix, child.length() - name.length() - 1);
                    if (RepositoryName.isValid(repo)) {
                        found.add(repo);
                    }
                } else if (!name.startsWith("_")) {
                    level.add(child);
                }
            }
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
