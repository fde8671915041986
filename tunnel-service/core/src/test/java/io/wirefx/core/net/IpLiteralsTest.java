package io.wirefx.core.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static String fmt(String hex) {
        return IpLiterals.format(IpLiterals.fromBytes(hex(hex)));
    }

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
        assertArrayEquals(hex(hex), a.getAddress());
        assertEquals(text, IpLiterals.format(a));
    }

    @ParameterizedTest
    @CsvSource({
            // input, canonical (RFC 5952), bytes
            "::, ::, 00000000000000000000000000000000",
            "::1, ::1, 00000000000000000000000000000001",
            "1::, 1::, 00010000000000000000000000000000",
            "FE80::0001, fe80::1, fe800000000000000000000000000001",
            "2001:db8::, 2001:db8::, 20010db8000000000000000000000000",
            "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8, 00010002000300040005000600070008",
            "1::3:4:5:6:7:8, 1:0:3:4:5:6:7:8, 00010000000300040005000600070008",
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
        assertArrayEquals(hex(hex), a.getAddress());
        assertEquals(canonical, IpLiterals.format(a));
        assertEquals(a, IpLiterals.parse(canonical));
    }

    @ParameterizedTest
    @CsvSource({
            "20010db8000000000000000000000001, 2001:db8::1",
            "00000000000000000000000000000000, ::",
            "00000000000000000000000000000001, ::1",
            "00010000000000000000000000000000, 1::",
            "fd000000000000000000000000000000, fd00::",
            "20010db8000000010000000000000001, 2001:db8:0:1::1",
            "20010db8000000000001000000000000, 2001:db8:0:0:1::",
            "20010db8000000010001000100010001, 2001:db8:0:1:1:1:1:1", // one zero group stays
            "20010db8000000000001000000000001, 2001:db8::1:0:0:1", // first of equal runs
            "20010000000000010000000000000001, 2001:0:0:1::1", // longest run wins
            "00010002000300040005000600070008, 1:2:3:4:5:6:7:8",
            "00010000000300040005000600070000, 1:0:3:4:5:6:7:0",
            "ABCD000000000000000000000000EF01, abcd::ef01",
            "00000000000000000000ffff0a000001, ::ffff:10.0.0.1",
            "00000000000000000000ffffc0000201, ::ffff:192.0.2.1",
            "000000000000000000000000c0000201, ::c000:201", // IPv4-compatible: plain hex
    })
    void formatsRfc5952(String bytes, String text) {
        byte[] b = hex(bytes);
        assertEquals(text, IpLiterals.format(b));
        assertEquals(text, fmt(bytes));
        assertArrayEquals(b, IpLiterals.parse(text).getAddress());
    }

    @Test
    void ipv4MappedStaysIpv6() {
        // The JDK's InetAddress.ofLiteral and getByAddress would hand back an Inet4Address here.
        assertInstanceOf(Inet6Address.class, IpLiterals.parse("::ffff:192.0.2.1"));
        assertInstanceOf(Inet6Address.class, IpLiterals.parse("0:0:0:0:0:ffff:c000:201"));
        assertInstanceOf(Inet6Address.class, IpLiterals.fromBytes(hex("00000000000000000000ffffc0000201")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "1", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.04", "00.1.2.3", "1.2.3.4 ", " 1.2.3.4",
            "1..2.3", ".1.2.3", "1.2.3.", "0x7f.0.0.1", "0x7f.1.1.1", "1.2.3.-4", "+1.2.3.4", "1.2.3.256",
            "١.٢.٣.٤", "\uff11.2.3.4", "a.b.c.d", "4294967295", "10.1",
            ":", ":::", "1:2", "1:::2", "1::2::3", ":1::", "1::2:", "::1:", "12345::", "::00001", "g::", "g::1",
            "::\uff11", "::١", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4::5:6:7:8", "1:2:3:4:5:6:7::8",
            "::1:2:3:4:5:6:7:8", "::1.2.3", "::1.2.3.4.5", "1.2.3.4::", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4:5",
            "::01.2.3.4", "::256.0.0.0", "1:2:3:4:5:6:1.2.3.4::", "::ffff:256.1.1.1",
            "fe80::1%eth0", "fe80::1%1", "%eth0", "::1%", "1.2.3.4%0", "1:2:3:4:5:6:7:8%", "[::1]", "::1/128",
            "localhost", "example.com",
    })
    void rejectsNonLiterals(String text) {
        assertTrue(IpLiterals.tryParse(text).isEmpty(), text);
        assertFalse(IpLiterals.isLiteral(text), text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpLiterals.parse(text));
        assertTrue(e.getMessage().startsWith("not an IP address: \"" + text + "\": "), e.getMessage());
    }

    @Test
    void errorsSayWhatIsWrong() {
        for (List<String> c : List.of(
                List.of("", "empty"),
                List.of("10.1", "four decimal numbers"),
                List.of("010.0.0.1", "without leading zeros"),
                List.of("fe80::1%eth0", "zone"),
                List.of("[::1]", "brackets"),
                List.of("::1/128", "prefix length"),
                List.of("12345::", "\"12345\" has more than four hex digits"),
                List.of("g::1", "'g'"),
                List.of("1.2.3.4::", "IPv4 part"),
                List.of("1::2::3", "eight groups"),
                List.of("1:2:3:4:5:6:7", "eight groups"),
                List.of("0".repeat(46), "longer than"))) {
            String message = assertThrows(IllegalArgumentException.class, () -> IpLiterals.parse(c.get(0))).getMessage();
            assertTrue(message.contains(c.get(1)), message);
        }
    }

    @Test
    void normalizeDropsNamesAndRejectsScopedAddresses() throws Exception {
        Inet6Address scoped = Inet6Address.getByAddress(null, IpLiterals.parse("fe80::1").getAddress(), 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpLiterals.normalize(scoped));
        assertTrue(e.getMessage().contains("fe80::1%3"), e.getMessage());
        InetAddress named = InetAddress.getByAddress("example.com", new byte[] {10, 0, 0, 1});
        assertEquals("/10.0.0.1", IpLiterals.normalize(named).toString());
        assertThrows(IllegalArgumentException.class, () -> IpLiterals.fromBytes(new byte[5]));
        assertThrows(IllegalArgumentException.class, () -> IpLiterals.format(new byte[0]));
    }
}
