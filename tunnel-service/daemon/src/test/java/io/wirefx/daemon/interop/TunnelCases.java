package io.wirefx.daemon.interop;

import io.wirefx.tun.linux.testing.NetNs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The interop cases, run for a pair of implementations: node 1 is always WireFX, node 2 is {@link #impl2()}. Each
 * test builds its own namespaces and daemons. Timeouts only guard against hangs; nothing asserts on speed.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class TunnelCases extends InteropFixture {

    /** The implementation of node 2. */
    abstract Impl impl2();

    /** The implementation of node 1 (WireFX, except when checking the harness itself). */
    Impl impl1() {
        return Impl.WIREFX;
    }

    /** Bytes of the TCP transfer in the default suite, each direction. */
    long defaultTransferBytes() {
        return 50L << 20;
    }

    /**
     * The node numbers for the tests where one node acts (initiates, moves); a subclass with the same implementation
     * on both ends hides this with a method returning only 1.
     */
    static IntStream roles() {
        return IntStream.of(1, 2);
    }

    void startPair() throws Exception {
        start(impl1(), impl2());
    }

    @ParameterizedTest(name = "node {0} initiates")
    @MethodSource("roles")
    void handshakeAndPingBothFamilies(int initiator) throws Exception {
        startPair();
        configure(Setup.onlyKnows(initiator));
        WgNode a = node(initiator);
        WgNode b = node(other(initiator));
        assertTrue(a.pingUntilReply(b.tunnel4(), 20_000), "no handshake/echo " + a + " -> " + b + logs());
        assertTrue(a.ping(b.tunnel4(), 5), "IPv4 ping " + a + " -> " + b + logs());
        assertTrue(a.ping(b.tunnel6(), 5), "IPv6 ping " + a + " -> " + b + logs());
        // The responder learned the endpoint from the handshake and now sends on its own.
        assertTrue(b.ping(a.tunnel4(), 5), "IPv4 ping " + b + " -> " + a + logs());
        assertTrue(b.ping(a.tunnel6(), 5), "IPv6 ping " + b + " -> " + a + logs());
        assertEquals(endpointOf(initiator, false), b.dumpOf(a).endpoint(), "endpoint learned by the responder");

        for (int i = 1; i <= 2; i++) {
            WgNode.PeerDump d = node(i).dumpOf(node(other(i)));
            assertTrue(d.latestHandshake() > 0, node(i) + " reports no handshake: " + d);
            assertTrue(d.rx() > 0 && d.tx() > 0, node(i) + " reports no transfer: " + d);
        }
        WgNode wirefx = node(1);
        String show = wirefx.wg("show", wirefx.name);
        WgNode peer = node(2);
        assertTrue(show.contains("interface: " + wirefx.name), show);
        assertTrue(show.contains("public key: " + wirefx.publicKey()), show);
        assertTrue(show.contains("listening port: " + port(1)), show);
        assertTrue(show.contains("peer: " + peer.publicKey()), show);
        assertTrue(show.contains(peer.tunnel4() + "/32") && show.contains(peer.tunnel6() + "/128"), show);
        assertTrue(Pattern.compile("latest handshake: .*ago").matcher(show).find(), show);
        assertTrue(Pattern.compile("transfer: [0-9.]+ \\w+ received, [0-9.]+ \\w+ sent").matcher(show).find(), show);
        assertTrue(wirefx.wg("show", "interfaces").contains(wirefx.name));
    }

    @Test
    void ipv6OuterEndpoint() throws Exception {
        startPair();
        configure(Setup.onlyKnows(1).ipv6());
        assertTrue(node(1).pingUntilReply(node(2).tunnel4(), 20_000), "no echo over the IPv6 endpoint" + logs());
        assertTrue(node(1).ping(node(2).tunnel6(), 5), logs());
        assertTrue(node(2).ping(node(1).tunnel4(), 5), logs());
        assertEquals(endpointOf(1, true), node(2).dumpOf(node(1)).endpoint());
        assertEquals(endpointOf(2, true), node(1).dumpOf(node(2)).endpoint());
    }

    @Test
    void presharedKey() throws Exception {
        startPair();
        Path psk = newPsk("shared");
        configure(Setup.onlyKnows(2).psk(psk, psk));
        assertTrue(node(2).pingUntilReply(node(1).tunnel4(), 20_000), "no echo with a PSK" + logs());
        assertTrue(node(1).ping(node(2).tunnel6(), 5), logs());
        String expected = Files.readString(psk).strip();
        assertEquals(expected, node(1).dumpOf(node(2)).presharedKey());
        assertEquals(expected, node(2).dumpOf(node(1)).presharedKey());
    }

    @Test
    void mismatchedPresharedKeysPreventTheHandshake() throws Exception {
        startPair();
        configure(Setup.both().psk(newPsk("one"), newPsk("two")));
        assertFalse(node(1).pingUntilReply(node(2).tunnel4(), 3_000), "a handshake with different PSKs" + logs());
        assertFalse(node(2).pingUntilReply(node(1).tunnel4(), 3_000), "a handshake with different PSKs" + logs());
        assertEquals(0, node(1).dumpOf(node(2)).latestHandshake());
        assertEquals(0, node(2).dumpOf(node(1)).latestHandshake());
    }

    @Test
    void tcpTransferKeepsItsChecksumBothWays() throws Exception {
        startPair();
        configure(Setup.both());
        assertTrue(node(1).pingUntilReply(node(2).tunnel4(), 20_000), logs());
        long bytes = defaultTransferBytes();
        transfer(1, 2, node(2).tunnel4(), bytes);
        transfer(2, 1, node(1).tunnel6(), bytes);
    }

    /** Sends {@code bytes} over TCP from node {@code from} to {@code address} of node {@code to}; checks SHA-256. */
    TcpTransfer.Result transfer(int from, int to, String address, long bytes) throws Exception {
        TcpTransfer.Result r = TcpTransfer.run(node(to).ns, address, 5201, node(from).ns, bytes, from * 31L + to);
        assertEquals(bytes, r.sentBytes(), logs());
        assertEquals(bytes, r.receivedBytes(), "bytes received by " + node(to) + logs());
        assertEquals(r.sentSha256(), r.receivedSha256(), "SHA-256 of the stream");
        System.out.printf("TCP %s -> %s (%s): %d MiB, %.0f Mbit/s%n", node(from), node(to), address, bytes >> 20,
                r.megabitsPerSecond());
        return r;
    }

    @Test
    void persistentKeepaliveIsSeenOnTheWire() throws Exception {
        startPair();
        configure(Setup.both());
        WgNode sender = node(1); // WireFX
        WgNode receiver = node(2);
        assertTrue(sender.pingUntilReply(receiver.tunnel4(), 20_000), logs());
        // Count keepalives arriving in the receiver's namespace: UDP from the sender's port with a 32-byte payload
        // (UDP length 40): an empty transport message. Data packets are at least 48 bytes of payload.
        NetNs ns = receiver.ns;
        ns.execChecked("nft", "add", "table", "inet", "wfxka");
        ns.execChecked("nft", "add", "chain", "inet", "wfxka", "in",
                "{ type filter hook input priority 0; policy accept; }");
        ns.execChecked("nft", "add", "rule", "inet", "wfxka", "in", "udp", "sport", Integer.toString(port(1)),
                "udp", "length", "40", "counter");
        long rx0 = receiver.dumpOf(sender).rx();
        long c0 = keepaliveCount(ns);
        sender.wg("set", sender.name, "peer", receiver.publicKey(), "persistent-keepalive", "1");
        Thread.sleep(4_500);
        long c1 = keepaliveCount(ns);
        long rx1 = receiver.dumpOf(sender).rx();
        assertTrue(c1 - c0 >= 3, "keepalives seen on the wire in 4.5 s: " + (c1 - c0) + logs());
        assertTrue(rx1 - rx0 >= 3 * 32, "receiver rx grew by " + (rx1 - rx0) + " bytes" + logs());
        assertEquals("1", sender.dumpOf(receiver).keepalive());
    }

    private static long keepaliveCount(NetNs ns) throws IOException {
        String out = ns.execChecked("nft", "list", "chain", "inet", "wfxka", "in");
        Matcher m = Pattern.compile("counter packets (\\d+) bytes").matcher(out);
        assertTrue(m.find(), out);
        return Long.parseLong(m.group(1));
    }

    @ParameterizedTest(name = "node {0} moves")
    @MethodSource("roles")
    void roamingToANewAddress(int roamer) throws Exception {
        startPair();
        configure(Setup.both());
        WgNode r = node(roamer);
        WgNode s = node(other(roamer));
        assertTrue(r.pingUntilReply(s.tunnel4(), 20_000), logs());
        String moved = net.roamToNewLink(roamer);
        assertTrue(r.pingUntilReply(s.tunnel4(), 10_000), "no echo after " + r + " moved" + logs());
        assertTrue(r.ping(s.tunnel6(), 5), logs());
        assertEquals(moved + ":" + port(roamer), s.dumpOf(r).endpoint(), s + " did not follow the move");
        assertTrue(s.ping(r.tunnel4(), 5), s + " cannot reach the moved peer" + logs());
    }

    @ParameterizedTest(name = "node {0} changes port")
    @MethodSource("roles")
    void roamingToANewListenPort(int roamer) throws Exception {
        startPair();
        configure(Setup.both());
        WgNode r = node(roamer);
        WgNode s = node(other(roamer));
        assertTrue(r.pingUntilReply(s.tunnel4(), 20_000), logs());
        int newPort = port(roamer) + 100;
        r.wg("set", r.name, "listen-port", Integer.toString(newPort));
        assertTrue(r.wg("show", r.name, "listen-port").strip().equals(Integer.toString(newPort)));
        assertTrue(r.pingUntilReply(s.tunnel4(), 10_000), "no echo after " + r + " rebound" + logs());
        assertEquals(TestNet.outer4(roamer) + ":" + newPort, s.dumpOf(r).endpoint(), s + " did not follow");
        assertTrue(s.ping(r.tunnel6(), 5), s + " cannot reach the rebound peer" + logs());
    }
}
