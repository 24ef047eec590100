package io.wharf.storage.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import software.amazon.awssdk.core.ResponseInputStream;

/**
 * The body of a {@code GetObject}. Closed before its end (a client that went away mid-blob), it aborts the HTTP
 * response instead of reading the rest of a possibly large object just to reuse the connection.
 */
final class ObjectStream extends FilterInputStream {
    private final ResponseInputStream<?> response;
    private boolean ended;

    ObjectStream(ResponseInputStream<?> response) {
        super(response);
        this.response = response;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        ended |= b < 0;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        ended |= n < 0;
        return n;
    }

    @Override
    public void close() throws IOException {
        if (!ended) {
            response.abort();
        }
        super.close();
    }
}
