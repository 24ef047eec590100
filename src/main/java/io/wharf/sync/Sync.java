package io.wharf.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.registry.GlobPattern;
import io.wharf.spec.Descriptor;
import io.wharf.spec.Digest;
import io.wharf.spec.Manifest;
import io.wharf.spec.ManifestParser;
import io.wharf.spec.MediaType;
import io.wharf.spec.RegistryException;
import io.wharf.sync.SyncEndpoint.RawManifest;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Copies repositories and tags from one registry to another, as {@code skopeo sync} would but incrementally:
 * a manifest the destination already has (by digest) is not looked into again, a blob it already has is not sent,
 * a blob already copied into another repository of the destination is mounted instead of sent, and an upload
 * broken off mid-blob continues at the offset the destination acknowledged (within a run after a failure, and in
 * the next run through the {@link UploadState} file). Multi-platform indexes are copied with every child, and each
 * copied image's referrers (signatures, SBOMs) with it, through the referrers API or, where a side lacks it, the
 * referrers tag schema ({@code sha256-<hex>} tags).
 *
 * <p>Content is written bottom-up (blobs, then children, then the index, then the tag), so a destination never
 * holds a tag whose content is incomplete, and a copy can be interrupted anywhere. The destination verifies every
 * digest. A tag that fails is reported and the others go on.
 */
public final class Sync {
    private static final int MAX_REFERRER_DEPTH = 4;
    private static final Pattern REFERRERS_TAG = Pattern.compile("[a-z0-9]+-[0-9a-f]{32,128}");

    private final SyncEndpoint source;
    private final SyncEndpoint destination;
    private final SyncSpec spec;
    private final ObjectMapper json;
    private final ManifestParser parser;
    private final BlobTransfer transfer;
    private final Consumer<String> out;
    private final Map<Digest, String> copiedTo = new ConcurrentHashMap<>();
    private final Set<String> manifestsSeen = ConcurrentHashMap.newKeySet();
    private final AtomicLong tagsCopied = new AtomicLong();
    private final AtomicLong tagsCurrent = new AtomicLong();
    private final AtomicLong manifestsCopied = new AtomicLong();
    private final AtomicLong blobsCopied = new AtomicLong();
    private final AtomicLong blobsMounted = new AtomicLong();
    private final AtomicLong blobsPresent = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final List<String> failures = new ArrayList<>();

    private Sync(SyncEndpoint source, SyncEndpoint destination, SyncSpec spec, UploadState state, ObjectMapper json,
            Consumer<String> out) {
        this.source = source;
        this.destination = destination;
        this.spec = spec;
        this.transfer = new BlobTransfer(source, destination, spec, state, out);
        this.json = json;
        this.parser = new ManifestParser(json);
        this.out = out;
    }

    /**
     * Copies what {@code spec} names from {@code source} to {@code destination}.
     *
     * @param stateFile where uploads under way are remembered between runs; {@code null} for none
     * @param out receives one line per tag, resumed blob and failure
     * @throws IOException when the source's repositories cannot be listed at all (each tag's failure is reported
     *     in the result instead)
     */
    public static SyncReport run(SyncEndpoint source, SyncEndpoint destination, SyncSpec spec, Path stateFile,
            ObjectMapper json, Consumer<String> out) throws IOException {
        Sync sync = new Sync(source, destination, spec, new UploadState(stateFile, json), json, out);
        try (ExecutorService blobs = Executors.newFixedThreadPool(spec.parallel(), Thread.ofVirtual().factory())) {
            for (String repo : sync.repositories()) {
                sync.copyRepository(repo, blobs);
            }
        }
        return sync.report();
    }

    private SyncReport report() {
        synchronized (failures) {
            return new SyncReport(tagsCopied.get(), tagsCurrent.get(), manifestsCopied.get(), blobsCopied.get(),
                    blobsMounted.get(), blobsPresent.get(), bytes.get(), List.copyOf(failures));
        }
    }

    private static boolean isGlob(String pattern) {
        return pattern.contains("*") || pattern.contains("?");
    }

    private List<String> repositories() throws IOException {
        Set<String> names = new LinkedHashSet<>();
        List<String> catalog = null;
        for (String pattern : spec.repositories()) {
            if (!isGlob(pattern)) {
                names.add(pattern);
                continue;
            }
            if (catalog == null) {
                catalog = source.repositories();
            }
            GlobPattern glob = GlobPattern.compile(pattern);
            catalog.stream().filter(glob::matches).forEach(names::add);
        }
        return List.copyOf(names);
    }

