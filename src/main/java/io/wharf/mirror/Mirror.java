package io.wharf.mirror;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wharf.registry.BlobDelivery;
import io.wharf.registry.ForwardingBlobAccess;
import io.wharf.registry.ForwardingManifestStore;
import io.wharf.registry.ForwardingUploadSessions;
import io.wharf.registry.Listings;
import io.wharf.registry.RegistryParts.Roles;
import io.wharf.registry.StoredManifest;
import io.wharf.registry.UploadStatus;
import io.wharf.spec.Digest;
import io.wharf.spec.DigestReference;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.MediaType;
import io.wharf.spec.Reference;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pull-through cache of one or more upstream registries, each standing for the local repositories under its
 * prefix (or for every repository, as Distribution's single {@code proxy.remoteurl} does). It wraps the registry's
 * roles:
 * <ul>
 *   <li>manifests by tag: the upstream is asked for the tag's digest at most once per {@code tagTtl}; in between,
 *       and whenever the upstream is down, slow or rate-limiting, the cached tag is served (a stale copy is logged);
 *       a manifest by digest is served from the cache, or fetched once, its digest checked, and kept;</li>
 *   <li>blobs: served from the cache, or fetched once however many clients ask (see {@link BlobFetches});</li>
 *   <li>pushes, deletes and mounts into a mirrored repository are refused with {@code UNSUPPORTED}, as Distribution's
 *       mirror refuses them; repositories outside every prefix behave as in any registry;</li>
 *   <li>tag lists of a mirrored repository come from the upstream, or from the cache when it cannot answer.</li>
 * </ul>
 * Content that is neither cached nor reachable gets the upstream's failure as a spec error: 503 {@code UNAVAILABLE}
 * (unreachable), 504 {@code UPSTREAM_TIMEOUT}, 429 {@code TOOMANYREQUESTS}, 502 {@code UPSTREAM_FAILED}, naming the
 * upstream. Nothing here needs an upstream at start.
 */
public final class Mirror {
    private static final Logger LOG = LoggerFactory.getLogger(Mirror.class);

    private final List<Upstream> upstreams;
    private final Map<Upstream, UpstreamClient> clients = new java.util.LinkedHashMap<>();
    private final Clock clock;
    private final Path spool;
    private final MeterRegistry meters;
    private final LongAdder upstreamBytes = new LongAdder();
    /** When each tag's digest was last confirmed upstream. */
    private final Cache<String, Instant> checked = Caffeine.newBuilder().maximumSize(100_000).build();
    private final Cache<String, Boolean> staleLogged = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(1)).build();

    /**
     * @param upstreams most specific prefix first is not required: the longest matching prefix wins
     * @param spool a local directory for blobs being fetched
     */
    public Mirror(List<Upstream> upstreams, ObjectMapper json, Clock clock, Duration timeout, Path spool,
            MeterRegistry meters) {
        this.upstreams = upstreams.stream()
                .sorted((a, b) -> Integer.compare(b.prefix().length(), a.prefix().length())).toList();
        this.clock = clock;
        this.spool = spool;
        this.meters = meters;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        for (Upstream u : this.upstreams) {
            UpstreamClient client = new UpstreamClient(u, http, json, timeout, clock);
            clients.put(u, client);
            Gauge.builder("wharf.mirror.upstream.ratelimit.remaining", client, UpstreamClient::rateLimitRemaining)
                    .description("Docker Hub's ratelimit-remaining as last seen (-1: none seen)")
                    .tag("upstream", u.name()).register(meters);
        }
        FunctionCounter.builder("wharf.mirror.upstream.received", upstreamBytes, LongAdder::sum).baseUnit("bytes")
                .description("bytes fetched from upstream registries").register(meters);
    }

    /** containerd's {@code ?ns=} host names, each with the local prefix of its upstream. */
    public Map<String, String> namespaces() {
        Map<String, String> ns = new TreeMap<>();
        upstreams.forEach(u -> ns.putIfAbsent(u.namespace(), u.prefix()));
        return ns;
    }

    /** The upstreams, for the start-up line. */
    public List<Upstream> upstreams() {
        return upstreams;
    }

    private Optional<Upstream> upstream(RepositoryName repo) {
        return upstreams.stream().filter(u -> u.mirrors(repo)).findFirst();
    }

    private void count(Upstream u, String kind, String result) {
        meters.counter("wharf.mirror.requests", "upstream", u.name(), "kind", kind, "result", result).increment();
    }

    private RegistryException refused(RepositoryName repo, Upstream u) {
        return new RegistryException(ErrorCode.UNSUPPORTED, "repository " + repo + " is a mirror of " + u.remote()
                + " and read-only here; push to the upstream instead");
    }

    private static RegistryException unavailable(UpstreamException e) {
        return new RegistryException(e.code(), e.getMessage(), e);
    }

    /** The roles with the mirror around them. */
    public Roles wrap(Roles roles) {
        BlobFetches fetches;
        try {
            fetches = new BlobFetches(spool, roles.uploads(), upstreamBytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create the mirror's spool directory " + spool, e);
        }
        Gauge.builder("wharf.mirror.fetches.in.progress", fetches, BlobFetches::inProgress)
                .description("blobs being fetched from upstreams").register(meters);
        return new Roles(new Manifests(roles.manifests()), new Uploads(roles.uploads()),
                new Blobs(roles.blobs(), fetches), new MirrorListings(roles.listings()));
    }

    private final class Manifests extends ForwardingManifestStore {
        Manifests(io.wharf.registry.ManifestStore inner) {
            super(inner);
        }

        @Override
        public Optional<Digest> resolve(RepositoryName repo, Reference reference) throws IOException {
            if (upstream(repo).isEmpty()) {
                return inner.resolve(repo, reference);
            }
            try {
                return Optional.of(get(repo, reference).digest());
            } catch (RegistryException e) {
                if (e.code() == ErrorCode.MANIFEST_UNKNOWN) {
                    return Optional.empty();
                }
                throw e;
            }
        }

        @Override
        public StoredManifest get(RepositoryName repo, Reference reference) throws IOException {
            Optional<Upstream> found = upstream(repo);
            if (found.isEmpty()) {
                return inner.get(repo, reference);
            }
            Upstream u = found.get();
            UpstreamClient client = clients.get(u);
            String name = u.remoteName(repo);
            if (reference instanceof DigestReference d) {
                Optional<StoredManifest> local = local(repo, reference);
                if (local.isPresent()) {
                    count(u, "manifest", "hit");
                    return local.get();
                }
                count(u, "manifest", "miss");
                return fetch(u, client, repo, name, reference, d.digest());
            }
            Tag tag = (Tag) reference;
            String key = u.name() + " " + repo + ":" + tag;
            Instant last = checked.getIfPresent(key);
            Optional<Digest> cached = inner.resolve(repo, tag);
            if (cached.isPresent() && last != null && clock.instant().isBefore(last.plus(u.tagTtl()))) {
                Optional<StoredManifest> local = local(repo, tag);
                if (local.isPresent()) {
                    count(u, "manifest", "hit");
                    return local.get();
                }
            }
            Optional<Digest> remote;
            try {
                remote = client.headManifest(name, tag.value());
            } catch (UpstreamException e) {
                Optional<StoredManifest> local = cached.isPresent() ? local(repo, tag) : Optional.empty();
                if (local.isPresent()) {
                    count(u, "manifest", "stale");
                    if (staleLogged.asMap().putIfAbsent(key, Boolean.TRUE) == null) {
                        // Once a minute per tag: an outage under load would otherwise log every pull.
                        LOG.warn("serving the cached {}:{}, which may be stale: {}", repo, tag, e.getMessage());
                    }
                    return local.get().stale("cached copy; " + u.remote() + " could not be asked: " + e.code());
                }
                throw unavailable(e);
            }
            if (remote.isEmpty()) {
                checked.invalidate(key);
                throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + tag + " is not in " + name
                        + " at " + u.remote());
            }
            if (cached.equals(remote)) {
                Optional<StoredManifest> local = local(repo, tag);
                if (local.isPresent()) {
                    checked.put(key, clock.instant());
                    count(u, "manifest", "hit");
                    return local.get();
                }
            }
            count(u, "manifest", "miss");
            Optional<StoredManifest> byDigest = local(repo, new DigestReference(remote.get()));
            StoredManifest stored = byDigest.isPresent()
                    ? inner.putCopy(repo, tag, byDigest.get().payload(), null)
                    : fetch(u, client, repo, name, tag, remote.get());
            checked.put(key, clock.instant());
            return stored;
        }

        private Optional<StoredManifest> local(RepositoryName repo, Reference reference) throws IOException {
            try {
                return Optional.of(inner.get(repo, reference));
            } catch (RegistryException e) {
                if (e.code() == ErrorCode.MANIFEST_UNKNOWN || e.code() == ErrorCode.NAME_UNKNOWN) {
                    return Optional.empty();
                }
                throw e;
            }
        }

        /** Fetches a manifest by digest, checks it, and keeps it under {@code reference}. */
        private StoredManifest fetch(Upstream u, UpstreamClient client, RepositoryName repo, String name,
                Reference reference, Digest digest) throws IOException {
            Optional<UpstreamClient.RemoteManifest> m;
            try {
                m = client.getManifest(name, digest.toString());
            } catch (UpstreamException e) {
                throw unavailable(e);
            }
            if (m.isEmpty()) {
                throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + digest + " is not in " + name
                        + " at " + u.remote());
            }
            Digest got = Digest.compute(digest.algorithm(), m.get().payload());
            if (!got.equals(digest)) {
                throw new RegistryException(ErrorCode.UPSTREAM_FAILED, u.remote() + " sent a manifest with digest "
                        + got + " for " + digest);
            }
            return inner.putCopy(repo, reference, m.get().payload(), MediaType.parseHeader(m.get().mediaType()));
        }

        @Override
        public StoredManifest put(RepositoryName repo, Reference reference, byte[] payload, MediaType contentType)
                throws IOException {
            Optional<Upstream> u = upstream(repo);
            if (u.isPresent()) {
                throw refused(repo, u.get());
            }
            return inner.put(repo, reference, payload, contentType);
        }

        @Override
        public List<Tag> delete(RepositoryName repo, Digest digest) throws IOException {
            Optional<Upstream> u = upstream(repo);
            if (u.isPresent()) {
                throw refused(repo, u.get());
            }
            return inner.delete(repo, digest);
        }

        @Override
        public void deleteTag(RepositoryName repo, Tag tag) throws IOException {
            Optional<Upstream> u = upstream(repo);
            if (u.isPresent()) {
                throw refused(repo, u.get());
            }
            inner.deleteTag(repo, tag);
        }
    }

    private final class Blobs extends ForwardingBlobAccess {
        private final BlobFetches fetches;

        Blobs(io.wharf.registry.BlobAccess inner, BlobFetches fetches) {
            super(inner);
            this.fetches = fetches;
        }

        @Override
        public OptionalLong stat(RepositoryName repo, Digest digest) throws IOException {
            OptionalLong local = inner.stat(repo, digest);
            Optional<Upstream> u = upstream(repo);
            if (local.isPresent() || u.isEmpty()) {
                return local;
            }
            Optional<Long> fetching = fetches.size(digest);
            if (fetching.isPresent()) {
                return OptionalLong.of(fetching.get());
            }
            try {
                return clients.get(u.get()).headBlob(u.get().remoteName(repo), digest);
            } catch (UpstreamException e) {
                throw unavailable(e);
            }
        }

        @Override
        public BlobDelivery delivery(RepositoryName repo, Digest digest, long offset) throws IOException {
            Optional<Upstream> u = upstream(repo);
            if (u.isEmpty() || inner.stat(repo, digest).isPresent()) {
                if (u.isPresent()) {
                    count(u.get(), "blob", "hit");
                }
                return inner.delivery(repo, digest, offset);
            }
            count(u.get(), "blob", "miss");
            Optional<InputStream> in;
            try {
                in = fetches.open(clients.get(u.get()), u.get().remoteName(repo), repo, digest, offset);
            } catch (UpstreamException e) {
                throw unavailable(e);
            } catch (java.nio.file.NoSuchFileException e) {
                // The fetch finished and was stored between the two looks.
                return inner.delivery(repo, digest, offset);
            }
            if (in.isEmpty()) {
                throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in "
                        + u.get().remoteName(repo) + " at " + u.get().remote());
            }
            return new BlobDelivery.Stream(in.get());
        }

        @Override
        public boolean unlink(RepositoryName repo, Digest digest) throws IOException {
            Optional<Upstream> u = upstream(repo);
            if (u.isPresent()) {
                throw refused(repo, u.get());
            }
            return inner.unlink(repo, digest);
        }

        @Override
        public OptionalLong mount(RepositoryName repo, RepositoryName from, Digest digest) throws IOException {
            Optional<Upstream> u = upstream(repo);
            if (u.isPresent()) {
                throw refused(repo, u.get());
            }
            return inner.mount(repo, from, digest);
        }
    }

    private final class Uploads extends ForwardingUploadSessions {
        Uploads(io.wharf.registry.UploadSessions inner) {
            super(inner);
        }

        @Override
        public UploadStatus start(RepositoryName repo) throws IOException {
            Optional<Upstream> u = upstream(repo);
            if (u.isPresent()) {
                throw refused(repo, u.get());
            }
            return inner.start(repo);
        }

        @Override
        public long putWhole(RepositoryName repo, InputStream body, long length, Digest expected) throws IOException {
            Optional<Upstream> u = upstream(repo);
            if (u.isPresent()) {
                throw refused(repo, u.get());
            }
            return inner.putWhole(repo, body, length, expected);
        }
    }

    private final class MirrorListings implements Listings {
        private final Listings inner;

        MirrorListings(Listings inner) {
            this.inner = inner;
        }

        @Override
        public List<String> tags(RepositoryName repo) throws IOException {
            Optional<Upstream> u = upstream(repo);
            if (u.isEmpty()) {
                return inner.tags(repo);
            }
            try {
                Optional<List<String>> remote = clients.get(u.get()).tags(u.get().remoteName(repo));
                if (remote.isEmpty()) {
                    throw new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + u.get().remoteName(repo)
                            + " is not known to " + u.get().remote());
                }
                List<String> sorted = new ArrayList<>(remote.get());
                java.util.Collections.sort(sorted);
                return sorted;
            } catch (UpstreamException e) {
                if (!inner.exists(repo)) {
                    // Nothing cached: an empty list would claim the upstream has no tags (MIRROR.md: 503 and kin).
                    throw unavailable(e);
                }
                LOG.warn("listing the cached tags of {}, which may be stale: {}", repo, e.getMessage());
                return inner.tags(repo);
            }
        }

        @Override
        public boolean exists(RepositoryName repo) throws IOException {
            return upstream(repo).isPresent() || inner.exists(repo);
        }

        @Override
        public List<String> catalog(String last, int limit) throws IOException {
            return inner.catalog(last, limit);
        }

        @Override
        public boolean catalogHasAfter(String last) throws IOException {
            return inner.catalogHasAfter(last);
        }

        @Override
        public List<io.wharf.registry.Registry.ReferrerDescriptor> referrers(RepositoryName repo, Digest subject,
                String artifactType) throws IOException {
            return inner.referrers(repo, subject, artifactType);
        }
    }
}
