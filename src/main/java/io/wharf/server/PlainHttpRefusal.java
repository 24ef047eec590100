package io.wharf.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.Callback;

/**
 * What a plain-HTTP client gets on the TLS port: a 400 that says to use HTTPS (Go's servers answer the same),
 * then the connection is closed, instead of a handshake that never completes.
 */
final class PlainHttpRefusal extends AbstractConnectionFactory {
    private static final String BODY = "{\"errors\":[{\"code\":\"REQUEST_INVALID\",\"message\":\"request invalid\","
            + "\"detail\":\"Client sent an HTTP request to an HTTPS server; use https://\"}]}";
    private static final byte[] ANSWER = ("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + BODY.length() + "\r\nConnection: close\r\n\r\n" + BODY)
            .getBytes(StandardCharsets.US_ASCII);

    PlainHttpRefusal() {
        super("plain-http-refusal");
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        return configure(new Refusal(endPoint, connector), connector, endPoint);
    }

    private static final class Refusal extends AbstractConnection implements Connection.UpgradeTo {
        Refusal(EndPoint endPoint, Connector connector) {
            super(endPoint, connector.getExecutor());
        }

        @Override
        public void onOpen() {
            super.onOpen();
            getEndPoint().write(Callback.from(() -> getEndPoint().close(), t -> getEndPoint().close()),
                    ByteBuffer.wrap(ANSWER));
        }

        @Override
        public void onUpgradeTo(ByteBuffer buffer) {
            // The bytes the detector read are the plain request; the answer does not depend on them.
        }

        @Override
        public void onFillable() {
            getEndPoint().close();
        }
    }
}
