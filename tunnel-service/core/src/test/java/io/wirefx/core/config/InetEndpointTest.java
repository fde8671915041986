package io.wirefx.core.config;

import io.wirefx.core.net.IpLiterals;
import io.wirefx.core.config.BadConfigException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InetEndpointTest {

    @ParameterizedTest
    @CsvSource({
            // input, host, port, canonical text, literal?
            "192.0.2.1:51820, 192.0.2.1, 51820, 192.0.2.1:51820, true",
            "[2001:DB8::1]:51820, 2001:db8::1, 51820, [2001:db8::1]:51820, true",
            "2001:db8::1:51820, 2001:db8::1, 51820, [2001:db8::1]:51820, true",
            "[::ffff:10.0.0.1]:1, ::ffff:10.0.0.1, 1, [::ffff:10.0.0.1]:1, true",
            "[192.0.2.1]:65535, 192.0.2.1, 65535, 192.0.2.1:65535, true",
            "vpn.example.com:51820, vpn.example.com, 51820, vpn.example.com:51820, false",
            "VPN.Example.COM.:443, VPN.Example.COM., 443, VPN.Example.COM.:443, false",
            "[my-host_1]:51820, my-host_1, 51820, my-host_1:51820, false",
            "localhost:00080, localhost, 80, localhost:80, false",
    })
    void parses(String text, String host, int port, String canonical, boolean literal) {
        InetEndpoint e = InetEndpoint.parse(text);
        assertEquals(host, e.host());
        assertEquals(port, e.port());
        assertEquals(canonical, e.toString());
        assertEquals(literal, e.literalAddress().isPresent());
        assertEquals(e, InetEndpoint.parse(canonical));
    }

    @ParameterizedTest
    @CsvSource({
            "'', INVALID_ENDPOINT",
            "192.0.2.1, INVALID_ENDPOINT",
            "192.0.2.1:, INVALID_ENDPOINT",
            ":51820, INVALID_ENDPOINT",
            "[::1], INVALID_ENDPOINT",
            "[::1]51820, INVALID_ENDPOINT",
            "[::1]:, INVALID_ENDPOINT",
            "[::1:51820, INVALID_ENDPOINT",
            "[]:51820, INVALID_ENDPOINT",
            "fe80::1%eth0:51820, INVALID_ENDPOINT",
            "[fe80::1%eth0]:51820, INVALID_ENDPOINT",
            "1.2.3:51820, INVALID_ENDPOINT",
            "300.1.1.1:51820, INVALID_ENDPOINT",
            "bad host:51820, INVALID_ENDPOINT",
            "a..b:51820, INVALID_ENDPOINT",
            "ex/ample:51820, INVALID_ENDPOINT",
            "host:0, INVALID_PORT",
            "host:65536, INVALID_PORT",
            "host:-1, INVALID_PORT",
            "host:99999999999999999999999, INVALID_PORT",
            "host:wireguard, SERVICE_NAME_UNSUPPORTED",
            "[::1]:https, SERVICE_NAME_UNSUPPORTED",
    })
    void rejects(String text, Reason reason) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> InetEndpoint.parse(text));
        assertEquals(reason, e.reason());
        assertEquals(text, e.value().orElseThrow());
    }

    @Test
    void factories() {
        assertEquals(InetEndpoint.parse("[::1]:7"), InetEndpoint.of("::1", 7));
        assertEquals(InetEndpoint.parse("[::1]:7"), InetEndpoint.of(IpLiterals.parse("0::1"), 7));
        assertEquals("h.example:9", InetEndpoint.of("h.example", 9).toString());
        assertTrue(InetEndpoint.of("h.example", 9).literalAddress().isEmpty());
        assertEquals(Reason.INVALID_PORT,
                assertThrows(InvalidValueException.class, () -> InetEndpoint.of("h", 0)).reason());
        assertEquals(Reason.INVALID_ENDPOINT,
                assertThrows(InvalidValueException.class, () -> InetEndpoint.of("a b", 1)).reason());
    }
}
