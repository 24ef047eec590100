package io.wharf.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * A block of IP addresses in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}) or a single address
 * ({@code 127.0.0.1}, {@code ::1}), as nginx's {@code set_real_ip_from} takes them. IPv4 and IPv6 ranges never
 * match each other's addresses, except that an IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.1}) is compared as
 * the IPv4 address it carries.
 */
public final class AddressRange {
    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private AddressRange(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /**
     * Parses a literal address with an optional {@code /prefix}. Host names are refused: a trust decision must not
     * depend on DNS.
     *
     * @throws IllegalArgumentException with a message fit for the operator when malformed
     */
    public static AddressRange parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String host = slash < 0 ? t : t.substring(0, slash);
        boolean dottedQuad = host.chars().allMatch(c -> c == '.' || Character.isDigit(c))
                && host.chars().filter(c -> c == '.').count() == 3;
        if (host.isEmpty() || !(host.contains(":") || dottedQuad)) {
            throw new IllegalArgumentException("not an IP address or CIDR range: \"" + text + "\"");
        }
        byte[] address;
        try {
            address = normalise(InetAddress.getByName(host));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address or CIDR range: \"" + text + "\"");
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("prefix length must be 0 to " + bits + " in \"" + text + "\"");
            }
        }
        return new AddressRange(mask(address, prefix), prefix, t);
    }

    /** Whether the address lies in this range. */
    public boolean contains(InetAddress address) {
        byte[] candidate = normalise(address);
        return candidate.length == network.length && Objects.deepEquals(mask(candidate, prefixLength), network);
    }

    /** An IPv4-mapped IPv6 address as its IPv4 bytes; any other address as it is. */
    private static byte[] normalise(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 16 && isV4Mapped(b)) {
            byte[] v4 = new byte[4];
            System.arraycopy(b, 12, v4, 0, 4);
            return v4;
        }
        return b;
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xff << (8 - keep));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressRange r && r.prefixLength == prefixLength && Objects.deepEquals(r.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        return text;
    }
}
