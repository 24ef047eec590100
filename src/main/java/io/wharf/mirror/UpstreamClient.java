package io.wharf.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.remote.ChallengeAuth;
import io.wharf.spec.Digest;
import io.wharf.spec.MediaType;
import io.wharf.spec.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to one upstream registry as a client would: answers its challenges (a Bearer token from its realm,
 * anonymous or with the configured credentials, or Basic), follows blob redirects without carrying credentials to
 * the other host, and turns every way it can fail into an {@link UpstreamException} with the code a client should
 * get. Tokens are cached per scope until shortly before they expire.
 */
final class UpstreamClient {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamClient.class);
    /** Manifests larger than this are refused, as pushes of them are. */
    private static final int MAX_MANIFEST = 4 << 20;
    private static final int MAX_REDIRECTS = 5;

    private final Upstream upstream;
    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;
    private final ChallengeAuth auth;
    private volatile long rateLimitRemaining = -1;
    private volatile long lastRateWarning;
    /** Docker Hub's anonymous allowance is 100 pulls per 6 hours: warn when 10 are left. */
    private static final long LOW_ALLOWANCE = 10;

    /** A manifest as the upstream describes or sends it. */
    record RemoteManifest(Digest digest, String mediaType, byte[] payload) {
    }

    /** An open blob body from {@code offset}: {@code total} is the whole blob's size. */
    record RemoteBlob(InputStream body, long offset, long total) {
    }

    UpstreamClient(Upstream upstream, HttpClient http, ObjectMapper json, Duration timeout, Clock clock) {
        this.upstream = upstream;
        this.http = http;
        this.json = json;
        this.timeout = timeout;
        this.auth = new ChallengeAuth(upstream.username(), upstream.password(), http, json, timeout, clock,
                "wharf-mirror");
    }

    /** Docker Hub's {@code ratelimit-remaining} as last seen, or -1. */
    long rateLimitRemaining() {
        return rateLimitRemaining;
    }

    /** The digest a tag or digest names upstream, or empty when the upstream does not have it. */
    Optional<Digest> headManifest(String name, String reference) throws UpstreamException {
        HttpResponse<InputStream> r = send(name, "HEAD", "/v2/" + name + "/manifests/" + reference,
                Map.of("Accept", MediaType.MANIFEST_ACCEPT));
        try (InputStream ignored = r.body()) {
            if (r.statusCode() == 404) {
                return Optional.empty();
            }
            expect(r, 200);
            Optional<String> d = r.headers().firstValue("Docker-Content-Digest");
            if (d.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(Digest.parse(d.get()));
        } catch (IOException | RuntimeException e) {
            throw failed("HEAD manifest " + name + ":" + reference, e);
        }
    }

    /** The manifest, or empty when the upstream does not have it. */
    Optional<RemoteManifest> getManifest(String name, String reference) throws UpstreamException {
        HttpResponse<InputStream> r = send(name, "GET", "/v2/" + name + "/manifests/" + reference,
                Map.of("Accept", MediaType.MANIFEST_ACCEPT));
        try (InputStream body = r.body()) {
            if (r.statusCode() == 404) {
                return Optional.empty();
            }
            expect(r, 200);
            byte[] payload = body.readNBytes(MAX_MANIFEST + 1);
            if (payload.length > MAX_MANIFEST) {
                throw new UpstreamException(ErrorCode.UPSTREAM_FAILED, upstream + " sent a manifest over 4 MiB for "
                        + name + ":" + reference, null);
            }
            Digest digest = Digest.compute(Digest.Algorithm.SHA256, payload);
            String type = r.headers().firstValue("Content-Type").orElse("");
            return Optional.of(new RemoteManifest(digest, type, payload));
        } catch (UpstreamException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw failed("GET manifest " + name + ":" + reference, e);
        }
    }

    /** The blob's size, or empty when the upstream does not have it. */
    OptionalLong headBlob(String name, Digest digest) throws UpstreamException {
        HttpResponse<InputStream> r = send(name, "HEAD", "/v2/" + name + "/blobs/" + digest, Map.of());
        try (InputStream ignored = r.body()) {
            if (r.statusCode() == 404) {
                return OptionalLong.empty();
            }
            expect(r, 200);
            return r.headers().firstValueAsLong("Content-Length");
        } catch (IOException | RuntimeException e) {
            throw failed("HEAD blob " + name + "@" + digest, e);
        }
    }

    /** The blob's bytes from {@code offset} (a range request), or empty when the upstream does not have it. */
    /** How long one request to the upstream may take, and how long a body it is sending may stay silent. */
    Duration timeout() {
        return timeout;
    }

    Optional<RemoteBlob> getBlob(String name, Digest digest, long offset) throws UpstreamException {
        Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        HttpResponse<InputStream> r = send(name, "GET", "/v2/" + name + "/blobs/" + digest, headers);
        try {
            if (r.statusCode() == 404) {
                r.body().close();
                return Optional.empty();
            }
            if (r.statusCode() == 206) {
                String range = r.headers().firstValue("Content-Range").orElse("");
                Matcher m = Pattern.compile("bytes (\\d+)-\\d+/(\\d+)").matcher(range);
                if (m.find() && Long.parseLong(m.group(1)) == offset) {
                    return Optional.of(new RemoteBlob(r.body(), offset, Long.parseLong(m.group(2))));
                }
                r.body().close();
                throw new UpstreamException(ErrorCode.UPSTREAM_FAILED, upstream + " answered a range request for "
                        + digest + " with Content-Range \"" + range + "\"", null);
            }
            expect(r, 200);
            long total = r.headers().firstValueAsLong("Content-Length").orElse(-1);
            // The upstream ignored the range: the caller skips what it has.
            return Optional.of(new RemoteBlob(r.body(), 0, total));
        } catch (UpstreamException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw failed("GET blob " + name + "@" + digest, e);
        }
    }

    /** The upstream's tags of a repository, or empty when it has no such repository. */
    Optional<List<String>> tags(String name) throws UpstreamException {
        HttpResponse<InputStream> r = send(name, "GET", "/v2/" + name + "/tags/list", Map.of());
        try (InputStream body = r.body()) {
            if (r.statusCode() == 404) {
                return Optional.empty();
            }
            expect(r, 200);
            JsonNode tree = json.readTree(body.readNBytes(MAX_MANIFEST));
            List<String> tags = new java.util.ArrayList<>();
            tree.path("tags").forEach(t -> tags.add(t.asText()));
            return Optional.of(tags);
        } catch (UpstreamException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw failed("GET tags " + name, e);
        }
    }

    private void expect(HttpResponse<?> r, int status) throws UpstreamException {
        if (r.statusCode() == status) {
            return;
        }
        if (r.statusCode() == 429) {
            throw new UpstreamException(ErrorCode.TOOMANYREQUESTS, upstream + " is rate-limiting this registry (429)"
                    + r.headers().firstValue("Retry-After").map(s -> "; retry after " + s + " s").orElse(""), null);
        }
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw new UpstreamException(ErrorCode.UPSTREAM_FAILED, upstream + " refused this registry's credentials ("
                    + r.statusCode() + ")", null);
        }
        throw new UpstreamException(ErrorCode.UPSTREAM_FAILED, upstream + " answered " + r.statusCode(), null);
    }

    private UpstreamException failed(String what, Throwable e) {
        if (e instanceof UpstreamException u) {
            return u;
        }
        if (e instanceof HttpTimeoutException && !(e instanceof HttpConnectTimeoutException)) {
            return new UpstreamException(ErrorCode.UPSTREAM_TIMEOUT, upstream + " did not answer " + what + " within "
                    + timeout.toSeconds() + " s", e);
        }
        if (e instanceof ConnectException || e instanceof HttpConnectTimeoutException
                || e instanceof java.nio.channels.UnresolvedAddressException
                || e.getCause() instanceof java.nio.channels.UnresolvedAddressException) {
            return new UpstreamException(ErrorCode.UNAVAILABLE, upstream + " is unreachable: " + e, e);
        }
        return new UpstreamException(ErrorCode.UPSTREAM_FAILED, what + " from " + upstream + " failed: " + e, e);
    }

    /** Sends a request, answering one authentication challenge and following redirects to other hosts bare. */
    private HttpResponse<InputStream> send(String name, String method, String path, Map<String, String> headers)
            throws UpstreamException {
        String scope = "repository:" + name + ":pull";
        URI uri = upstream.remote().resolve(path);
        try {
            HttpResponse<InputStream> r = exchange(method, uri, headers, auth.authorization(scope, false));
            if (r.statusCode() == 401) {
                r.body().close();
                auth.learn(r);
                r = exchange(method, uri, headers, auth.authorization(scope, true));
            }
            for (int hops = 0; isRedirect(r.statusCode()) && hops < MAX_REDIRECTS; hops++) {
                URI next = r.request().uri().resolve(r.headers().firstValue("Location").orElseThrow(
                        () -> new IOException("redirect without Location")));
                r.body().close();
                boolean sameHost = next.getHost() != null && next.getHost().equalsIgnoreCase(uri.getHost())
                        && next.getPort() == uri.getPort();
                r = exchange(method, next, headers, sameHost ? auth.authorization(scope, false) : Optional.empty());
            }
            String limit = r.headers().firstValue("ratelimit-limit").orElse("?");
            r.headers().firstValue("ratelimit-remaining").ifPresent(v -> {
                try {
                    rateLimitRemaining = Long.parseLong(v.split(";")[0].trim());
                    warnIfRunningOut(v, limit);
                } catch (NumberFormatException ignored) {
                    // Not Docker Hub's format; nothing to report.
                }
            });
            return r;
        } catch (ChallengeAuth.TokenRefusedException e) {
            LOG.warn("{}", e.getMessage());
            throw new UpstreamException(ErrorCode.UPSTREAM_FAILED, "the token service of " + upstream + " answered "
                    + e.status(), e);
        } catch (IOException e) {
            throw failed(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(ErrorCode.UNAVAILABLE, "interrupted while asking " + upstream, e);
        }
    }

    /** Says in the log, at most once a minute, that the upstream's pull allowance is nearly used up. */
    private void warnIfRunningOut(String remaining, String limit) {
        long now = System.nanoTime();
        long last = lastRateWarning;
        if (rateLimitRemaining <= LOW_ALLOWANCE && (last == 0 || now - last > java.util.concurrent.TimeUnit.MINUTES
                .toNanos(1))) {
            lastRateWarning = now;
            LOG.warn("{} allows this registry {} more pulls (ratelimit-remaining: {}; ratelimit-limit: {}); what is "
                    + "cached is served, what is not will fail with 429 when it runs out", upstream,
                    rateLimitRemaining, remaining, limit);
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private HttpResponse<InputStream> exchange(String method, URI uri, Map<String, String> headers,
            Optional<String> authorization) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("User-Agent", "wharf-mirror");
        headers.forEach(b::header);
        authorization.ifPresent(a -> b.header("Authorization", a));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

}
