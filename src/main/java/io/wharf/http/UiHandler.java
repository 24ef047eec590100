package io.wharf.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves the web UI's files at {@code <prefix>/ui/}: a page, a script and a style sheet built into the jar, a few
 * tens of KiB. They are read and hashed once, when the UI is first asked for rather than at start, where that was a
 * few per cent of the start-up. Every answer carries a Content-Security-Policy that allows only these files and calls
 * to this origin (no inline script, no other origin, no framing), so a hostile string that reached the page as text
 * could not run even if it were ever inserted as markup.
 */
public final class UiHandler extends Handler.Abstract {
    /** What the page may load and where it may connect: this origin only; no inline script or style. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private record Asset(byte[] bytes, String type, String etag) {
    }

    /** The files by path, read when the class is first used (the JVM's lazy, thread-safe initialisation). */
    private static final class Assets {
        static final Map<String, Asset> BY_PATH = Map.of(
                "/", load("index.html", "text/html; charset=utf-8"),
                "/app.js", load("app.js", "text/javascript; charset=utf-8"),
                "/app.css", load("app.css", "text/css; charset=utf-8"),
                "/favicon.svg", load("favicon.svg", "image/svg+xml"));
    }

    private final String base;
    /** {@code base/}, made once: every request to the server passes through this check. */
    private final String under;

    /** @param prefix the normalised {@code http.prefix} */
    public UiHandler(String prefix) {
        this.base = prefix + "/ui";
        this.under = base + "/";
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.equals(base) && !path.startsWith(under)) {
            return false;
        }
        var headers = response.getHeaders();
        headers.put("Content-Security-Policy", CSP);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "no-referrer");
        if (path.equals(base)) {
            response.setStatus(302);
            headers.put(HttpHeader.LOCATION, base + "/");
            callback.succeeded();
            return true;
        }
        Asset asset = Assets.BY_PATH.get(path.substring(base.length()));
        boolean get = HttpMethod.GET.is(request.getMethod());
        if (asset == null || !(get || HttpMethod.HEAD.is(request.getMethod()))) {
            Response.writeError(request, response, callback, asset == null ? 404 : 405);
            return true;
        }
        headers.put(HttpHeader.ETAG, asset.etag());
        // Revalidated on every load, so a new version shows at once; unchanged files cost a 304.
        headers.put(HttpHeader.CACHE_CONTROL, "no-cache");
        if (asset.etag().equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
            response.setStatus(304);
            callback.succeeded();
            return true;
        }
        response.setStatus(200);
        headers.put(HttpHeader.CONTENT_TYPE, asset.type());
        headers.put(HttpHeader.CONTENT_LENGTH, asset.bytes().length);
        if (get) {
            response.write(true, ByteBuffer.wrap(asset.bytes()), callback);
        } else {
            callback.succeeded();
        }
        return true;
    }

    private static Asset load(String name, String type) {
        try (InputStream in = UiHandler.class.getResourceAsStream("/ui/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks the UI file /ui/" + name);
            }
            byte[] bytes = in.readAllBytes();
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12)
                    + "\"";
            return new Asset(bytes, type, etag);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
