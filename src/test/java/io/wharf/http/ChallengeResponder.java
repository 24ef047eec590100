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
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final ObjectMapper json = new ObjectMapper();

    ChallengeResponder(HttpClient client, String user, String password) {
        this.client = client;
        this.basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> first = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        String challenge = first.headers().firstValue("WWW-Authenticate").orElse(null);
        if (first.statusCode() != 401 || challenge == null) {
            return first;
        }
        String authorization = challenge.startsWith("Basic") ? basic
                : "Bearer " + token(challenge, mountSource(request.uri()));
        HttpRequest again = HttpRequest.newBuilder(request, (name, value) -> true)
                .header("Authorization", authorization).build();
        return client.send(again, HttpResponse.BodyHandlers.ofByteArray());
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
