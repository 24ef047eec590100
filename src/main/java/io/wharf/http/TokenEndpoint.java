package io.wharf.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.auth.AccessDenied;
import io.wharf.auth.BasicCredentials;
import io.wharf.auth.Principal;
import io.wharf.auth.TokenService;
import io.wharf.auth.TokenService.TokenRequest;
import io.wharf.auth.TokenService.TokenResponse;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wharf's token endpoint at {@code <prefix>/auth/token}: the Docker token protocol ({@code GET} with
 * {@code service}, {@code scope}, optional Basic credentials and {@code offline_token}) and its OAuth2 form
 * ({@code POST} with {@code grant_type=password} or {@code refresh_token}), as {@code docker login},
 * {@code podman login} and {@code skopeo login} use them. Errors go through the {@link ErrorRenderer}.
 */
public final class TokenEndpoint extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);
    private static final int MAX_FORM_BYTES = 64 * 1024;

    private final TokenService tokens;
    private final ObjectMapper json;
    private final ErrorRenderer errors;
    /** Failures logged as the registry's are: a stack trace once per cause, at most 20 lines a second. */
    private final FailureLog failures = FailureLog.forRequests(LOG);
    private final String path;

    /** @param prefix the {@code http.prefix}, normalised as for {@link RegistryHandler} */
    public TokenEndpoint(TokenService tokens, ObjectMapper json, String prefix) {
        this.tokens = tokens;
        this.json = json;
        this.errors = new ErrorRenderer(json);
        this.path = prefix + "/auth/token";
    }

    /** The endpoint's path, such as {@code /auth/token}. */
    public String path() {
        return path;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!Request.getPathInContext(request).equals(path)) {
            return false;
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        try {
            String realm = RegistryHandler.baseUrl(request) + path;
            TokenRequest tokenRequest = parse(request, realm);
            TokenResponse answer = tokens.issue(tokenRequest, realm);
            send(response, answer, callback);
        } catch (AccessDenied e) {
            AccessLog.refused(e, request);
            e.challenge().ifPresent(c -> response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, c));
            if (e.retryAfterSeconds() > 0) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, e.retryAfterSeconds());
            }
            errors.render(response, e, false, callback);
        } catch (RegistryException e) {
            errors.render(response, e, false, callback);
        } catch (Exception e) {
            failures.serverError(request.getMethod(), path, RequestIds.current(), e);
            errors.render(response, new RegistryException(ErrorCode.UNKNOWN, null), false, callback);
        }
        return true;
    }

    private TokenRequest parse(Request request, String realm) throws Exception {
        String address = Request.getRemoteAddr(request);
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        Optional<BasicCredentials> basic = BasicCredentials.parse(authorization);
        if (basic.isEmpty() && BasicCredentials.isBasic(authorization)) {
            // Read as anonymous, a typo in a login would hand out an anonymous token and the client would see only
            // "denied" on its push. Other schemes (a client re-sending a bearer token) still ask anonymously.
            throw AccessDenied.unauthorized(TokenService.challenge(realm), Principal.ANONYMOUS, List.of(),
                    "malformed Basic credentials (base64 of user:password expected)");
        }
        if (HttpMethod.GET.is(request.getMethod())) {
            Fields q = Request.extractQueryParameters(request);
            return new TokenRequest(basic, Optional.empty(), q.getValue("service"), values(q, "scope"),
                    "true".equalsIgnoreCase(q.getValue("offline_token")), address);
        }
        if (!HttpMethod.POST.is(request.getMethod())) {
            response405();
        }
        Fields form = readForm(request);
        String grantType = form.getValue("grant_type");
        Optional<BasicCredentials> credentials = basic;
        Optional<String> refresh = Optional.empty();
        if ("password".equals(grantType)) {
            credentials = Optional.of(new BasicCredentials(nonNull(form.getValue("username")),
                    nonNull(form.getValue("password"))));
        } else if ("refresh_token".equals(grantType)) {
            refresh = Optional.of(nonNull(form.getValue("refresh_token")));
        } else {
            throw new RegistryException(ErrorCode.REQUEST_INVALID, "grant_type must be password or refresh_token");
        }
        return new TokenRequest(credentials, refresh, form.getValue("service"), values(form, "scope"),
                "offline".equals(form.getValue("access_type")) || refresh.isPresent(), address);
    }

    private static Fields readForm(Request request) throws Exception {
        if (request.getLength() > MAX_FORM_BYTES) {
            throw new RegistryException(ErrorCode.SIZE_TOO_LARGE, "form exceeds " + MAX_FORM_BYTES + " bytes");
        }
        byte[] body = Content.Source.asInputStream(request).readNBytes(MAX_FORM_BYTES + 1);
        if (body.length > MAX_FORM_BYTES) {
            throw new RegistryException(ErrorCode.SIZE_TOO_LARGE, "form exceeds " + MAX_FORM_BYTES + " bytes");
        }
        Fields fields = new Fields();
        try {
            org.eclipse.jetty.util.UrlEncoded.decodeUtf8To(new String(body, StandardCharsets.US_ASCII), fields);
        } catch (RuntimeException e) {
            throw new RegistryException(ErrorCode.REQUEST_INVALID, "malformed form");
        }
        return fields;
    }

    private static void response405() {
        throw new RegistryException(ErrorCode.UNSUPPORTED, "the token endpoint accepts GET and POST");
    }

    private static List<String> values(Fields fields, String name) {
        Fields.Field f = fields.get(name);
        return f == null ? List.of() : new ArrayList<>(f.getValues());
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private void send(Response response, TokenResponse answer, Callback callback) throws Exception {
        ObjectNode body = json.createObjectNode();
        body.put("token", answer.token());
        body.put("access_token", answer.token());
        body.put("expires_in", answer.expiresIn());
        body.put("issued_at", answer.issuedAt());
        answer.refreshToken().ifPresent(r -> body.put("refresh_token", r));
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
