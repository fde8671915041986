package io.wirefx.core.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpPrefixTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

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
            "10.0.0.1/0024, 10.0.0.1/24, 24, 10.0.0.0/24",
    })
    void parsesAndMasks(String text, String canonical, int length, String masked) {
        IpPrefix n = IpPrefix.parse(text);
        assertEquals(canonical, n.toString());
        assertEquals(length, n.length());
        assertEquals(masked, n.masked().toString());
        assertEquals(n, IpPrefix.parse(canonical));
        assertEquals(n.hashCode(), IpPrefix.parse(canonical).hashCode());
    }

    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/24, 10.0.0.0/24",
            "10.1.2.3/8, 10.1.2.3/8",
            "192.168.1.1, 192.168.1.1/32",
            "fd00::/8, fd00::/8",
            "FD00:0:0:0:0:0:0:1/64, fd00::1/64",
            "2001:DB8::, 2001:db8::/128",
            "::ffff:1.2.3.4/96, ::ffff:1.2.3.4/96",
            "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304/128",
            "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0/128",
            "::2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8/128",
    })
    void parse(String in, String canonical) {
        assertEquals(canonical, IpPrefix.parse(in).toString());
        assertEquals(IpPrefix.parse(in), IpPrefix.parse(canonical));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "/", "/24", "10.0.0.1/", "10.0.0.1/33", "10.0.0.300/24", "10.0.0.1/-1", "10.0.0.1/+8", "10.0.0.1/2 4",
            "10.0.0.0/1000", "10.0.0/24", "10.0.0.0.0", "256.0.0.0", "01.2.3.4", "1.2.3.04", "1..2.3", "1.2.3.4 ",
            " 1.2.3.4", "a.b.c.d", "10.0.0.1/24/1", "::/129", "::1/999999999999999999999999", "+10.0.0.0/8",
            "-10.0.0.0/8", "10.0.0.0/255.0.0.0", "example.com/32", "localhost", "fe80::1%eth0/64", "fe80::1%eth0",
            ":::", "1:::2", "1::2::3", ":1::", "::1:", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "g::",
            "::1.2.3", "::1.2.3.4.5", "1.2.3.4::", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4:5", "١.١.١.١", "::١",
    })
    void rejectsWithTheTextInTheMessage(String bad) {
        assertTrue(IpPrefix.tryParse(bad).isEmpty(), bad);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse(bad));
        assertTrue(e.getMessage().startsWith("not an IP prefix: \"" + bad + "\": "), e.getMessage());
    }

    @Test
    void errorsSayWhatIsWrong() {
        for (List<String> c : List.of(
                List.of("10.0.0.1/33", "prefix length must be 0-32"),
                List.of("::/129", "prefix length must be 0-128"),
                List.of("10.0.0.1/", "not empty"),
                List.of("10.0.0.1/+8", "decimal digits only"),
                List.of("10.0.0.300/24", "four decimal numbers 0-255"),
                List.of("fe80::1%eth0/64", "zone"))) {
            String message = assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse(c.get(0))).getMessage();
            assertTrue(message.contains(c.get(1)), message);
        }
    }

    @Test
    void familiesAndContainment() {
        IpPrefix v4 = IpPrefix.parse("10.1.0.0/16");
        assertTrue(v4.isIpv4());
        assertEquals(32, v4.maxLength());
        assertTrue(v4.contains(IpLiterals.parse("10.1.255.3")));
        assertFalse(v4.contains(IpLiterals.parse("10.2.0.1")));
        assertFalse(v4.contains(IpLiterals.parse("::ffff:10.1.0.1")));
        IpPrefix v6 = IpPrefix.parse("2001:db8::/35");
        assertTrue(v6.isIpv6());
        assertEquals(128, v6.maxLength());
        assertTrue(v6.contains(IpLiterals.parse("2001:db8:1fff::1")));
        assertFalse(v6.contains(IpLiterals.parse("2001:db8:2000::1")));
        assertTrue(IpPrefix.parse("0.0.0.0/0").contains(IpLiterals.parse("8.8.8.8")));
    }

    @Test
    void mappedIpv6IsNotIpv4() {
        assertNotEquals(IpPrefix.parse("10.0.0.1"), IpPrefix.parse("::ffff:10.0.0.1"));
        assertEquals("::ffff:10.0.0.1/128", IpPrefix.parse("::ffff:10.0.0.1").toString());
        assertTrue(IpPrefix.parse("::ffff:1.2.3.4/128").address() instanceof Inet6Address);
        assertTrue(IpPrefix.of(hex("00000000000000000000ffff01020304"), 128).isIpv6());
    }

    @Test
    void factoriesValidate() {
        assertThrows(IllegalArgumentException.class, () -> new IpPrefix(IpLiterals.parse("10.0.0.1"), 33));
        assertThrows(IllegalArgumentException.class, () -> new IpPrefix(IpLiterals.parse("::1"), -1));
        assertThrows(NullPointerException.class, () -> new IpPrefix(null, 1));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.of(new byte[5], 1));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.of(null, 1));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.of(new byte[4], 33));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.of(new byte[16], -1));
        assertEquals("::/128", IpPrefix.of(new byte[16], 128).toString());
        assertEquals(IpPrefix.parse("::1/128"), IpPrefix.host(IpLiterals.parse("::1")));
        assertEquals(IpPrefix.parse("10.0.0.1/32"), IpPrefix.host(IpLiterals.parse("10.0.0.1")));
        assertEquals(IpPrefix.parse("::/0"), new IpPrefix(IpLiterals.parse("::"), 0));
    }

    @Test
    void scopedAddressesAreRefused() throws Exception {
        Inet6Address scoped = Inet6Address.getByAddress(null, IpLiterals.parse("fe80::1").getAddress(), 2);
        assertThrows(IllegalArgumentException.class, () -> new IpPrefix(scoped, 64));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.host(scoped));
    }

    @Test
    void ipv4ToString() {
        assertEquals("10.0.0.0/24", IpPrefix.of(new byte[] {10, 0, 0, 0}, 24).toString());
        assertEquals("255.255.255.255/32", IpPrefix.of(hex("ffffffff"), 32).toString());
        assertEquals("0.0.0.0/0", IpPrefix.of(new byte[4], 0).toString());
    }

    @Test
    void maskingAndContains() {
        IpPrefix p = IpPrefix.parse("10.1.2.3/20");
        assertFalse(p.isMasked());
        assertEquals("10.1.0.0/20", p.masked().toString());
        assertTrue(p.masked().isMasked());
        IpPrefix m = p.masked();
        assertSame(m, m.masked());
        assertTrue(p.contains(new byte[] {10, 1, 15, (byte) 200}));
        assertFalse(p.contains(new byte[] {10, 1, 16, 0}));
        assertFalse(p.contains(new byte[16]));
        assertFalse(p.contains((byte[]) null));
        assertEquals("2001:db8:8000::/33", IpPrefix.parse("2001:db8:ffff::1/33").masked().toString());
        assertEquals("2001:db8::/32", IpPrefix.parse("2001:db8:ffff::1/32").masked().toString());
        assertEquals("::/0", IpPrefix.parse("ffff::1/0").masked().toString());
        assertEquals("ff80::/9", IpPrefix.parse("ffff::/9").masked().toString());
        assertEquals("10.0.0.0/8", IpPrefix.parse("10.1.2.3/8").masked().toString());
        assertTrue(IpPrefix.parse("::/0").contains(IpLiterals.parse("fd00::1")));
    }

    @Test
    void equalityAndCopies() {
        byte[] a = {10, 0, 0, 0};
        IpPrefix p = IpPrefix.of(a, 8);
        a[0] = 11;
        assertEquals(IpPrefix.parse("10.0.0.0/8"), p);
        assertEquals(IpPrefix.parse("10.0.0.0/8").hashCode(), p.hashCode());
        p.bytes()[0] = 12;
        assertEquals(10, p.bytes()[0]);
        assertArrayEquals(new byte[] {10, 0, 0, 0}, p.bytes());
        assertNotEquals(IpPrefix.parse("10.0.0.0/8"), IpPrefix.parse("10.0.0.0/9"));
        assertNotEquals(IpPrefix.parse("::/0"), IpPrefix.parse("0.0.0.0/0"));
        assertNotEquals(IpPrefix.parse("10.0.0.1/8"), IpPrefix.parse("10.0.0.0/8"));
    }
}
