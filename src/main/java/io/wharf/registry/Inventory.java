package io.wharf.registry;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.wharf.spec.Descriptor;
import io.wharf.spec.Digest;
import io.wharf.spec.DigestReference;
import io.wharf.spec.Manifest;
import io.wharf.spec.Platform;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * What people browse: each repository's tags with the digest, push time, size and platforms of what they name. A
 * view is read from storage once and kept in memory, so a page over 10,000 repositories is a sort in memory, not
 * thousands of storage reads.
 *
 * <p>Freshness: a tag write or removal anywhere (this process, or another instance through shared
 * {@link Coordination}) drops its repository's view at once; every view is also re-read in the background after
 * {@code refresh}, which bounds how stale a view can be when instances share storage without Redis. The repository
 * list is the catalog index, so a deleted repository leaves the list with it. Memory is bounded by the number of tags
 * held ({@code maxTags}); a view pushed out is read again when asked for.
 */
public final class Inventory {
    /** Repository views read at once while a page is assembled. */
    private static final int PARALLEL_READS = 16;

    /**
     * One tag.
     *
     * @param name the tag
     * @param digest the manifest it names
     * @param mediaType the manifest's media type
     * @param pushedAt when the tag was last written
     * @param size bytes of the manifest, its config and layers (for an index: every child's, each blob once); what a
     *     pull of every platform transfers at most
     * @param platforms {@code os/architecture[/variant]} of an index's children, empty for a single image
     * @param artifactType the artifact type, or {@code null}
     */
    public record TagView(String name, Digest digest, String mediaType, Instant pushedAt, long size,
            List<String> platforms, String artifactType) {
        public TagView {
            platforms = List.copyOf(platforms);
        }
    }

    /**
     * One repository.
     *
     * @param name its name
     * @param tags its tags, newest push first
     * @param lastPush the newest tag push, {@link Instant#EPOCH} when it has no tags
     */
    public record RepositoryView(String name, List<TagView> tags, Instant lastPush) {
        public RepositoryView {
            tags = List.copyOf(tags);
        }

        /** The first path component, or the empty string for a top-level repository. */
        public String namespace() {
            int slash = name.indexOf('/');
            return slash < 0 ? "" : name.substring(0, slash);
        }
    }

    /** Config blobs larger than this are not shown (a config is a few KiB; this bounds what is read whole). */
    static final int MAX_CONFIG_BYTES = 1 << 20;

    /**
     * One manifest as the UI shows it.
     *
     * @param stored the manifest
     * @param tags the repository's tags that name it
     * @param config the config blob of an image manifest, when stored and at most 1 MiB
     * @param children the index's child manifests that are stored (for their platforms and sizes)
     * @param referrers manifests in the repository whose subject it is
     */
    public record ImageView(StoredManifest stored, List<String> tags, Optional<byte[]> config,
            List<StoredManifest> children, List<Registry.ReferrerDescriptor> referrers) {
        public ImageView {
            tags = List.copyOf(tags);
            children = List.copyOf(children);
            referrers = List.copyOf(referrers);
        }
    }

    private final Registry registry;
    private final LoadingCache<String, RepositoryView> views;
    private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * @param refresh after this, a view is read again in the background (stale reads are served meanwhile)
     * @param maxTags tags held in memory over all views
     */
    public Inventory(Registry registry, Duration refresh, long maxTags) {
        this.registry = registry;
        this.views = Caffeine.newBuilder()
                .maximumWeight(maxTags)
                .weigher((String name, RepositoryView v) -> 1 + v.tags().size())
                .refreshAfterWrite(refresh)
                .executor(readers)
                .build(this::read);
        registry.coordination().onChange(this::changed);
    }

    /** The view of one repository; empty when it does not exist. */
    public Optional<RepositoryView> repository(RepositoryName repo) throws IOException {
        if (!registry.repositoryExists(repo)) {
            return Optional.empty();
        }
        return Optional.of(view(repo.value()));
    }

    /**
     * One page of the repositories the caller may see.
     *
     * @param visible which repository names the caller may see
     * @param bytes each repository's bytes for sorting by size (from the last usage report; absent ones count 0)
     */
    public RepositoryQuery.Page<RepositoryView> repositories(RepositoryQuery query, Predicate<String> visible,
            Map<String, Long> bytes) throws IOException {
        List<String> names = new ArrayList<>();
        for (String name : registry.repositories().page(null, Integer.MAX_VALUE)) {
            if (visible.test(name) && query.matchesName(name)) {
                names.add(name);
            }
        }
        List<RepositoryView> all = views(names);
        List<RepositoryView> shown = new ArrayList<>(all.size());
        Map<String, Integer> namespaces = new java.util.TreeMap<>();
        for (RepositoryView v : all) {
            if (v.tags().isEmpty() && !query.includeUntagged()) {
                continue;
            }
            namespaces.merge(v.namespace(), 1, Integer::sum);
            if (query.namespace() == null || query.namespace().equals(v.namespace())) {
                shown.add(v);
            }
        }
        Comparator<RepositoryView> byName = Comparator.comparing(RepositoryView::name);
        Comparator<RepositoryView> order = switch (query.sort()) {
            case NAME -> byName;
            case PUSHED -> Comparator.comparing(RepositoryView::lastPush).thenComparing(byName);
            case SIZE -> Comparator.comparingLong((RepositoryView v) -> bytes.getOrDefault(v.name(), 0L))
                    .thenComparing(byName);
        };
        shown.sort(query.descending() ? order.reversed() : order);
        return RepositoryQuery.Page.of(shown, query, namespaces);
    }

