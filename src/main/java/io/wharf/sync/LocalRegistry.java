package io.wharf.sync;

import io.wharf.registry.BlobDelivery;
import io.wharf.registry.Registry;
import io.wharf.registry.StoredManifest;
import io.wharf.spec.Digest;
import io.wharf.spec.MediaType;
import io.wharf.spec.Reference;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.Channels;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * This Wharf's own repositories as one side of a copy, through the same roles the HTTP API uses (so immutable
 * tags, mirror prefixes, webhooks and the online collector's write guard apply to a sync job as to a push).
 * A {@link RegistryException} (a refused manifest, a read-only registry) becomes an {@link IOException} naming it.
 */
public final class LocalRegistry implements SyncEndpoint {
    private static final int CATALOG_PAGE = 1000;
    private final Registry registry;
    private final HttpClient redirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    public LocalRegistry(Registry registry) {
        this.registry = registry;
    }

    @Override
    public String describe() {
        return "this registry";
    }

    @Override
    public List<String> repositories() throws IOException {
        List<String> all = new ArrayList<>();
        String last = "";
        while (true) {
            List<String> page = registry.listings().catalog(last, CATALOG_PAGE);
            all.addAll(page);
            if (page.size() < CATALOG_PAGE || !registry.listings().catalogHasAfter(page.getLast())) {
                return all;
            }
            last = page.getLast();
        }
    }

    @Override
    public List<String> tags(String repo) throws IOException {
        return guarded(() -> registry.listings().tags(RepositoryName.parse(repo)));
    }

    @Override
    public Optional<RawManifest> manifest(String repo, String reference) throws IOException {
        return guarded(() -> {
            try {
                StoredManifest m = registry.manifests().get(RepositoryName.parse(repo), Reference.parse(reference));
                return Optional.of(new RawManifest(m.digest(), m.manifest().mediaType().value(), m.payload()));
            } catch (RegistryException e) {
                if (e.code().status() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public Optional<Digest> manifestDigest(String repo, String reference) throws IOException {
        return guarded(() -> registry.manifests().resolve(RepositoryName.parse(repo), Reference.parse(reference)));
    }

    @Override
    public boolean putManifest(String repo, String reference, RawManifest manifest) throws IOException {
        guarded(() -> registry.manifests().put(RepositoryName.parse(repo), Reference.parse(reference),
                manifest.payload(), MediaType.parseHeader(manifest.mediaType())));
        return true;
    }

    @Override
    public OptionalLong blobSize(String repo, Digest digest) throws IOException {
        return guarded(() -> registry.blobAccess().stat(RepositoryName.parse(repo), digest));
    }

    @Override
    public InputStream openBlob(String repo, Digest digest, long offset) throws IOException {
        BlobDelivery d = guarded(() -> registry.blobAccess().delivery(RepositoryName.parse(repo), digest, offset));
        return switch (d) {
            case BlobDelivery.Stream s -> s.in();
            case BlobDelivery.Bytes b -> {
                byte[] copy = new byte[b.content().remaining()];
                b.content().get(copy);
                yield new ByteArrayInputStream(copy);
            }
            case BlobDelivery.LocalFile f -> {
                FileChannel channel = FileChannel.open(f.file(), StandardOpenOption.READ);
                channel.position(offset);
                yield Channels.newInputStream(channel);
            }
            case BlobDelivery.Redirect r -> fetch(r.location(), offset);
        };
    }

    /** An object store's presigned URL, read as a client would read it. */
    private InputStream fetch(URI location, long offset) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(location).GET();
        if (offset > 0) {
            b.header("Range", "bytes=" + offset + "-");
        }
        try {
            HttpResponse<InputStream> r = redirects.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() == 200 && offset > 0) {
                r.body().skipNBytes(offset);
            } else if (r.statusCode() != 200 && r.statusCode() != 206) {
                r.body().close();
                throw new IOException("the object store answered " + r.statusCode() + " for a presigned blob URL");
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading a blob from the object store");
        }
    }

    @Override
    public boolean mount(String repo, String from, Digest digest) throws IOException {
        return guarded(() -> registry.blobAccess().mount(RepositoryName.parse(repo), RepositoryName.parse(from),
                digest)).isPresent();
    }

    @Override
    public String startUpload(String repo) throws IOException {
        return guarded(() -> registry.uploads().start(RepositoryName.parse(repo)).id());
    }

    @Override
    public OptionalLong uploadOffset(String repo, String handle) throws IOException {
        try {
            return OptionalLong.of(registry.uploads().status(RepositoryName.parse(repo), handle).size());
        } catch (RegistryException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public String appendUpload(String repo, String handle, InputStream chunk, long offset, long length)
            throws IOException {
        guarded(() -> registry.uploads().append(RepositoryName.parse(repo), handle, chunk, offset, length));
        return handle;
    }

    @Override
    public void completeUpload(String repo, String handle, Digest digest) throws IOException {
        guarded(() -> registry.uploads().complete(RepositoryName.parse(repo), handle, InputStream.nullInputStream(),
                0, digest));
    }

    @Override
    public void cancelUpload(String repo, String handle) {
        try {
            registry.uploads().cancel(RepositoryName.parse(repo), handle);
        } catch (IOException | RegistryException e) {
            // Best effort: the upload purger removes it later.
        }
    }

    @Override
    public Optional<List<Referrer>> referrers(String repo, Digest subject) throws IOException {
        return guarded(() -> Optional.of(registry.listings().referrers(RepositoryName.parse(repo), subject, null)
                .stream().map(d -> new Referrer(d.digest(), d.mediaType(), d.size(), d.artifactType())).toList()));
    }

    private interface Body<T> {
        T run() throws IOException;
    }

    private static <T> T guarded(Body<T> body) throws IOException {
        try {
            return body.run();
        } catch (RegistryException e) {
            throw new IOException(e.code().name() + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
