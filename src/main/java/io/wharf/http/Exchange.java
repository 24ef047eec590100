package io.wharf.http;

import io.wharf.auth.Grant;
import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * One request and its response, with the few operations handlers need. Every {@code send*} method
 * completes the exchange; exactly one must be called.
 */
final class Exchange {
    /** Content type of the API's JSON bodies (listings, errors), byte for byte as Distribution sends it. */
    static final String JSON = "application/json; charset=utf-8";

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final UrlBuilder urls;
    private final TransferBuffers transfers;
    private Fields query;
    private Grant grant = Grant.everything(io.wharf.auth.Principal.ANONYMOUS);
    private String registryPath = "";
    private RouteTable.Dispatch dispatch;
    private String baseUrl;

    Exchange(Request request, Response response, Callback callback, UrlBuilder urls, TransferBuffers transfers) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.urls = urls;
        this.transfers = transfers;
    }

    /** {@link RegistryHandler#baseUrl}, worked out once for the steps that need it. */
    String baseUrl() {
        if (baseUrl == null) {
            baseUrl = RegistryHandler.baseUrl(request);
        }
        return baseUrl;
    }

    /** The path below {@code http.prefix}, starting with {@code /v2}. */
    String registryPath() {
        return registryPath;
    }

    void registryPath(String path) {
        this.registryPath = path;
    }

    /** What routing decided; {@code null} before the routing step. */
    RouteTable.Dispatch dispatch() {
        return dispatch;
    }

    void dispatch(RouteTable.Dispatch decided) {
        this.dispatch = decided;
    }

    /** What the caller may do, as the access controller decided for this request. */
    Grant grant() {
        return grant;
    }

    void grant(Grant decided) {
        this.grant = decided;
    }

    Request request() {
        return request;
    }

    Response response() {
        return response;
    }

    Callback callback() {
        return callback;
    }

    boolean isHead() {
        return HttpMethod.HEAD.is(request.getMethod());
    }

    /** A query parameter's first value, or {@code null}. */
    String query(String name) {
        if (query == null) {
            try {
                query = Request.extractQueryParameters(request);
            } catch (RuntimeException e) {
                throw new RegistryException(ErrorCode.REQUEST_INVALID, "malformed query string");
            }
        }
        Fields.Field f = query.get(name);
        return f == null ? null : f.getValue();
    }

    boolean hasQuery(String name) {
        query(name);
        return query.get(name) != null;
    }

    String header(String name) {
        return request.getHeaders().get(name);
    }

    /** The declared {@code Content-Length}, or -1 when absent (chunked). */
    long contentLength() {
        return request.getLength();
    }

    /** The request body; a failure to read it is a {@link ClientBodyException}. */
    InputStream body() {
        return ClientBodyException.guard(Content.Source.asInputStream(request));
    }

    /**
     * Reads a small body whole.
     *
     * @param tooLarge the code for a body over {@code limit} (the spec's own for what the body is)
     * @throws RegistryException {@code tooLarge}, naming the limit, beyond {@code limit}
     */
    byte[] readBody(int limit, ErrorCode tooLarge) throws IOException {
        long declared = contentLength();
        if (declared > limit) {
            throw new RegistryException(tooLarge, "body of " + declared + " bytes exceeds the limit of " + limit
                    + " bytes");
        }
        try (InputStream in = body()) {
            byte[] data = in.readNBytes(limit + 1);
            if (data.length > limit) {
                // Read on to the end (within a bound) before refusing: closing the body before its end fails it,
                // the answer's connection is then closed under a client still sending, and the client may see a
                // reset instead of the answer.
                ErrorStep.drain(in);
                throw new RegistryException(tooLarge, "body exceeds the limit of " + limit + " bytes");
            }
            return data;
        }
    }

    /** Drains and ignores any request body, so the connection can be reused. */
    void discardBody() throws IOException {
        if (contentLength() != 0) {
            try (InputStream in = body()) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
    }

    /**
     * True when {@code If-None-Match} names the entity tag {@code "<digest>"}; the bare digest is
     * accepted too, as Distribution does.
     */
    boolean ifNoneMatch(String digest) {
        for (String value : request.getHeaders().getValuesList(HttpHeader.IF_NONE_MATCH)) {
            for (String tag : value.split(",")) {
                String t = tag.trim();
                if (t.equals(digest) || t.equals("\"" + digest + "\"")) {
                    return true;
                }
            }
        }
        return false;
    }

    void header(String name, String value) {
        response.getHeaders().put(name, value);
    }

    void header(HttpHeader name, String value) {
        response.getHeaders().put(name, value);
    }

    /** Absolute or relative URL of a registry path, per configuration. */
    String url(String path) {
        return urls.url(request, path);
    }

    /** Sends a status with no body. */
    void send(int status) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        response.write(true, NO_BODY, callback);
    }

    /**
     * Sends the client elsewhere for the bytes ({@code 307}, as Distribution does for a storage that serves blobs
     * itself); the client repeats its request, {@code Range} included, at {@code location}.
     */
    void redirect(java.net.URI location) {
        var headers = response.getHeaders();
        headers.remove(HttpHeader.CONTENT_RANGE);
        headers.remove(HttpHeader.CONTENT_TYPE);
        headers.remove(HttpHeader.ACCEPT_RANGES);
        headers.put(HttpHeader.LOCATION, location.toString());
        send(307);
    }

    /** Sends a body (none for HEAD, but with its length). */
    void send(int status, String contentType, byte[] body) {
        send(status, new HttpField(HttpHeader.CONTENT_TYPE, contentType), body);
    }

    /** Sends a body (none for HEAD, but with its length) with the {@code Content-Type} field given. */
    void send(int status, HttpField contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        if (isHead()) {
            response.write(true, NO_BODY, callback);
        } else {
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }

    /**
     * Sends part of a local file through pooled direct buffers ({@link TransferBuffers}), never through the heap.
     * Memory-mapped windows were used for large parts until 2026-12-06: on this project's current machines the page
     * faults of mapping cost more than the copy they save (16 concurrent 1 GiB pulls: 1,380 MiB/s mapped against
     * 2,040 copied; one pull: 870 against 1,660; docs/BENCHMARKS.md), and a copy keeps no file pages mapped on the
     * process's account.
     *
     * @throws java.nio.file.NoSuchFileException when the file is gone before anything was sent
     */
    void sendFile(int status, Path file, long offset, long length) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        if (isHead() || length == 0) {
            ch.close();
            response.write(true, NO_BODY, callback);
        } else if (length <= TransferBuffers.BASE) {
            sendSmall(ch, offset, (int) length);
        } else {
            sendLarge(ch, offset, length);
        }
    }

    /**
     * A larger part: read into one pooled buffer and written a buffer at a time on the request's own (virtual)
     * thread, which waits for each write. Jetty's asynchronous copier, used until 2026-12-06, ran each step of a
     * transfer in the write's completion, on the network thread that saw the socket become writable again: one
     * thread for every concurrent pull (16 concurrent 1 GiB pulls used 1.0 of 2 cores and reached 0.74×
     * Distribution; docs/BENCHMARKS.md). Blob files never change once in place, and an open channel keeps reading
     * a file garbage collection unlinks.
     *
     * @throws IOException a read of the file, or a write to a client gone away (the response is then committed,
     *     and the error step fails the exchange instead of answering)
     */
    private void sendLarge(FileChannel ch, long offset, long length) throws IOException {
        RetainableByteBuffer pooled = transfers.forPart(length);
        try (ch) {
            ByteBuffer buffer = pooled.getByteBuffer();
            long sent = 0;
            while (sent < length) {
                int step = (int) Math.min(buffer.capacity(), length - sent);
                readFully(ch, buffer, offset + sent, step);
                sent += step;
                try (Blocker.Callback written = Blocker.callback()) {
                    response.write(sent == length, buffer, written);
                    written.block();
                }
            }
        } finally {
            transfers.release(pooled);
        }
        callback.succeeded();
    }

    /**
     * A part that fits one pooled buffer: read with one positional read (more only if the file returns less) and
     * written with the headers in one last write. Jetty's copier reads until it sees the end of the file, one read
     * and one callback per step; skipping it made 4 KiB {@code GET}s about 6% faster (docs/BENCHMARKS.md).
     */
    private void sendSmall(FileChannel ch, long offset, int length) throws IOException {
        RetainableByteBuffer pooled = transfers.base();
        try (ch) {
            readFully(ch, pooled.getByteBuffer(), offset, length);
        } catch (IOException | RuntimeException e) {
            pooled.release();
            throw e;
        }
        response.write(true, pooled.getByteBuffer(), Callback.from(pooled::release, callback));
    }

    /** Fills {@code buffer} with {@code length} bytes from {@code offset}, then flips it for reading. */
    private static void readFully(FileChannel ch, ByteBuffer buffer, long offset, int length) throws IOException {
        buffer.clear().limit(length);
        while (buffer.hasRemaining()) {
            if (ch.read(buffer, offset + buffer.position()) < 0) {
                throw new IOException("blob file shorter than its recorded size: " + length + " bytes");
            }
        }
        buffer.flip();
    }

    /**
     * An empty last write. Jetty allows {@code null} here, but its {@code MinimumDataRateHandler} (which guards
     * every response) dereferences the buffer, so an empty one is passed instead.
     */
    private static final ByteBuffer NO_BODY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    /**
     * Sends {@code length} bytes of content already in memory from its position, with the headers in one write.
     *
     * @throws IOException when the content holds fewer bytes (nothing is sent then)
     */
    void sendBytes(int status, ByteBuffer content, long length) throws IOException {
        if (content.remaining() < length) {
            throw new IOException("blob shorter than its recorded size: " + length + " bytes");
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        response.write(true, content.slice(content.position(), (int) length), callback);
    }

    /** Streams {@code length} bytes from the stream, closing it. */
    void sendStream(int status, InputStream in, long length) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        try (in) {
            if (isHead() || length == 0) {
                response.write(true, NO_BODY, callback);
                return;
            }
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                byte[] buf = new byte[64 * 1024];
                long left = length;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new IOException("blob shorter than its size");
                    }
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
            callback.succeeded();
        }
    }
}
