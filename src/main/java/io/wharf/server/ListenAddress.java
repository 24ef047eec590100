package io.wharf.server;

import java.net.InetSocketAddress;

/** Parses Distribution's {@code http.addr}: {@code :5000}, {@code host:5000}, {@code [::1]:5000}. */
final class ListenAddress {
    private ListenAddress() {
    }

    /**
     * @throws IllegalArgumentException when the address has no valid port
     */
    static InetSocketAddress parse(String addr) {
        if (addr == null || addr.isBlank()) {
            throw new IllegalArgumentException("http.addr is empty");
        }
        String a = addr.trim();
        int colon = a.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("http.addr needs a port, like :5000: " + addr);
        }
        String host = a.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(a.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("http.addr has no valid port: " + addr);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("http.addr port out of range: " + addr);
        }
        return InetSocketAddress.createUnresolved(host, port);
    }
}
