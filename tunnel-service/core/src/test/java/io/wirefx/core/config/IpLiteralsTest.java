package io.wirefx.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpLiteralsTest {

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0, 00000000",
            "10.0.0.1, 0a000001",
            "255.255.255.255, ffffffff",
            "192.168.100.200, c0a864c8",
    })
    void parsesDottedQuads(String text, String hex) {
        InetAddress a = IpLiterals.parse(text);
        assertInstanceOf(Inet4Address.class, a);
        assertArrayEquals(HexFormat.of().parseHex(hex), a.getAddress());
        assertEquals(text, IpLiterals.format(a));
    }

    @ParameterizedTest
    @CsvSource({
            // input, canonical (RFC 5952), bytes
            "::, ::, 00000000000000000000000000000000",
            "::1, ::1, 00000000000000000000000000000001",
            "1::, 1::, 00010000000000000000000000000000",
            "2001:DB8:0:0:0:0:0:1, 2001:db8::1, 20010db8000000000000000000000001",
            "2001:db8::0:1, 2001:db8::1, 20010db8000000000000000000000001",
            "2001:0db8:0000:0000:0001:0000:0000:0001, 2001:db8::1:0:0:1, 20010db8000000000001000000000001",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1, 20010db8000000010001000100010001",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1, 20010db8000000000001000000000001",
            "fe80::abcd:ef01:2345:6789, fe80::abcd:ef01:2345:6789, fe80000000000000abcdef0123456789",
            "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0, 00010002000300040005000600070000",
            "::2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8, 00000002000300040005000600070008",
            "::ffff:10.0.0.1, ::ffff:10.0.0.1, 00000000000000000000ffff0a000001",
            "::FFFF:a00:1, ::ffff:10.0.0.1, 00000000000000000000ffff0a000001",
            "64:ff9b::192.0.2.33, 64:ff9b::c000:221, 0064ff9b0000000000000000c0000221",
            "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304, 00010002000300040005000601020304",
    })
    void parsesAndCanonicalizesIpv6(String text, String canonical, String hex) {
        InetAddress a = IpLiterals.parse(text);
        assertInstanceOf(Inet6Address.class, a);
        assertArrayEquals(HexFormat.of().parseHex(hex), a.getAddress());
        assertEquals(canonical, IpLiterals.format(a));
        assertEquals(a, IpLiterals.parse(canonical));
    }

    @Test
    void ipv4MappedStaysIpv6() {
        // The JDK's InetAddress.getByAddress would hand back an Inet4Address here.
        assertInstanceOf(Inet6Address.class, IpLiterals.parse("::ffff:192.0.2.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "1", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.04", "1.2.3.4 ", " 1.2.3.4", "1..2.3",
            "0x7f.0.0.1", "1.2.3.-4", "+1.2.3.4", "1.2.3.", "١.٢.٣.٤",
            ":", ":::", "1:2", "1::2::3", ":1::", "1::2:", "12345::", "g::1", "1:2:3:4:5:6:7:8:9",
            "1:2:3:4::5:6:7:8", "::1.2.3", "::1.2.3.4.5", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4:5", "fe80::1%eth0",
            "fe80::1%1", "[::1]", "::ffff:256.1.1.1", "localhost", "example.com", "::1/128",
    })
    void rejectsNonLiterals(String text) {
        assertTrue(IpLiterals.tryParse(text).isEmpty(), text);
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> IpLiterals.parse(text));
        assertEquals(BadConfigException.Reason.INVALID_ADDRESS, e.reason());
    }

    @Test
    void normalizeRejectsScopedAddresses() throws Exception {
        Inet6Address scoped = Inet6Address.getByAddress(null, IpLiterals.parse("fe80::1").getAddress(), 3);
        assertThrows(InvalidValueException.class, () -> IpLiterals.normalize(scoped));
    }
}
