package io.wharf.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers a registry's authentication challenges as a client does: after a 401 names a Bearer realm, a token for
 * the request's scope is fetched from it (anonymous, or with the credentials as Basic to the realm) and cached per
 * scope until shortly before it expires; after a Basic challenge the credentials are sent directly. What the
 * registry asked for once is sent at once from then on, so a steady stream of requests costs no extra round trip.
 *
 * <p>Thread-safe. The password never appears in {@link #toString()} or in an exception.
 */
public final class ChallengeAuth {
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final String username;
    private final String password;
    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;
    private final Clock clock;
    private final String userAgent;
    private final Cache<String, Token> tokens = Caffeine.newBuilder().maximumSize(10_000).build();
    private volatile Map<String, String> challenge;
    private volatile boolean basic;

    private record Token(String value, Instant expires) {
    }

    /** The token service answered something other than 200: wrong credentials, or no access to the scope. */
    public static final class TokenRefusedException extends IOException {
        private final int status;

        TokenRefusedException(String realm, int status, String scope) {
            super("the token service " + realm + " answered " + status + " for " + scope);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * @param username empty for anonymous access
     */
    public ChallengeAuth(String username, String password, HttpClient http, ObjectMapper json, Duration timeout,
            Clock clock, String userAgent) {
        this.username = username == null ? "" : username;
        this.password = password == null ? "" : password;
        this.http = http;
        this.json = json;
        this.timeout = timeout;
        this.clock = clock;
        this.userAgent = userAgent;
    }

    /** Whether credentials are configured. */
    public boolean hasCredentials() {
        return !username.isEmpty();
    }

    /** Remembers how a 401 answer asks to be authenticated. */
    public void learn(HttpResponse<?> unauthorized) {
        String header = unauthorized.headers().firstValue("WWW-Authenticate").orElse("");
        String lower = header.toLowerCase(Locale.ROOT);
        if (lower.startsWith("bearer")) {
            Map<String, String> params = new HashMap<>();
            Matcher m = PARAM.matcher(header);
            while (m.find()) {
                params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
            }
            challenge = params;
            basic = false;
        } else if (lower.startsWith("basic")) {
            basic = true;
            challenge = null;
        }
    }

    /**
     * The {@code Authorization} header for a request needing {@code scope} ({@code repository:a/b:pull,push}), or
     * empty when the registry has not asked for one.
     *
     * @param fresh fetch a new token even when one is cached (the registry just refused the cached one)
     * @throws TokenRefusedException when the token service refuses
     */
    public Optional<String> authorization(String scope, boolean fresh) throws IOException, InterruptedException {
        if (basic) {
            return username.isEmpty() ? Optional.empty() : Optional.of(basicHeader());
        }
        Map<String, String> c = challenge;
        if (c == null || !c.containsKey("realm")) {
            return Optional.empty();
        }
        Token cached = tokens.getIfPresent(scope);
        if (!fresh && cached != null && clock.instant().isBefore(cached.expires())) {
            return Optional.of("Bearer " + cached.value());
        }
        StringBuilder url = new StringBuilder(c.get("realm"));
        url.append(url.indexOf("?") < 0 ? '?' : '&');
        if (c.containsKey("service")) {
            url.append("service=").append(URLEncoder.encode(c.get("service"), StandardCharsets.UTF_8)).append('&');
        }
        url.append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.toString())).timeout(timeout).GET()
                .header("User-Agent", userAgent);
        if (!username.isEmpty()) {
            b.header("Authorization", basicHeader());
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new TokenRefusedException(c.get("realm"), r.statusCode(), scope);
        }
        JsonNode body = json.readTree(r.body());
        String token = body.hasNonNull("token") ? body.get("token").asText() : body.path("access_token").asText();
        long expiresIn = Math.max(60, body.path("expires_in").asLong(60));
        tokens.put(scope, new Token(token, clock.instant().plusSeconds(expiresIn - 10)));
        return Optional.of("Bearer " + token);
    }

    private String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return username.isEmpty() ? "anonymous" : username;
    }
}