    private void copyRepository(String repo, ExecutorService blobs) {
        String target = spec.prefix() + repo;
        List<String> tags;
        try {
            tags = selectTags(repo);
        } catch (IOException | RuntimeException e) {
            fail(repo, e);
            return;
        }
        for (String tag : tags) {
            try {
                copyTag(repo, target, tag, blobs);
            } catch (IOException | RuntimeException e) {
                fail(repo + ":" + tag, e);
            }
        }
    }

    private List<String> selectTags(String repo) throws IOException {
        List<String> all = source.tags(repo);
        if (all.isEmpty()) {
            throw new IOException(source.describe() + " has no tags in " + repo);
        }
        List<GlobPattern> globs = GlobPattern.compileAll(spec.tags());
        List<String> chosen = new ArrayList<>();
        for (String tag : all) {
            // Referrers tag schema indexes travel with the images they describe, not as tags of their own.
            boolean wanted = globs.isEmpty() || GlobPattern.firstMatch(globs, tag) != null;
            if (wanted && !REFERRERS_TAG.matcher(tag).matches()) {
                chosen.add(tag);
            }
        }
        for (String pattern : spec.tags()) {
            if (!isGlob(pattern) && !all.contains(pattern)) {
                fail(repo + ":" + pattern, new IOException(source.describe() + " has no such tag"));
            }
        }
        return chosen;
    }

    private void fail(String what, Exception e) {
        String line = what + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
        synchronized (failures) {
            failures.add(line);
        }
        out.accept("failed " + line);
    }

    private void copyTag(String repo, String target, String tag, ExecutorService blobs) throws IOException {
        RawManifest m = source.manifest(repo, tag).orElseThrow(
                () -> new IOException(source.describe() + " no longer has this tag"));
        Optional<Digest> current = destination.manifestDigest(target, tag);
        if (current.equals(Optional.of(m.digest()))) {
            tagsCurrent.incrementAndGet();
            out.accept("current " + repo + ":" + tag + " (" + m.digest() + ")");
        } else {
            copyManifest(repo, target, m, blobs);
            if (!spec.dryRun()) {
                destination.putManifest(target, tag, m);
            }
            tagsCopied.incrementAndGet();
            out.accept((spec.dryRun() ? "would copy " : "copied ") + repo + ":" + tag + " -> " + target + ":" + tag
                    + " (" + m.digest() + ")");
        }
        if (spec.referrers()) {
            copyReferrers(repo, target, m.digest(), blobs, 0);
        }
    }

    /** Copies a manifest and everything under it, unless the destination already has it (and so all of that). */
    private void copyManifest(String repo, String target, RawManifest m, ExecutorService blobs) throws IOException {
        if (!manifestsSeen.add(target + "@" + m.digest())
                || destination.manifestDigest(target, m.digest().toString()).isPresent()) {
            return;
        }
        Manifest parsed = parse(m);
        if (parsed.isIndex()) {
            for (Descriptor child : parsed.manifests()) {
                RawManifest c = source.manifest(repo, child.digest().toString()).orElseThrow(() -> new IOException(
                        source.describe() + " lacks " + child.digest() + ", a manifest of the index " + m.digest()));
                copyManifest(repo, target, c, blobs);
            }
        } else {
            List<Descriptor> needed = new ArrayList<>();
            needed.add(parsed.config());
            // Foreign layers live elsewhere (their urls); registries do not hold them.
            parsed.layers().stream().filter(l -> l.urls().isEmpty()).forEach(needed::add);
            copyBlobs(repo, target, needed, blobs);
        }
        if (spec.dryRun()) {
            manifestsCopied.incrementAndGet();
            return;
        }
        boolean indexed = destination.putManifest(target, m.digest().toString(), m);
        manifestsCopied.incrementAndGet();
        if (parsed.subject() != null && !indexed) {
            addToReferrersTag(target, parsed.subject().digest(), m, parsed);
        }
    }

    private Manifest parse(RawManifest m) throws IOException {
        try {
            return parser.parse(m.payload(), m.mediaType().isEmpty() ? null : MediaType.parseHeader(m.mediaType()));
        } catch (RegistryException | IllegalArgumentException e) {
            throw new IOException("the manifest " + m.digest() + " cannot be copied: " + e.getMessage(), e);
        }
    }

