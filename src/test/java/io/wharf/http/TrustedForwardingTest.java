package io.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.config.AddressRange;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the client's address is read from a chain of proxies (nginx's real_ip_recursive). */
class TrustedForwardingTest {
    private final AddressRange proxies = AddressRange.parse("10.0.0.0/8");
    private final TrustedForwarding forwarding = new TrustedForwarding(proxies::contains);

    private String client(String peer, String... headers) throws Exception {
        return forwarding.clientAddress(List.of(headers), InetAddress.getByName(peer)).getHostAddress();
    }

    @Test
    void theRightMostAddressThatIsNotATrustedProxy_isTheClient() throws Exception {
        // The client claimed 1.1.1.1; nginx appended the address it really saw.
        assertThat(client("10.0.0.5", "1.1.1.1, 203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(client("10.0.0.5", "1.1.1.1, 203.0.113.7, 10.0.0.9")).isEqualTo("203.0.113.7");
        assertThat(client("10.0.0.5", "1.1.1.1", "203.0.113.7, 10.0.0.9")).isEqualTo("203.0.113.7");
    }

    @Test
    void garbageInTheChain_stopsAtTheLastTrustedHop() throws Exception {
        assertThat(client("10.0.0.5", "evil.example")).isEqualTo("10.0.0.5");
        assertThat(client("10.0.0.5", "203.0.113.7:4711")).isEqualTo("203.0.113.7");
        assertThat(client("10.0.0.5", "[2001:db8::7]:4711")).isEqualTo("2001:db8:0:0:0:0:0:7");
    }

    @Test
    void noHeader_leavesThePeer() throws Exception {
        assertThat(client("10.0.0.5")).isEqualTo("10.0.0.5");
    }
}
