package io.wharf.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The client's request body broke off or was malformed (early end of a declared length, broken chunked encoding,
 * a connection reset or cut off for being too slow): the client's fault, answered 4xx and logged as such, never a
 * server error. Whatever a handler wrote before it stays written (an upload keeps its bytes and can resume).
 */
final class ClientBodyException extends IOException {
    ClientBodyException(Exception cause) {
        super("the request body broke off: " + cause.getMessage(), cause);
    }

    /** The body stream, with every failure to read it turned into a {@link ClientBodyException}. */
    static InputStream guard(InputStream body) {
        return new FilterInputStream(body) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException | RuntimeException e) {
                    throw wrap(e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (IOException | RuntimeException e) {
                    throw wrap(e);
                }
            }

            @Override
            public long skip(long n) throws IOException {
                try {
                    return super.skip(n);
                } catch (IOException | RuntimeException e) {
                    throw wrap(e);
                }
            }
        };
    }

    private static IOException wrap(Exception e) {
        return e instanceof ClientBodyException c ? c : new ClientBodyException(e);
    }
}