    private void copyBlobs(String repo, String target, List<Descriptor> needed, ExecutorService pool)
            throws IOException {
        List<Future<Void>> running = new ArrayList<>();
        Set<Digest> unique = new LinkedHashSet<>();
        for (Descriptor d : needed) {
            if (unique.add(d.digest())) {
                running.add(pool.submit(() -> {
                    copyBlob(repo, target, d);
                    return null;
                }));
            }
        }
        IOException first = null;
        for (Future<Void> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.forEach(r -> r.cancel(true));
                throw new InterruptedIOException("interrupted");
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void copyBlob(String repo, String target, Descriptor d) throws IOException {
        Digest digest = d.digest();
        if (destination.blobSize(target, digest).isPresent()) {
            blobsPresent.incrementAndGet();
            copiedTo.putIfAbsent(digest, target);
            return;
        }
        String from = copiedTo.get(digest);
        if (from != null && !from.equals(target) && (spec.dryRun() || destination.mount(target, from, digest))) {
            blobsMounted.incrementAndGet();
            return;
        }
        if (!spec.dryRun()) {
            transfer.send(repo, target, digest, d.size());
        }
        blobsCopied.incrementAndGet();
        bytes.addAndGet(d.size());
        copiedTo.put(digest, target);
    }

    private void copyReferrers(String repo, String target, Digest subject, ExecutorService blobs, int depth)
            throws IOException {
        if (depth >= MAX_REFERRER_DEPTH) {
            return;
        }
        for (Digest referrer : referrersAtSource(repo, subject)) {
            Optional<RawManifest> m = source.manifest(repo, referrer.toString());
            if (m.isPresent()) {
                boolean had = destination.manifestDigest(target, referrer.toString()).isPresent();
                copyManifest(repo, target, m.get(), blobs);
                if (!had) {
                    out.accept((spec.dryRun() ? "would copy " : "copied ") + "referrer " + referrer + " of "
                            + target + "@" + subject);
                }
                copyReferrers(repo, target, referrer, blobs, depth + 1);
            }
        }
    }

    private List<Digest> referrersAtSource(String repo, Digest subject) throws IOException {
        Optional<List<SyncEndpoint.Referrer>> listed = source.referrers(repo, subject);
        if (listed.isPresent()) {
            return listed.get().stream().map(SyncEndpoint.Referrer::digest).toList();
        }
        Optional<RawManifest> schema = source.manifest(repo, schemaTag(subject));
        if (schema.isEmpty()) {
            return List.of();
        }
        List<Digest> digests = new ArrayList<>();
        for (JsonNode d : json.readTree(schema.get().payload()).path("manifests")) {
            if (Digest.isValid(d.path("digest").asText())) {
                digests.add(Digest.parse(d.path("digest").asText()));
            }
        }
        return digests;
    }

    private static String schemaTag(Digest subject) {
        return subject.algorithmId() + "-" + subject.hex();
    }

    /** The referrers tag schema: a destination without the referrers API lists referrers in an index tag. */
    private synchronized void addToReferrersTag(String target, Digest subject, RawManifest m, Manifest parsed)
            throws IOException {
        String tag = schemaTag(subject);
        ObjectNode index;
        Optional<RawManifest> existing = destination.manifest(target, tag);
        if (existing.isPresent() && json.readTree(existing.get().payload()) instanceof ObjectNode o) {
            index = o;
        } else {
            index = json.createObjectNode();
            index.put("schemaVersion", 2);
            index.put("mediaType", MediaType.OCI_INDEX.value());
            index.putArray("manifests");
        }
        ArrayNode manifests = index.withArray("manifests");
        for (JsonNode d : manifests) {
            if (m.digest().toString().equals(d.path("digest").asText())) {
                return;
            }
        }
        ObjectNode d = manifests.addObject();
        d.put("mediaType", parsed.mediaType().value());
        d.put("digest", m.digest().toString());
        d.put("size", m.payload().length);
        if (parsed.artifactType() != null) {
            d.put("artifactType", parsed.artifactType());
        }
        if (!parsed.annotations().isEmpty()) {
            ObjectNode annotations = d.putObject("annotations");
            parsed.annotations().forEach(annotations::put);
        }
        byte[] payload = json.writeValueAsBytes(index);
        destination.putManifest(target, tag, new RawManifest(Digest.compute(Digest.Algorithm.SHA256, payload),
                MediaType.OCI_INDEX.value(), payload));
    }
}
