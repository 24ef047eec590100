package io.wharf.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What docker and skopeo do on a {@code 401}: read {@code WWW-Authenticate}, then send Basic credentials, or fetch a
 * token for the challenged scope from the realm and send it as {@code Bearer}. Tokens are kept per scope.
 */
final class ChallengeResponder {
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private final HttpClient client;
    private final String basic;
    private static final Pattern REPOSITORY_PATH =
            Pattern.compile("/v2/(.+)/(blobs|manifests|tags|referrers)(/.*)?");
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    /** The registry's last challenge: its scheme and, for tokens, its realm and service. */
    private volatile String lastChallenge;
    private final ObjectMapper json = new ObjectMapper();

    ChallengeResponder(HttpClient client, String user, String password) {
        this.client = client;
        this.basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        HttpRequest first = request;
        String known = lastChallenge;
        if (known != null) {
            // As docker does once it knows the registry's challenge: credentials go with the first request, so a
            // large body is not sent only to be refused.
            String scope = scopeFor(request);
            String authorization = known.startsWith("Basic") ? basic
                    : scope == null ? null : "Bearer " + token(withScope(known, scope), mountSource(request.uri()));
            if (authorization != null) {
                first = HttpRequest.newBuilder(request, (name, value) -> true)
                        .header("Authorization", authorization).build();
            }
        }
        HttpResponse<byte[]> answer = client.send(first, HttpResponse.BodyHandlers.ofByteArray());
        String challenge = answer.headers().firstValue("WWW-Authenticate").orElse(null);
        if (answer.statusCode() != 401 || challenge == null) {
            return answer;
        }
        lastChallenge = challenge;
        String authorization = challenge.startsWith("Basic") ? basic
                : "Bearer " + token(challenge, mountSource(request.uri()));
        HttpRequest again = HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Authorization"))
                .header("Authorization", authorization).build();
        return client.send(again, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The scope docker would ask a token for, from the request's path and method; null for none. */
    private static String scopeFor(HttpRequest request) {
        String path = request.uri().getPath();
        if (path.equals("/v2/_catalog")) {
            return "registry:catalog:*";
        }
        Matcher m = REPOSITORY_PATH.matcher(path);
        if (!m.matches()) {
            return null;
        }
        String actions = switch (request.method()) {
            case "GET", "HEAD" -> "pull";
            case "DELETE" -> "delete";
            default -> "pull,push";
        };
        return "repository:" + m.group(1) + ":" + actions;
    }

    /** The challenge with its scope replaced. */
    private static String withScope(String challenge, String scope) {
        String without = challenge.replaceAll(",?scope=\"[^\"]*\"", "");
        return without + ",scope=\"" + scope + "\"";
    }

    /** As docker does for a cross-repository mount: the source's pull scope is asked for too. */
    private static String mountSource(URI uri) {
        String query = uri.getRawQuery();
        if (query == null || !query.contains("mount=")) {
            return "";
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("from=")) {
                return "repository:" + java.net.URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8) + ":pull";
            }
        }
        return "";
    }

    private String token(String challenge, String extraScope) throws IOException, InterruptedException {
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1), m.group(2));
        }
        String scope = params.getOrDefault("scope", "") + (extraScope.isEmpty() ? "" : " " + extraScope);
        scope = scope.trim();
        String cached = tokens.get(scope);
        if (cached != null) {
            return cached;
        }
        StringBuilder url = new StringBuilder(params.get("realm")).append("?service=")
                .append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8));
        for (String one : scope.split(" ")) {
            if (!one.isEmpty()) {
                url.append("&scope=").append(URLEncoder.encode(one, StandardCharsets.UTF_8));
            }
        }
        HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(URI.create(url.toString()))
                .header("Authorization", basic).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 200) {
            throw new IOException("token server answered " + answer.statusCode() + ": "
                    + new String(answer.body(), StandardCharsets.UTF_8));
        }
        String token = json.readTree(answer.body()).path("token").asText();
        tokens.put(scope, token);
        return token;
    }
}
