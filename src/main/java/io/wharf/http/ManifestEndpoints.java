package io.wharf.http;

import io.wharf.registry.Registry;
import io.wharf.registry.StoredManifest;
import io.wharf.spec.DigestReference;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.MediaType;
import io.wharf.spec.Reference;
import io.wharf.spec.RegistryException;
import io.wharf.spec.RepositoryName;
import io.wharf.spec.Tag;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.http.HttpHeader;

/** {@code GET}, {@code HEAD}, {@code PUT} and {@code DELETE /v2/<name>/manifests/<reference>}. */
final class ManifestEndpoints {
    /** Largest manifest accepted, as in Distribution and the spec's recommendation. */
    static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    /**
     * Manifest bodies held in memory at once, in KiB: an eighth of the heap (8 MiB with the default 64 MiB heap), and
     * at least one largest manifest. Beyond it, pushes wait for a turn, so many concurrent (or hostile) 4 MiB bodies
     * cannot exhaust a small heap; manifests of a few KiB, what clients push, still go through by the hundred.
     */
    static int bodyBudgetKib(long heapBytes) {
        return (int) Math.max(MAX_MANIFEST_BYTES / 1024 + 1, Math.min(heapBytes / 8 / 1024, Integer.MAX_VALUE));
    }

    private final Semaphore bodyBudget = new Semaphore(bodyBudgetKib(Runtime.getRuntime().maxMemory()), true);

    private final Registry registry;
    private final EncodedFields fields;

    ManifestEndpoints(Registry registry, EncodedFields fields) {
        this.registry = registry;
        this.fields = fields;
    }

    /** end-3: fetch a manifest by tag or digest. */
    void get(Exchange ex, Route.Match m) throws Exception {
        RepositoryName repo = m.repository();
        Reference reference = parseReadReference(m.argument());
        StoredManifest stored = registry.manifests().get(repo, reference);
        MediaType type = stored.manifest().mediaType();
        if (!AcceptHeader.accepts(ex.request().getHeaders(), type)) {
            throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN,
                    "manifest " + reference + " is " + type + ", which the Accept header does not list");
        }
        fields.putDigest(ex.response().getHeaders(), stored.digest());
        if (stored.warning() != null) {
            // RFC 7234's 110 "Response is Stale"; quotes inside the text would end it early.
            ex.header("Warning", "110 wharf \"" + stored.warning().replace('"', '\'') + "\"");
        }
        if (ex.ifNoneMatch(stored.digest().toString())) {
            ex.send(304);
            return;
        }
        ex.send(200, fields.contentType(type.value()), stored.payload());
    }

    /** end-7: push a manifest. */
    void put(Exchange ex, Route.Match m) throws Exception {
        RepositoryName repo = m.repository();
        Reference reference = parseReference(m.argument());
        long declared = ex.contentLength();
        int kib = (int) ((declared >= 0 && declared <= MAX_MANIFEST_BYTES ? declared : MAX_MANIFEST_BYTES) / 1024 + 1);
        StoredManifest stored;
        bodyBudget.acquire(kib);
        try {
            byte[] payload = ex.readBody(MAX_MANIFEST_BYTES, ErrorCode.MANIFEST_INVALID);
            MediaType contentType = MediaType.parseHeader(ex.header("Content-Type"));
            stored = registry.manifests().put(repo, reference, payload, contentType);
        } finally {
            bodyBudget.release(kib);
        }
        ex.header(HttpHeader.LOCATION, ex.url("/v2/" + repo + "/manifests/" + stored.digest()));
        ex.header("Docker-Content-Digest", stored.digest().toString());
        if (stored.manifest().subject() != null) {
            ex.header("OCI-Subject", stored.manifest().subject().digest().toString());
        }
        ex.send(201);
    }

    /** end-9: delete a manifest by digest (with its tags), or only a tag. */
    void delete(Exchange ex, Route.Match m) throws Exception {
        RepositoryName repo = m.repository();
        Reference reference = parseReference(m.argument());
        if (reference instanceof Tag tag) {
            registry.manifests().deleteTag(repo, tag);
        } else {
            registry.manifests().delete(repo, ((DigestReference) reference).digest());
        }
        ex.send(202);
    }

    /** A reference to read: a malformed tag names nothing, so it is unknown (404), as clients expect. */
    private static Reference parseReadReference(String text) {
        try {
            return Reference.parse(text);
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.TAG_INVALID) {
                throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "no manifest has the reference "
                        + (text.length() > 150 ? text.substring(0, 150) : text));
            }
            throw e;
        }
    }

    private static Reference parseReference(String text) {
        try {
            return Reference.parse(text);
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.TAG_INVALID) {
                throw new RegistryException(ErrorCode.MANIFEST_INVALID, "invalid tag or digest: "
                        + (text.length() > 150 ? text.substring(0, 150) : text));
            }
            throw e;
        }
    }
}
