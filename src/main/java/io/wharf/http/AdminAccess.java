package io.wharf.http;

import io.wharf.spec.ErrorCode;
import io.wharf.spec.RegistryException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.eclipse.jetty.server.Request;

/**
 * Who may call {@code /admin}: until authentication exists, only clients on the loopback interface,
 * unless remote calls are allowed explicitly. The check uses the TCP connection's own peer address,
 * never {@code X-Forwarded-For}, and refuses forwarded requests, because a reverse proxy on the same
 * host would otherwise make every remote client look local.
 */
final class AdminAccess {
    private final boolean allowRemote;

    AdminAccess(boolean allowRemote) {
        this.allowRemote = allowRemote;
    }

    /**
     * @throws RegistryException {@code DENIED} for a client that may not call admin endpoints
     */
    void check(Request request) {
        if (allowRemote) {
            return;
        }
        var headers = request.getHeaders();
        if (headers.contains("Forwarded") || headers.contains("X-Forwarded-For")) {
            throw new RegistryException(ErrorCode.DENIED, "admin endpoints do not accept forwarded requests "
                    + "(set admin.allowremote: true to allow them)");
        }
        SocketAddress peer = request.getConnectionMetaData().getConnection().getEndPoint().getRemoteSocketAddress();
        if (!(peer instanceof InetSocketAddress inet) || inet.getAddress() == null
                || !inet.getAddress().isLoopbackAddress()) {
            throw new RegistryException(ErrorCode.DENIED, "admin endpoints answer loopback clients only "
                    + "(set admin.allowremote: true to allow others)");
        }
    }
}
