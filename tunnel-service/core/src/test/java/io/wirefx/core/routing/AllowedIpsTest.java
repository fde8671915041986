package io.wirefx.core.routing;

import io.wirefx.core.net.IpLiterals;
import io.wirefx.core.net.IpPrefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AllowedIpsTest {
    private final AllowedIps<String> t = new AllowedIps<>();

    private static byte[] ip(String s) {
        return IpLiterals.parse(s).getAddress();
    }

    private void add(String prefix, String peer) {
        IpPrefix p = IpPrefix.parse(prefix);
        t.insert(p.bytes(), p.length(), peer);
    }

    private String at(String addr) {
        return t.lookup(ip(addr));
    }

    private List<String> listOf(String peer) {
        return t.prefixesOf(peer).stream().map(IpPrefix::toString).toList();
    }

    @Test
    void emptyTableMatchesNothing() {
        assertNull(at("10.0.0.1"));
        assertNull(at("::1"));
        assertEquals(List.of(), t.prefixesOf("a"));
        assertEquals(0, t.size());
    }

    @Test
    void longestPrefixWins() {
        add("10.0.0.0/8", "a");
        add("10.1.0.0/16", "b");
        add("10.1.2.0/24", "c");
        add("10.1.2.3/32", "d");
        assertEquals("a", at("10.200.0.1"));
        assertEquals("b", at("10.1.200.1"));
        assertEquals("c", at("10.1.2.4"));
        assertEquals("d", at("10.1.2.3"));
        assertNull(at("11.0.0.0"));
        assertNull(at("9.255.255.255"));
        assertEquals("a", at("10.255.255.255"));
        assertEquals("a", at("10.0.0.0"));
    }

    @Test
    void insertionOrderDoesNotMatter() {
        add("10.1.2.3/32", "d");
        add("10.1.2.0/24", "c");
        add("10.0.0.0/8", "a");
        add("10.1.0.0/16", "b");
        assertEquals("a", at("10.200.0.1"));
        assertEquals("b", at("10.1.200.1"));
        assertEquals("c", at("10.1.2.4"));
        assertEquals("d", at("10.1.2.3"));
    }

    @Test
    void siblingsNeedAJunction() {
        add("192.168.1.0/24", "x");
        add("192.168.2.0/24", "y");
        add("192.168.3.128/25", "z");
        assertEquals("x", at("192.168.1.77"));
        assertEquals("y", at("192.168.2.77"));
        assertEquals("z", at("192.168.3.200"));
        assertNull(at("192.168.3.1"));
        assertNull(at("192.168.0.1"));
    }

    @Test
    void defaultRoutes() {
        add("0.0.0.0/0", "v4");
        add("::/0", "v6");
        add("10.0.0.0/8", "ten");
        assertEquals("v4", at("1.1.1.1"));
        assertEquals("v4", at("255.255.255.255"));
        assertEquals("ten", at("10.9.9.9"));
        assertEquals("v6", at("2001:db8::1"));
        assertEquals("v6", at("::"));
    }

    @Test
    void hostRoutes() {
        add("10.9.0.2/32", "h4");
        add("fd00::2/128", "h6");
        assertEquals("h4", at("10.9.0.2"));
        assertNull(at("10.9.0.3"));
        assertEquals("h6", at("fd00::2"));
        assertNull(at("fd00::3"));
        assertNull(at("fd00::"));
        add("fd00::/127", "net");
        assertEquals("h6", at("fd00::2"));
        assertEquals("net", at("fd00::1"));
        assertEquals("net", at("fd00::"));
    }

    @Test
    void ipv6LongestPrefixAcrossTheMiddleOfTheAddress() {
        add("2001:db8::/32", "a");
        add("2001:db8:0:1::/64", "b");
        add("2001:db8:0:1:8000::/65", "c");
        add("2001:db8:0:1:8000::1/128", "d");
        assertEquals("a", at("2001:db8:ffff::1"));
        assertEquals("b", at("2001:db8:0:1:7fff::1"));
        assertEquals("c", at("2001:db8:0:1:8000::2"));
        assertEquals("d", at("2001:db8:0:1:8000::1"));
        assertNull(at("2001:db9::"));
    }

    @Test
    void hostBitsAreMasked() {
        t.insert(ip("10.1.2.3"), 24, "a");
        assertEquals(List.of("10.1.2.0/24"), listOf("a"));
        assertEquals("a", at("10.1.2.250"));
        t.insert(ip("fd00::1234"), 64, "b");
        assertEquals(List.of("fd00::/64"), listOf("b"));
        assertEquals("b", t.owner(IpPrefix.parse("fd00::/64")));
        assertEquals("b", t.owner(IpPrefix.parse("fd00::99/64")));
    }

    @Test
    void samePrefixForAnotherPeerMovesIt() {
        add("10.0.0.0/24", "a");
        add("10.0.1.0/24", "a");
        add("10.0.0.0/24", "b");
        assertEquals("b", at("10.0.0.5"));
        assertEquals(List.of("10.0.1.0/24"), listOf("a"));
        assertEquals(List.of("10.0.0.0/24"), listOf("b"));
        assertEquals(2, t.size());
        add("10.0.0.7/24", "a"); // masked to the same prefix: moves back
        assertEquals(List.of("10.0.1.0/24", "10.0.0.0/24"), listOf("a"));
        assertEquals(List.of(), listOf("b"));
    }

    @Test
    void prefixesOfKeepsInsertionOrderAndReinsertMovesToTheEnd() {
        add("10.0.0.0/8", "a");
        add("fd00::/8", "a");
        add("192.168.0.0/16", "a");
        add("0.0.0.0/0", "b");
        assertEquals(List.of("10.0.0.0/8", "fd00::/8", "192.168.0.0/16"), listOf("a"));
        add("10.0.0.0/8", "a");
        assertEquals(List.of("fd00::/8", "192.168.0.0/16", "10.0.0.0/8"), listOf("a"));
        assertEquals(List.of("0.0.0.0/0"), listOf("b"));
    }

    @Test
    void removeByPeer() {
        add("10.0.0.0/8", "a");
        add("10.1.0.0/16", "b");
        add("10.1.1.0/24", "a");
        add("10.1.1.128/25", "b");
        add("fd00::/8", "a");
        t.removeByPeer("a");
        assertEquals(List.of(), t.prefixesOf("a"));
        assertNull(at("10.2.0.0"));
        assertEquals("b", at("10.1.1.1"));
        assertEquals("b", at("10.1.1.200"));
        assertNull(at("fd00::1"));
        assertEquals(2, t.size());
        t.removeByPeer("nobody");
        t.removeByPeer("b");
        assertNull(at("10.1.1.200"));
        assertEquals(0, t.size());
    }

    @Test
    void removeSingleOnlyForTheOwner() {
        add("10.0.0.0/8", "a");
        add("10.1.0.0/16", "b");
        assertFalse(t.remove(ip("10.1.0.0"), 16, "a"), "not a's");
        assertEquals("b", at("10.1.2.3"));
        assertFalse(t.remove(ip("10.1.0.0"), 17, "b"), "no such prefix");
        assertFalse(t.remove(ip("10.0.0.0"), 7, "a"), "no such prefix");
        assertTrue(t.remove(ip("10.1.99.99"), 16, "b"), "host bits are masked on remove too");
        assertEquals("a", at("10.1.2.3"), "falls back to the shorter prefix");
        assertEquals(List.of(), listOf("b"));
        assertFalse(t.remove(ip("10.1.0.0"), 16, "b"), "already gone");
        assertTrue(t.remove(IpPrefix.parse("10.0.0.0/8"), "a"));
        assertNull(at("10.1.2.3"));
    }

    @Test
    void removingAJunctionPrefixKeepsItsChildren() {
        add("10.0.0.0/16", "a");
        add("10.0.1.0/24", "b");
        add("10.0.2.0/24", "c");
        assertTrue(t.remove(IpPrefix.parse("10.0.0.0/16"), "a"));
        assertEquals("b", at("10.0.1.1"));
        assertEquals("c", at("10.0.2.1"));
        assertNull(at("10.0.3.1"));
        // a junction node (10.0.0.0/22) exists between b and c but owns nothing
        assertFalse(t.remove(IpPrefix.parse("10.0.0.0/22"), "b"));
        assertNull(t.owner(IpPrefix.parse("10.0.0.0/22")));
    }

    @Test
    void familiesAreIsolated() {
        add("0.0.0.0/0", "v4");
        assertNull(at("::"));
        assertNull(at("::ffff:10.0.0.1"), "IPv4-mapped IPv6 is IPv6");
        t.clear();
        add("::/0", "v6");
        assertNull(at("0.0.0.0"));
        add("::/96", "compat");
        assertNull(at("10.0.0.1"));
        assertEquals("compat", at("::10.0.0.1"));
    }

    @Test
    void clearEmptiesEverything() {
        add("10.0.0.0/8", "a");
        add("::/0", "b");
        t.clear();
        assertNull(at("10.0.0.1"));
        assertNull(at("::1"));
        assertEquals(List.of(), t.prefixesOf("a"));
        assertEquals(0, t.size());
    }

    @Test
    void argumentChecks() {
        assertThrows(IllegalArgumentException.class, () -> t.insert(new byte[5], 8, "a"));
        assertThrows(IllegalArgumentException.class, () -> t.insert(new byte[4], 33, "a"));
        assertThrows(IllegalArgumentException.class, () -> t.insert(new byte[16], 129, "a"));
        assertThrows(IllegalArgumentException.class, () -> t.insert(new byte[4], -1, "a"));
        assertThrows(NullPointerException.class, () -> t.insert(new byte[4], 0, null));
        assertThrows(IllegalArgumentException.class, () -> t.remove(new byte[3], 0, "a"));
    }

    @Test
    void lookupInBufferNeverThrows() {
        add("0.0.0.0/0", "v4");
        add("::/0", "v6");
        byte[] buf = new byte[20];
        assertEquals("v4", t.lookup(buf, 16, 4));
        assertEquals("v6", t.lookup(buf, 4, 16));
        assertNull(t.lookup(buf, 17, 4));
        assertNull(t.lookup(buf, 5, 16));
        assertNull(t.lookup(buf, -1, 4));
        assertNull(t.lookup(buf, 0, 5));
        assertNull(t.lookup(buf, 0, 0));
        assertNull(t.lookup(buf, 0, -4));
        assertNull(t.lookup(buf, Integer.MAX_VALUE, 4));
        assertNull(t.lookup(null, 0, 4));
        assertNull(t.lookup(null));
        assertNull(t.lookup(new byte[3]));
    }

    // ---- packet helpers ----

    private static byte[] ipv4Packet(String src, String dst, int pad) {
        byte[] p = new byte[pad + 28];
        p[pad] = 0x45;
        p[pad + 3] = 28;
        System.arraycopy(ip(src), 0, p, pad + 12, 4);
        System.arraycopy(ip(dst), 0, p, pad + 16, 4);
        return p;
    }

    private static byte[] ipv6Packet(String src, String dst, int pad) {
        byte[] p = new byte[pad + 48];
        p[pad] = 0x60;
        p[pad + 5] = 8;
        System.arraycopy(ip(src), 0, p, pad + 8, 16);
        System.arraycopy(ip(dst), 0, p, pad + 24, 16);
        return p;
    }

    @Test
    void routesPacketsByDestinationAndChecksSources() {
        add("10.9.0.1/32", "local");
        add("10.9.0.0/24", "peer");
        add("fd00::1/128", "local");
        add("fd00::/64", "peer");
        byte[] v4 = ipv4Packet("10.9.0.1", "10.9.0.2", 0);
        assertEquals("peer", t.lookupDestination(v4, 0, v4.length));
        assertEquals("local", t.lookupSource(v4, 0, v4.length));
        byte[] v6 = ipv6Packet("fd00::1", "fd00::2", 0);
        assertEquals("peer", t.lookupDestination(v6, 0, v6.length));
        assertEquals("local", t.lookupSource(v6, 0, v6.length));

        byte[] shifted = ipv4Packet("10.9.0.2", "10.9.0.1", 7);
        assertEquals("local", t.lookupDestination(shifted, 7, 28));
        assertEquals("peer", t.lookupSource(shifted, 7, 28));
        byte[] shifted6 = ipv6Packet("fd00::7", "fd00::1", 3);
        assertEquals("local", t.lookupDestination(shifted6, 3, 48));
        assertEquals("peer", t.lookupSource(shifted6, 3, 48));
    }

    @Test
    void malformedPacketsRouteNowhere() {
        add("0.0.0.0/0", "v4");
        add("::/0", "v6");
        byte[] v4 = ipv4Packet("1.1.1.1", "2.2.2.2", 0);
        assertEquals("v4", t.lookupDestination(v4, 0, 20), "a bare 20-byte header is enough");
        assertNull(t.lookupDestination(v4, 0, 19));
        assertNull(t.lookupSource(v4, 0, 19));
        byte[] v6 = ipv6Packet("::1", "::2", 0);
        assertEquals("v6", t.lookupDestination(v6, 0, 40));
        assertNull(t.lookupDestination(v6, 0, 39));
        assertNull(t.lookupSource(v6, 0, 39));
        byte[] v5 = v4.clone();
        v5[0] = 0x55;
        assertNull(t.lookupDestination(v5, 0, v5.length));
        byte[] v6in4 = v4.clone();
        v6in4[0] = 0x65; // claims IPv6 but only 28 bytes
        assertNull(t.lookupDestination(v6in4, 0, v6in4.length));
        assertNull(t.lookupDestination(v4, 0, 0));
        assertNull(t.lookupDestination(v4, 0, v4.length + 1));
        assertNull(t.lookupDestination(v4, -1, 20));
        assertNull(t.lookupDestination(v4, 10, 20));
        assertNull(t.lookupDestination(null, 0, 20));
        assertNull(t.lookupSource(v4, Integer.MAX_VALUE, 20));
    }

    @Test
    void lookupsStayConsistentWhileAnotherThreadMutates() throws Exception {
        AllowedIps<String> table = new AllowedIps<>();
        table.insert(IpPrefix.parse("10.0.0.0/8"), "stable");
        table.insert(IpPrefix.parse("fd00::/16"), "stable");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Thread reader = new Thread(() -> {
                try {
                    byte[] a4 = ip("10.200.0.1");
                    byte[] a6 = ip("fd00:ff::1");
                    for (int i = 0; i < 200_000; i++) {
                        String p4 = table.lookup(a4);
                        String p6 = table.lookup(a6);
                        // churn only ever adds/removes longer prefixes owned by "churn"
                        if (!("stable".equals(p4) || "churn".equals(p4)) || !("stable".equals(p6) || "churn".equals(p6))) {
                            throw new AssertionError("saw " + p4 + " / " + p6);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            readers.add(reader);
            reader.start();
        }
        for (int i = 0; i < 20_000; i++) {
            int b = i % 256;
            table.insert(new byte[] {10, (byte) b, 0, 0}, 16, "churn");
            table.insert(IpPrefix.parse("fd00:" + Integer.toHexString(b) + "::/32"), "churn");
            if (i % 3 == 0) {
                table.removeByPeer("churn");
            }
        }
        for (Thread reader : readers) {
            reader.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        table.removeByPeer("churn");
        assertEquals("stable", table.lookup(ip("10.200.0.1")));
        assertEquals(List.of("10.0.0.0/8", "fd00::/16"),
                table.prefixesOf("stable").stream().map(IpPrefix::toString).toList());
    }
}
