package io.wirefx.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InetNetworkTest {

    @ParameterizedTest
    @CsvSource({
            "10.0.0.1/24, 10.0.0.1/24, 24, 10.0.0.0/24",
            "10.0.0.1, 10.0.0.1/32, 32, 10.0.0.1/32",
            "0.0.0.0/0, 0.0.0.0/0, 0, 0.0.0.0/0",
            "192.168.77.255/17, 192.168.77.255/17, 17, 192.168.0.0/17",
            "fd00::1/64, fd00::1/64, 64, fd00::/64",
            "2001:DB8::1, 2001:db8::1/128, 128, 2001:db8::1/128",
            "::/0, ::/0, 0, ::/0",
            "2001:db8:ffff:ffff::/33, 2001:db8:ffff:ffff::/33, 33, 2001:db8:8000::/33",
            "10.0.0.1/024, 10.0.0.1/24, 24, 10.0.0.0/24",
    })
    void parsesAndMasks(String text, String canonical, int prefix, String masked) {
        InetNetwork n = InetNetwork.parse(text);
        assertEquals(canonical, n.toString());
        assertEquals(prefix, n.prefixLength());
        assertEquals(masked, n.masked().toString());
        assertEquals(n, InetNetwork.parse(canonical));
        assertEquals(n.hashCode(), InetNetwork.parse(canonical).hashCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "/24", "10.0.0.1/", "10.0.0.1/33", "10.0.0.300/24", "10.0.0.1/-1", "10.0.0.1/+8", "10.0.0.1/2 4",
            "10.0.0.1/24/1", "::/129", "::1/999999999999999999999999", "+10.0.0.0/8", "-10.0.0.0/8",
            "10.0.0.0/255.0.0.0", "example.com/32", "fe80::1%eth0/64",
    })
    void rejectsBadCidrs(String text) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> InetNetwork.parse(text));
        assertEquals(BadConfigException.Reason.INVALID_CIDR, e.reason());
        assertEquals(text, e.value().orElseThrow());
    }

    @Test
    void familiesAndContainment() {
        InetNetwork v4 = InetNetwork.parse("10.1.0.0/16");
        assertTrue(v4.isIpv4());
        assertTrue(v4.contains(IpLiterals.parse("10.1.255.3")));
        assertFalse(v4.contains(IpLiterals.parse("10.2.0.1")));
        assertFalse(v4.contains(IpLiterals.parse("::ffff:10.1.0.1")));
        InetNetwork v6 = InetNetwork.parse("2001:db8::/35");
        assertTrue(v6.isIpv6());
        assertTrue(v6.contains(IpLiterals.parse("2001:db8:1fff::1")));
        assertFalse(v6.contains(IpLiterals.parse("2001:db8:2000::1")));
        assertTrue(InetNetwork.parse("0.0.0.0/0").contains(IpLiterals.parse("8.8.8.8")));
    }

    @Test
    void mappedIpv6IsNotIpv4() {
        assertNotEquals(InetNetwork.parse("10.0.0.1"), InetNetwork.parse("::ffff:10.0.0.1"));
        assertEquals("::ffff:10.0.0.1/128", InetNetwork.parse("::ffff:10.0.0.1").toString());
    }

    @Test
    void factoryValidatesPrefix() {
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> InetNetwork.of(IpLiterals.parse("10.0.0.1"), 33));
        assertEquals(BadConfigException.Reason.INVALID_CIDR, e.reason());
        assertThrows(InvalidValueException.class, () -> InetNetwork.of(IpLiterals.parse("::1"), -1));
        assertEquals(InetNetwork.parse("::1/128"), InetNetwork.of(IpLiterals.parse("::1")));
        assertEquals(InetNetwork.parse("::/0"), InetNetwork.of(IpLiterals.parse("::"), 0));
    }
}