    /**
     * One manifest by tag or digest, read without counting a pull.
     *
     * @throws RegistryException {@code MANIFEST_UNKNOWN} when the repository has no such manifest
     */
    public ImageView image(RepositoryName repo, io.wharf.spec.Reference reference) throws IOException {
        StoredManifest stored = registry.manifestStore().get(repo, reference);
        Manifest m = stored.manifest();
        List<String> tags = new ArrayList<>();
        for (TagView t : view(repo.value()).tags()) {
            if (t.digest().equals(stored.digest())) {
                tags.add(t.name());
            }
        }
        Optional<byte[]> config = Optional.empty();
        if (m.config() != null && m.config().size() <= MAX_CONFIG_BYTES) {
            try {
                config = Optional.of(registry.blobs().readSmall(m.config().digest()));
            } catch (io.wharf.storage.PathNotFoundException notStored) {
                config = Optional.empty();
            }
        }
        List<StoredManifest> children = new ArrayList<>();
        for (Descriptor child : m.manifests()) {
            manifest(repo, child.digest()).ifPresent(children::add);
        }
        return new ImageView(stored, tags, config, children,
                registry.listings().referrers(repo, stored.digest(), null));
    }

    /**
     * Reads every repository's view now (16 at a time), so that the first page after a start does not wait for
     * them; a server calls it once in the background when it starts.
     */
    public void warm() throws IOException {
        long start = System.nanoTime();
        List<String> names = registry.repositories().page(null, Integer.MAX_VALUE);
        List<RepositoryView> read = views(names);
        org.slf4j.LoggerFactory.getLogger(Inventory.class).info("ui: read {} repositories with {} tags in {} ms",
                read.size(), read.stream().mapToInt(v -> v.tags().size()).sum(), (System.nanoTime() - start) / 1_000_000);
    }

    /** Forgets what is known of a repository; the next request reads it again. */
    public void invalidate(RepositoryName repo) {
        views.invalidate(repo.value());
    }

    /** Stops the background readers. */
    public void close() {
        readers.shutdownNow();
    }

    private RepositoryView view(String name) throws IOException {
        try {
            return views.get(name);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The views of many repositories, reading the missing ones in parallel. */
    private List<RepositoryView> views(List<String> names) throws IOException {
        Map<String, RepositoryView> known = views.getAllPresent(names);
        if (known.size() == names.size()) {
            return names.stream().map(known::get).toList();
        }
        return new Fanout(PARALLEL_READS).map(names, name -> {
            RepositoryView v = known.get(name);
            return v != null ? v : view(name);
        });
    }

    private RepositoryView read(String name) {
        RepositoryName repo = RepositoryName.parse(name);
        try {
            List<TagView> tags = new ArrayList<>();
            for (String t : registry.tags().list(repo)) {
                Tag tag = new Tag(t);
                Optional<Digest> digest = registry.tags().current(repo, tag);
                if (digest.isPresent()) {
                    Instant pushed = registry.tags().taggedAt(repo, tag).orElse(Instant.EPOCH);
                    tags.add(tagView(repo, t, digest.get(), pushed));
                }
            }
            tags.sort(Comparator.comparing(TagView::pushedAt).reversed().thenComparing(TagView::name));
            return new RepositoryView(name, tags, tags.isEmpty() ? Instant.EPOCH : tags.get(0).pushedAt());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TagView tagView(RepositoryName repo, String tag, Digest digest, Instant pushed) throws IOException {
        Optional<StoredManifest> stored = manifest(repo, digest);
        if (stored.isEmpty()) {
            // The tag names a manifest that is not stored (a mirror that has not fetched it yet).
            return new TagView(tag, digest, null, pushed, 0, List.of(), null);
        }
        Manifest m = stored.get().manifest();
        Set<Digest> blobs = new HashSet<>();
        long size = stored.get().payload().length;
        List<String> platforms = new ArrayList<>();
        if (m.isIndex()) {
            for (Descriptor child : m.manifests()) {
                platformOf(child).ifPresent(platforms::add);
                Optional<StoredManifest> c = manifest(repo, child.digest());
                size += c.map(s -> (long) s.payload().length).orElse(child.size());
                if (c.isPresent()) {
                    size += imageBytes(c.get().manifest(), blobs);
                }
            }
        } else {
            size += imageBytes(m, blobs);
        }
        return new TagView(tag, digest, m.mediaType().toString(), pushed, size,
                List.copyOf(new LinkedHashSet<>(platforms)), m.artifactType());
    }

    /** Config and layer bytes not counted yet. */
    private static long imageBytes(Manifest m, Set<Digest> counted) {
        long size = 0;
        if (m.config() != null && counted.add(m.config().digest())) {
            size += m.config().size();
        }
        for (Descriptor layer : m.layers()) {
            if (counted.add(layer.digest())) {
                size += layer.size();
            }
        }
        return size;
    }

    private Optional<StoredManifest> manifest(RepositoryName repo, Digest digest) throws IOException {
        try {
            return Optional.of(registry.manifestStore().get(repo, new DigestReference(digest)));
        } catch (RegistryException missing) {
            return Optional.empty();
        }
    }

    /** {@code os/architecture[/variant]} of an index entry, when it says. */
    public static Optional<String> platformOf(Descriptor child) {
        Platform p = child.platform();
        String os = p.os();
        String arch = p.architecture();
        if (os.isEmpty() && arch.isEmpty()) {
            return Optional.empty();
        }
        String variant = p.variant();
        return Optional.of(os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant));
    }

    /** A tag write or removal (key {@code tag:<repo>:<tag>}) drops the repository's view. */
    private void changed(String key) {
        if (key.startsWith("tag:")) {
            int colon = key.lastIndexOf(':');
            if (colon > 4) {
                views.invalidate(key.substring(4, colon));
            }
        }
    }
}
