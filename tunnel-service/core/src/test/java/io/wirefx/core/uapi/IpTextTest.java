package io.wirefx.core.uapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Random;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class IpTextTest {

    static byte[] v6(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    @Test
    void ipv6LiteralsAcceptedAsGoDoes() {
        assertArrayEquals(new byte[16], IpText.parseAddr("::").bytes());
        assertArrayEquals(v6("00000000000000000000000000000001"), IpText.parseAddr("::1").bytes());
        assertArrayEquals(v6("fe800000000000000000000000000001"), IpText.parseAddr("FE80::0001").bytes());
        assertArrayEquals(v6("20010db8000000000000000000000000"), IpText.parseAddr("2001:db8::").bytes());
        assertArrayEquals(v6("00010002000300040005000600070008"), IpText.parseAddr("1:2:3:4:5:6:7:8").bytes());
        assertArrayEquals(v6("00010000000300040005000600070008"), IpText.parseAddr("1::3:4:5:6:7:8").bytes());
        assertArrayEquals(v6("00000000000000000000ffff01020304"), IpText.parseAddr("::ffff:1.2.3.4").bytes());
        assertArrayEquals(v6("00010002000300040005000601020304"), IpText.parseAddr("1:2:3:4:5:6:1.2.3.4").bytes());
        assertEquals("eth0", IpText.parseAddr("fe80::1%eth0").zone());
    }

    @Test
    void malformedLiteralsRejected() {
        for (String bad : List.of("", ":", ":::", "1:2", "1::2::3", ":1::", "1::2:", "1:2:3:4:5:6:7:8:9",
                "1:2:3:4:5:6:7::8", "::1:2:3:4:5:6:7:8", "12345::", "g::", "1:2:3:4:5:6:7:1.2.3.4",
                "1.2.3.4::", "::1.2.3.4:5", "::01.2.3.4", "::256.0.0.0", "1:2:3:4:5:6:1.2.3.4::", "%eth0",
                "::1%", "1.2.3.4%0", "1.2.3", "1.2.3.4.5", "1..2.3", ".1.2.3", "1.2.3.", "00.1.2.3", "1.2.3.256",
                "1.2.3.-4", "localhost", "0x7f.1.1.1", "\uff11.2.3.4", "::\uff11", "1:2:3:4:5:6:7:8%")) {
            assertNull(IpText.parseAddr(bad), bad);
        }
    }

    @Test
    void formatsLikeGoNetip() {
        assertEquals("::", fmt("00000000000000000000000000000000"));
        assertEquals("::1", fmt("00000000000000000000000000000001"));
        assertEquals("1::", fmt("00010000000000000000000000000000"));
        assertEquals("2001:db8::1:0:0:1", fmt("20010db8000000000001000000000001")); // first of equal runs
        assertEquals("2001:0:0:1::1", fmt("20010000000000010000000000000001")); // longest run wins
        assertEquals("2001:db8:0:1:1:1:1:1", fmt("20010db8000000010001000100010001")); // one zero group stays
        assertEquals("::ffff:192.0.2.1", fmt("00000000000000000000ffffc0000201"));
        assertEquals("::c000:201", fmt("000000000000000000000000c0000201")); // IPv4-compatible: plain hex
    }

    private static String fmt(String hex) {
        return IpText.formatAddress(IpText.toAddress(v6(hex)));
    }

    @Test
    void prefixesAndEndpoints() {
        assertEquals("10.0.0.0/8", AllowedIp.parse("10.1.2.3/8").orElseThrow().masked().toString());
        assertEquals("::/0", AllowedIp.parse("::1/0").orElseThrow().masked().toString());
        assertEquals("ff80::/9", AllowedIp.parse("ffff::/9").orElseThrow().masked().toString());
        assertTrue(AllowedIp.parse("::ffff:1.2.3.4/128").orElseThrow().address() instanceof Inet6Address);
        for (String bad : List.of("10.0.0.0", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/33",
                "::/129", "::/0128", "fe80::1%1/64", "/8", "10.0.0.0/8/8", "10.0.0.0/99999999999999999999")) {
            assertTrue(AllowedIp.parse(bad).isEmpty(), bad);
        }
        InetSocketAddress e = UapiProtocol.parseEndpoint("[fe80::1%42]:7").orElseThrow();
        assertEquals(42, ((Inet6Address) e.getAddress()).getScopeId());
        assertEquals("[fe80::1%42]:7", UapiProtocol.formatEndpoint(e).orElseThrow());
        assertTrue(UapiProtocol.parseEndpoint("[fe80::1%eth0]:7").isEmpty()); // names need a device
        assertNotNull(IpText.parseEndpoint("[fe80::1%eth0]:7", z -> OptionalInt.of(3)));
    }

    // ---- properties ----

    @Property(tries = 500)
    void ipv6FormatParsesBackAndIsCanonical(@ForAll("ipv6Bytes") byte[] bytes) {
        String text = IpText.formatAddress(IpText.toAddress(bytes));
        assertArrayEquals(bytes, IpText.parseAddr(text).bytes());
        assertEquals(canonicalOracle(bytes), text);
    }

    @Property(tries = 500)
    void anyValidSpellingOfAnIpv6AddressParses(@ForAll("ipv6Bytes") byte[] bytes, @ForAll long seed) {
        String text = randomSpelling(bytes, new Random(seed));
        IpText.Parsed parsed = IpText.parseAddr(text);
        assertNotNull(parsed, text);
        assertArrayEquals(bytes, parsed.bytes(), text);
    }

    @Property(tries = 500)
    void ipv4TextAcceptedExactlyByTheGrammar(@ForAll("ipv4ish") String text) {
        boolean expected = Pattern.matches("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}", text)
                && java.util.Arrays.stream(text.split("\\.")).allMatch(f -> Integer.parseInt(f) <= 255);
        IpText.Parsed parsed = IpText.parseAddr(text);
        assertEquals(expected, parsed != null, text);
        if (parsed != null) {
            assertEquals(text, IpText.formatAddress(IpText.toAddress(parsed.bytes())));
        }
    }

    @Property(tries = 500)
    void maskedPrefixRoundTrips(@ForAll("ipv6Bytes") byte[] v6, @ForAll @Size(4) byte[] v4,
                                @ForAll @IntRange(max = 128) int bits, @ForAll boolean useV4) {
        AllowedIp ip = new AllowedIp(IpText.toAddress(useV4 ? v4 : v6), useV4 ? bits % 33 : bits);
        AllowedIp masked = ip.masked();
        assertEquals(masked, masked.masked());
        assertEquals(masked, AllowedIp.parse(masked.toString()).orElseThrow());
        assertEquals(masked, AllowedIp.parse(ip.toString()).orElseThrow().masked());
        byte[] m = masked.address().getAddress();
        for (int bit = masked.prefix(); bit < m.length * 8; bit++) {
            assertEquals(0, m[bit / 8] & (0x80 >>> (bit % 8)), "host bit " + bit);
        }
        assertEquals(useV4, masked.address() instanceof Inet4Address);
    }

    @Property(tries = 500)
    void endpointsRoundTrip(@ForAll("ipv6Bytes") byte[] v6, @ForAll @Size(4) byte[] v4,
                            @ForAll @IntRange(max = 65535) int port, @ForAll boolean useV4) {
        InetSocketAddress ep = new InetSocketAddress(IpText.toAddress(useV4 ? v4 : v6), port);
        String text = UapiProtocol.formatEndpoint(ep).orElseThrow();
        InetSocketAddress back = UapiProtocol.parseEndpoint(text).orElseThrow();
        assertArrayEquals(ep.getAddress().getAddress(), back.getAddress().getAddress());
        assertEquals(port, back.getPort());
        assertEquals(text, UapiProtocol.formatEndpoint(back).orElseThrow());
    }

    @Property(tries = 1000)
    void parsersNeverThrow(@ForAll("addressish") String text) {
        IpText.parseAddr(text);
        AllowedIp.parse(text);
        UapiProtocol.parseEndpoint(text);
        IpText.parseEndpoint(text, z -> OptionalInt.of(1));
    }

    @Provide
    Arbitrary<byte[]> ipv6Bytes() {
        // Mostly zero groups, so that runs of zeros and "::" get exercised.
        Arbitrary<byte[]> group = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(new byte[] {0, 0})),
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofSize(2)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(new byte[] {0, 1}, new byte[] {(byte) 0xff, (byte) 0xff})));
        return group.list().ofSize(8).map(gs -> {
            byte[] b = new byte[16];
            for (int i = 0; i < 8; i++) {
                System.arraycopy(gs.get(i), 0, b, 2 * i, 2);
            }
            return b;
        });
    }

    @Provide
    Arbitrary<String> ipv4ish() {
        return Arbitraries.strings().withChars("0123456789.").ofMaxLength(17)
                .injectDuplicates(0.1)
                .edgeCases(c -> c.add("255.255.255.255").add("0.0.0.0").add("256.1.1.1"));
    }

    @Provide
    Arbitrary<String> addressish() {
        return Arbitraries.strings().withChars("0123456789abcdefABCDEFxg.:[]%/-+ \u0660\uff10").ofMaxLength(48);
    }

    /** RFC 5952 by a different route: render all eight groups, then collapse the longest ":0:0..." run. */
    static String canonicalOracle(byte[] b) {
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= b[i] == 0;
        }
        mapped &= b[10] == (byte) 0xff && b[11] == (byte) 0xff;
        if (mapped) {
            return "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        }
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            groups.add(Integer.toHexString((b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff)));
        }
        String full = ":" + String.join(":", groups) + ":";
        String best = null;
        for (int len = 8; len >= 2; len--) {
            String run = ":" + "0:".repeat(len);
            if (full.contains(run)) {
                best = run;
                break;
            }
        }
        if (best == null) {
            return full.substring(1, full.length() - 1);
        }
        String collapsed = full.replaceFirst(Pattern.quote(best), "::");
        if (collapsed.startsWith(":") && !collapsed.startsWith("::")) {
            collapsed = collapsed.substring(1);
        }
        if (collapsed.endsWith(":") && !collapsed.endsWith("::")) {
            collapsed = collapsed.substring(0, collapsed.length() - 1);
        }
        return collapsed;
    }

    /** A valid but arbitrary spelling: case, leading zeros, any zero run compressed, maybe a dotted tail. */
    static String randomSpelling(byte[] b, Random rnd) {
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String g = Integer.toHexString((b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff));
            g = "0".repeat(rnd.nextInt(5 - g.length())) + g;
            groups.add(rnd.nextBoolean() ? g.toUpperCase(Locale.ROOT) : g);
        }
        boolean dotted = rnd.nextInt(3) == 0;
        if (dotted) {
            groups = new ArrayList<>(groups.subList(0, 6));
            groups.add((b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff));
        }
        // Pick a run of zero groups (not the dotted tail) to compress, if any.
        List<int[]> runs = new ArrayList<>();
        int limit = dotted ? 6 : 8;
        for (int i = 0; i < limit; i++) {
            for (int j = i; j < limit && Integer.parseInt(groups.get(j), 16) == 0; j++) {
                runs.add(new int[] {i, j + 1});
            }
        }
        if (runs.isEmpty() || rnd.nextInt(4) == 0) {
            return String.join(":", groups);
        }
        int[] run = runs.get(rnd.nextInt(runs.size()));
        return String.join(":", groups.subList(0, run[0])) + "::" + String.join(":", groups.subList(run[1], groups.size()));
    }
}
