package io.wirefx.core.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PrefixTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void ipv4ToString() {
        assertEquals("10.0.0.0/24", new Prefix(new byte[] {10, 0, 0, 0}, 24).toString());
        assertEquals("255.255.255.255/32", new Prefix(hex("ffffffff"), 32).toString());
        assertEquals("0.0.0.0/0", new Prefix(new byte[4], 0).toString());
    }

    @ParameterizedTest
    @CsvSource({
        "20010db8000000000000000000000001, 2001:db8::1",
        "00000000000000000000000000000000, ::",
        "00000000000000000000000000000001, ::1",
        "fd000000000000000000000000000000, fd00::",
        "20010db8000000010000000000000001, 2001:db8:0:1::1",
        "20010db8000000000001000000000000, 2001:db8:0:0:1::",
        "20010db8000000010001000100010001, 2001:db8:0:1:1:1:1:1",
        "20010db8000000000001000000000001, 2001:db8::1:0:0:1",
        "20010000000000010000000000000001, 2001:0:0:1::1",
        "00010002000300040005000600070008, 1:2:3:4:5:6:7:8",
        "00010000000300040005000600070000, 1:0:3:4:5:6:7:0",
        "ABCD000000000000000000000000EF01, abcd::ef01",
        "00000000000000000000ffff0a000001, ::ffff:10.0.0.1",
    })
    void ipv6ToStringIsRfc5952(String bytes, String text) {
        byte[] b = hex(bytes);
        assertEquals(text, Prefix.formatAddress(b));
        assertArrayEquals(b, Prefix.parseAddress(text));
        assertEquals(text + "/128", new Prefix(b, 128).toString());
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/24, 10.0.0.0/24",
        "10.1.2.3/8, 10.1.2.3/8",
        "192.168.1.1, 192.168.1.1/32",
        "fd00::/8, fd00::/8",
        "FD00:0:0:0:0:0:0:1/64, fd00::1/64",
        "2001:DB8::, 2001:db8::/128",
        "::/0, ::/0",
        "0.0.0.0/0, 0.0.0.0/0",
        "::ffff:1.2.3.4/96, ::ffff:1.2.3.4/96",
        "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304/128",
        "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0/128",
        "::2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8/128",
        "10.0.0.0/024, 10.0.0.0/24",
    })
    void parse(String in, String canonical) {
        assertEquals(canonical, Prefix.parse(in).toString());
        assertEquals(Prefix.parse(in), Prefix.parse(canonical));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "/", "/24", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/+1", "10.0.0.0/1000", "10.0.0/24",
        "10.0.0.0.0", "256.0.0.0", "01.2.3.4", "1.2.3.04", "1..2.3", "1.2.3.4 ", " 1.2.3.4", "a.b.c.d", "1.2.3.4/24/1",
        "::/129", ":::", "1:::2", "1::2::3", ":1::", "::1:", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::",
        "g::", "::1.2.3", "::1.2.3.4.5", "1.2.3.4::", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4:5", "fe80::1%eth0",
        "localhost", "example.com", "١.١.١.١", "::١",
    })
    void parseRejects(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Prefix.parse(bad));
        assertTrue(e.getMessage().contains("invalid"), e.getMessage());
    }

    @Test
    void constructorValidates() {
        assertThrows(IllegalArgumentException.class, () -> new Prefix(new byte[5], 1));
        assertThrows(IllegalArgumentException.class, () -> new Prefix(null, 1));
        assertThrows(IllegalArgumentException.class, () -> new Prefix(new byte[4], 33));
        assertThrows(IllegalArgumentException.class, () -> new Prefix(new byte[16], -1));
        new Prefix(new byte[16], 128);
    }

    @Test
    void maskingAndContains() {
        Prefix p = Prefix.parse("10.1.2.3/20");
        assertFalse(p.isMasked());
        assertEquals("10.1.0.0/20", p.masked().toString());
        assertTrue(p.masked().isMasked());
        assertTrue(p.contains(new byte[] {10, 1, 15, (byte) 200}));
        assertFalse(p.contains(new byte[] {10, 1, 16, 0}));
        assertFalse(p.contains(new byte[16]));
        assertEquals("2001:db8:8000::/33", Prefix.parse("2001:db8:ffff::1/33").masked().toString());
        assertEquals("2001:db8::/32", Prefix.parse("2001:db8:ffff::1/32").masked().toString());
        assertEquals("::/0", Prefix.parse("ffff::1/0").masked().toString());
        assertTrue(Prefix.parse("::/0").contains(Prefix.parseAddress("fd00::1")));
    }

    @Test
    void equalityAndCopies() {
        byte[] a = {10, 0, 0, 0};
        Prefix p = new Prefix(a, 8);
        a[0] = 11;
        assertEquals(Prefix.parse("10.0.0.0/8"), p);
        assertEquals(Prefix.parse("10.0.0.0/8").hashCode(), p.hashCode());
        p.address()[0] = 12;
        assertEquals(10, p.address()[0]);
        assertNotEquals(Prefix.parse("10.0.0.0/8"), Prefix.parse("10.0.0.0/9"));
        assertNotEquals(Prefix.parse("::/0"), Prefix.parse("0.0.0.0/0"));
        assertNotEquals(Prefix.parse("10.0.0.1/8"), Prefix.parse("10.0.0.0/8"));
    }

    @Property(tries = 500)
    void formatParseRoundTripAgreesWithTheJdk(@ForAll @Size(16) byte[] addr,
                                              @ForAll @IntRange(min = 0, max = 8) int zeroRun,
                                              @ForAll @IntRange(min = 0, max = 7) int at) throws UnknownHostException {
        for (int i = at; i < Math.min(8, at + zeroRun); i++) {
            addr[2 * i] = 0;
            addr[2 * i + 1] = 0;
        }
        String text = Prefix.formatAddress(addr);
        assertArrayEquals(addr, Prefix.parseAddress(text));
        // the JDK parses our text to the same bytes (it maps ::ffff:a.b.c.d to IPv4, so compare the tail there)
        byte[] jdk = InetAddress.getByName(text).getAddress();
        assertArrayEquals(jdk.length == 4 ? java.util.Arrays.copyOfRange(addr, 12, 16) : addr, jdk);
        assertFalse(text.contains(":::"));
        assertEquals(text.toLowerCase(), text);
    }

    @Property(tries = 200)
    void ipv4RoundTrip(@ForAll @Size(4) byte[] addr, @ForAll @IntRange(min = 0, max = 32) int len) {
        Prefix p = new Prefix(addr, len);
        assertEquals(p, Prefix.parse(p.toString()));
    }
}
