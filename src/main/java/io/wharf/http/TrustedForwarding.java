package io.wharf.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Believes {@code X-Forwarded-For}, {@code -Proto}, {@code -Host} and {@code -Port} only from a direct peer the
 * operator trusts ({@code http.trustedproxies}), as nginx's {@code set_real_ip_from} with
 * {@code real_ip_recursive on}: the client's address is the right-most {@code X-Forwarded-For} entry that is not
 * itself a trusted proxy, because a proxy appends (nginx's {@code $proxy_add_x_forwarded_for}) to whatever the
 * client claimed. From any other peer the headers are ignored and the socket's address, scheme and host stand.
 * RFC 7239 {@code Forwarded} is not read: the proxies users put in front of a registry send {@code X-Forwarded-*}.
 */
public final class TrustedForwarding implements HttpConfiguration.Customizer {
    private static final String X_FORWARDED_FOR = "X-Forwarded-For";
    private final Predicate<InetAddress> trusted;
    private final ForwardedRequestCustomizer hostAndScheme = new ForwardedRequestCustomizer();

    /** @param trusted whether a peer address is a trusted proxy */
    public TrustedForwarding(Predicate<InetAddress> trusted) {
        this.trusted = trusted;
        // The address is worked out below, right to left; Jetty's customizer would take the left-most (forgeable).
        hostAndScheme.setForwardedForHeader("X-Wharf-Never-Sent");
        hostAndScheme.setForwardedHeader("X-Wharf-Never-Sent-Either");
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        InetAddress peer = address(request.getConnectionMetaData().getRemoteSocketAddress());
        if (peer == null || !trusted.test(peer)) {
            return request;
        }
        Request customised = hostAndScheme.customize(request, responseHeaders);
        Request base = customised == null ? request : customised;
        InetAddress client = clientAddress(request.getHeaders().getValuesList(X_FORWARDED_FOR), peer);
        if (client.equals(peer)) {
            return base;
        }
        InetSocketAddress remote = new InetSocketAddress(client, 0);
        return new Request.Wrapper(base) {
            @Override
            public ConnectionMetaData getConnectionMetaData() {
                return new ConnectionMetaData.Wrapper(super.getConnectionMetaData()) {
                    @Override
                    public SocketAddress getRemoteSocketAddress() {
                        return remote;
                    }
                };
            }
        };
    }

    /**
     * The right-most address of the {@code X-Forwarded-For} chain that is not a trusted proxy; the peer itself when
     * the chain is empty or malformed at the first entry examined.
     */
    InetAddress clientAddress(List<String> headerValues, InetAddress peer) {
        InetAddress client = peer;
        for (int v = headerValues.size() - 1; v >= 0; v--) {
            String[] hops = headerValues.get(v).split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                if (!trusted.test(client)) {
                    return client;
                }
                InetAddress hop = literal(hops[i].trim());
                if (hop == null) {
                    return client;
                }
                client = hop;
            }
        }
        return client;
    }

    /** An IP literal ({@code 1.2.3.4}, {@code 1.2.3.4:5}, {@code [::1]:5}, {@code ::1}), never a DNS lookup. */
    static InetAddress literal(String text) {
        String t = text;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            t = close < 0 ? "" : t.substring(1, close);
        } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':')) {
            t = t.substring(0, t.indexOf(':'));
        }
        boolean looksLiteral = !t.isEmpty() && (t.contains(":")
                ? t.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')
                : t.chars().allMatch(c -> c == '.' || Character.isDigit(c)) && t.chars().filter(c -> c == '.').count() == 3);
        if (!looksLiteral) {
            return null;
        }
        try {
            return InetAddress.getByName(t);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static InetAddress address(SocketAddress socket) {
        return socket instanceof InetSocketAddress isa ? isa.getAddress() : null;
    }
}
