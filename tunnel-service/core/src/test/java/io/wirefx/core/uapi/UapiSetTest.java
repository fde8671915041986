package io.wirefx.core.uapi;

import io.wirefx.core.net.IpPrefix;
import static io.wirefx.core.uapi.UapiGetTest.feedText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wirefx.core.crypto.Key;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class UapiSetTest {
    static final String OK = "errno=0\n\n";
    static final String EINVAL = "errno=-22\n\n";

    static final String PRIV = "a8".repeat(31) + "4f"; // already clamped: a8 & f8 = a8, 4f stays 4f
    static final String P1 = "01".repeat(32);
    static final String P2 = "02".repeat(32);
    static final String P3 = "03".repeat(32);
    static final String PSK = "5a".repeat(32);

    final InMemoryUapiDevice device = new InMemoryUapiDevice();
    final UapiSession session = new UapiSession(device);

    List<String> run(String text) {
        return feedText(session, text);
    }

    static Key key(String hex) {
        return Key.fromHex(hex);
    }

    InMemoryUapiDevice.Peer peer(String hex) {
        return device.peers.get(key(hex));
    }

    List<String> allowed(String hex) {
        return peer(hex).allowedIps.stream().map(IpPrefix::toString).toList();
    }

    /** What wg setconf sends for a two-peer file (reference §7.2). */
    static String setconf() {
        return "set=1\n"
                + "private_key=" + PRIV + "\n"
                + "listen_port=51820\n"
                + "fwmark=0\n"
                + "replace_peers=true\n"
                + "public_key=" + P1 + "\n"
                + "preshared_key=" + PSK + "\n"
                + "endpoint=192.0.2.1:51820\n"
                + "persistent_keepalive_interval=25\n"
                + "replace_allowed_ips=true\n"
                + "allowed_ip=10.0.0.2/32\n"
                + "allowed_ip=fd00::2/128\n"
                + "public_key=" + P2 + "\n"
                + "endpoint=[2001:db8::1]:51821\n"
                + "replace_allowed_ips=true\n"
                + "allowed_ip=10.0.0.3/32\n"
                + "allowed_ip=0.0.0.0/0\n"
                + "\n";
    }

    @Test
    void setconfStreamIsApplied() throws Exception {
        // A stale peer that replace_peers must drop.
        run("set=1\npublic_key=" + P3 + "\nallowed_ip=10.0.0.3/32\n\n");
        device.calls.clear();

        assertEquals(List.of(OK), run(setconf()));

        assertEquals(Optional.of(key(PRIV)), device.privateKey);
        assertEquals(51820, device.listenPort);
        assertEquals(0, device.fwmark);
        assertEquals(List.of(key(P1), key(P2)), List.copyOf(device.peers.keySet()));
        assertEquals(Optional.of(key(PSK)), peer(P1).presharedKey);
        assertEquals(Optional.of(new InetSocketAddress("192.0.2.1", 51820)), peer(P1).endpoint);
        assertEquals(25, peer(P1).keepalive);
        assertEquals(List.of("10.0.0.2/32", "fd00::2/128"), allowed(P1));
        assertEquals(Optional.empty(), peer(P2).presharedKey);
        assertEquals("[2001:db8::1]:51821", UapiProtocol.formatEndpoint(peer(P2).endpoint.orElseThrow()).orElseThrow());
        assertEquals(List.of("10.0.0.3/32", "0.0.0.0/0"), allowed(P2));
        // Applied in order, one device call per line.
        assertEquals(List.of(
                "setPrivateKey set", "setListenPort 51820", "setFwmark 0", "removeAllPeers",
                "createPeer 01010101", "setPresharedKey 01010101 set", "setEndpoint 01010101 192.0.2.1:51820",
                "setPersistentKeepalive 01010101 25", "clearAllowedIps 01010101",
                "addAllowedIp 01010101 10.0.0.2/32", "addAllowedIp 01010101 fd00::2/128", "peerConfigured 01010101",
                "createPeer 02020202", "setEndpoint 02020202 [2001:db8::1]:51821", "clearAllowedIps 02020202",
                "addAllowedIp 02020202 10.0.0.3/32", "addAllowedIp 02020202 0.0.0.0/0", "peerConfigured 02020202"),
                device.calls);

        // And the state reads back as wg showconf would see it.
        String get = run("get=1\n\n").getFirst();
        assertTrue(get.startsWith("private_key=" + PRIV + "\nlisten_port=51820\npublic_key=" + P1 + "\npreshared_key="
                + PSK + "\nprotocol_version=1\nendpoint=192.0.2.1:51820\n"), get);
        assertTrue(get.endsWith("allowed_ip=10.0.0.3/32\nallowed_ip=0.0.0.0/0\nerrno=0\n\n"), get);
    }

    @Test
    void setconfTwiceIsIdempotent() {
        run(setconf());
        String first = run("get=1\n\n").getFirst();
        assertEquals(List.of(OK), run(setconf()));
        assertEquals(first, run("get=1\n\n").getFirst());
    }

    @Test
    void wgSetPartialUpdatesLeaveTheRestAlone() {
        run(setconf());
        // wg set wg0 listen-port 4000 peer P1 endpoint 198.51.100.7:1234 allowed-ips 10.1.0.0/16
        assertEquals(List.of(OK), run("set=1\nlisten_port=4000\npublic_key=" + P1
                + "\nendpoint=198.51.100.7:1234\nreplace_allowed_ips=true\nallowed_ip=10.1.0.0/16\n\n"));
        assertEquals(4000, device.listenPort);
        assertEquals(Optional.of(key(PRIV)), device.privateKey);
        assertEquals(Optional.of(key(PSK)), peer(P1).presharedKey);
        assertEquals(25, peer(P1).keepalive);
        assertEquals(Optional.of(new InetSocketAddress("198.51.100.7", 1234)), peer(P1).endpoint);
        assertEquals(List.of("10.1.0.0/16"), allowed(P1));
        assertEquals(List.of("10.0.0.3/32", "0.0.0.0/0"), allowed(P2));

        // wg set wg0 peer P2 preshared-key /dev/null persistent-keepalive off allowed-ips +10.9.0.0/24,-0.0.0.0/0
        assertEquals(List.of(OK), run("set=1\npublic_key=" + P2 + "\npreshared_key=" + "00".repeat(32)
                + "\npersistent_keepalive_interval=0\nallowed_ip=10.9.0.0/24\nallowed_ip=-0.0.0.0/0\n\n"));
        assertEquals(Optional.empty(), peer(P2).presharedKey);
        assertEquals(List.of("10.0.0.3/32", "10.9.0.0/24"), allowed(P2));
    }

    @Test
    void privateKeyIsClampedAndZeroRemovesIt() {
        run("set=1\nprivate_key=" + "ff".repeat(32) + "\n\n");
        assertEquals("f8" + "ff".repeat(30) + "7f", device.privateKey.orElseThrow().toHex());
        run("set=1\nprivate_key=" + "00".repeat(31) + "80\n\n"); // not zero: clamps to 00..40
        assertEquals("00".repeat(31) + "40", device.privateKey.orElseThrow().toHex());
        assertEquals(List.of(OK), run("set=1\nprivate_key=" + "00".repeat(32) + "\n\n"));
        assertEquals(Optional.empty(), device.privateKey);
    }

    @Test
    void uppercaseHexIsAccepted() {
        assertEquals(List.of(OK), run("set=1\npublic_key=" + "AB".repeat(32) + "\n\n"));
        assertTrue(device.hasPeer(Key.fromBytes(HexFormat.of().parseHex("ab".repeat(32)))));
    }

    @Test
    void ownPublicKeyIsIgnoredButItsLinesAreChecked() {
        run("set=1\nprivate_key=" + PRIV + "\n\n");
        String own = device.ownPublicKey().orElseThrow().toHex();
        device.calls.clear();
        assertEquals(List.of(OK), run("set=1\npublic_key=" + own + "\nendpoint=1.2.3.4:5\nallowed_ip=10.0.0.0/8\n\n"));
        assertTrue(device.peers.isEmpty());
        assertEquals(List.of(), device.calls);
        assertEquals(List.of(EINVAL), run("set=1\npublic_key=" + own + "\nendpoint=nonsense\n\n"));
    }

    @Test
    void updateOnlyUndoesACreatedPeerButUpdatesAnExistingOne() {
        assertEquals(List.of(OK), run("set=1\npublic_key=" + P1 + "\nupdate_only=true\nendpoint=1.2.3.4:5\n"
                + "allowed_ip=10.0.0.1/32\n\n"));
        assertTrue(device.peers.isEmpty());
        assertEquals(List.of("createPeer 01010101", "removePeer 01010101"), device.calls);

        run("set=1\npublic_key=" + P1 + "\n\n");
        assertEquals(List.of(OK), run("set=1\npublic_key=" + P1 + "\nupdate_only=true\nendpoint=1.2.3.4:5\n\n"));
        assertEquals(Optional.of(new InetSocketAddress("1.2.3.4", 5)), peer(P1).endpoint);
        assertEquals(List.of(EINVAL), run("set=1\npublic_key=" + P1 + "\nupdate_only=false\n\n"));
    }

    @Test
    void removeDeletesThePeerAndIgnoresTheRestOfItsBlock() {
        run(setconf());
        assertEquals(List.of(OK), run("set=1\npublic_key=" + P1 + "\nremove=true\nallowed_ip=10.5.0.0/16\n"
                + "public_key=" + P2 + "\nallowed_ip=10.6.0.0/16\n\n"));
        assertFalse(device.hasPeer(key(P1)));
        assertEquals(List.of("10.0.0.3/32", "0.0.0.0/0", "10.6.0.0/16"), allowed(P2));
        // Removing a peer that does not exist creates it first and removes it: no trace left.
        assertEquals(List.of(OK), run("set=1\npublic_key=" + P3 + "\nremove=true\n\n"));
        assertFalse(device.hasPeer(key(P3)));
        assertEquals(List.of(EINVAL), run("set=1\npublic_key=" + P2 + "\nremove=yes\n\n"));
        assertTrue(device.hasPeer(key(P2)));
    }

    @Test
    void replacePeersDropsOnlyThePeersBefore() {
        run(setconf());
        assertEquals(List.of(OK), run("set=1\nreplace_peers=true\npublic_key=" + P3 + "\n\n"));
        assertEquals(List.of(key(P3)), List.copyOf(device.peers.keySet()));
        assertEquals(List.of(EINVAL), run("set=1\nreplace_peers=false\n\n"));
        assertEquals(List.of(key(P3)), List.copyOf(device.peers.keySet()));
    }

    @Test
    void allowedIpsAreMaskedMovedBetweenPeersAndRemovedByMinusPrefix() {
        assertEquals(List.of(OK), run("set=1\npublic_key=" + P1 + "\nallowed_ip=10.1.2.3/16\nallowed_ip=fd00::1:2/112\n"
                + "allowed_ip=192.168.1.0/24\npublic_key=" + P2 + "\nallowed_ip=192.168.1.77/24\n\n"));
        assertEquals(List.of("10.1.0.0/16", "fd00::1:0/112"), allowed(P1));
        assertEquals(List.of("192.168.1.0/24"), allowed(P2));

        assertEquals(List.of(OK), run("set=1\npublic_key=" + P1 + "\nallowed_ip=-10.1.99.99/16\n"
                + "allowed_ip=-172.16.0.0/12\n\n"));
        assertEquals(List.of("fd00::1:0/112"), allowed(P1));
        assertEquals(List.of(EINVAL), run("set=1\npublic_key=" + P1 + "\nallowed_ip=--10.0.0.0/8\n\n"));
    }

    @Test
    void replaceAllowedIpsClearsBeforeTheLinesThatFollow() {
        run("set=1\npublic_key=" + P1 + "\nallowed_ip=10.0.0.1/32\nallowed_ip=10.0.0.2/32\n\n");
        run("set=1\npublic_key=" + P1 + "\nallowed_ip=10.0.0.3/32\nreplace_allowed_ips=true\nallowed_ip=10.0.0.4/32\n\n");
        assertEquals(List.of("10.0.0.4/32"), allowed(P1));
    }

    @Test
    void endpointsAreNumericOnly() {
        run("set=1\npublic_key=" + P1 + "\n\n");
        device.zones.put("eth0", 7);
        for (String ok : List.of("[::1]:0", "1.2.3.4:065535", "[fe80::1%3]:51820", "[fe80::1%eth0]:51820",
                "[::ffff:1.2.3.4]:9")) {
            assertEquals(List.of(OK), run("set=1\npublic_key=" + P1 + "\nendpoint=" + ok + "\n\n"), ok);
        }
        Inet6Address scoped = (Inet6Address) peer(P1).endpoint.orElseThrow().getAddress();
        assertEquals(16, scoped.getAddress().length); // IPv4-mapped stays IPv6
        for (String bad : List.of("example.com:51820", "localhost:1", "[1.2.3.4]:5", "::1:51820", "1.2.3.4",
                "1.2.3.4:65536", "1.2.3.4:-1", "1.2.3.4:+1", "01.2.3.4:5", "[fe80::1%wlan9]:1", "[fe80::1%]:1",
                "[::1]:", ":1", "[::1:1", "1.2.3.4:5 ", "")) {
            assertEquals(List.of(EINVAL), run("set=1\npublic_key=" + P1 + "\nendpoint=" + bad + "\n\n"), bad);
        }
        assertEquals("[::ffff:1.2.3.4]:9", UapiProtocol.formatEndpoint(peer(P1).endpoint.orElseThrow()).orElseThrow());
    }

    @Test
    void scopedEndpointReadsBackWithItsScope() {
        run("set=1\npublic_key=" + P1 + "\nendpoint=[fe80::1%3]:51820\n\n");
        assertTrue(run("get=1\n\n").getFirst().contains("\nendpoint=[fe80::1%3]:51820\n"));
    }

    static List<String> badDeviceLines() {
        return List.of("listen_port=abc", "listen_port=65536", "listen_port=-1", "listen_port=", "listen_port= 1",
                "fwmark=4294967296", "fwmark=0x10", "bogus_key=1", "=1", "private_key=0", "private_key=" + "0".repeat(63),
                "private_key=g" + "0".repeat(63), "private_key=" + PRIV + "00", "replace_peers=TRUE",
                "protocol_version=1", "Listen_Port=1");
    }

    @ParameterizedTest
    @MethodSource("badDeviceLines")
    void deviceLineErrorsAreEinval(String line) {
        assertEquals(List.of(EINVAL), run("set=1\n" + line + "\n\n"));
        assertFalse(session.isClosed());
        assertTrue(session.lastError().orElseThrow().startsWith("set line 1: "));
    }

    static List<String> badPeerLines() {
        return List.of("public_key=0", "public_key=xyz", "preshared_key=123", "preshared_key=" + PSK + " ",
                "persistent_keepalive_interval=65536", "persistent_keepalive_interval=1.5", "protocol_version=2",
                "protocol_version=", "allowed_ip=10.0.0.0/33", "allowed_ip=10.0.0.0", "allowed_ip=fe80::/129",
                "allowed_ip=fe80::1%eth0/64", "allowed_ip=10.0.0.0/08", "allowed_ip=example.com/32",
                "replace_allowed_ips=1", "listen_port=1", "private_key=" + P2, "fwmark=1", "replace_peers=true",
                "rx_bytes=1", "last_handshake_time_sec=0", "public_key=" + "0".repeat(63) + "\u0660",
                "preshared_key=" + "\uff10".repeat(64), "endpoint=\u0661.2.3.4:5");
    }

    @ParameterizedTest
    @MethodSource("badPeerLines")
    void peerLineErrorsAreEinval(String line) {
        // Line by line, so that non-Latin-1 characters reach the parser as they are.
        assertEquals(List.of(), session.feed("set=1"));
        assertEquals(List.of(), session.feed("public_key=" + P1));
        assertEquals(List.of(EINVAL), session.feed(line));
        assertEquals(List.of(), session.feed(""));
        assertTrue(session.isIdle());
    }

    @Test
    void lineWithoutEqualsIsEproto() {
        assertEquals(List.of("errno=-71\n\n"), run("set=1\nlisten_port\n\n"));
        assertEquals(List.of("errno=-71\n\n"), run("set=1\npublic_key=" + P1 + "\nhello world\n\n"));
        assertFalse(session.isClosed());
    }

    @Test
    void deviceErrnoIsPassedThroughAndEarlierLinesStayApplied() {
        device.failures.put("setListenPort", -98);
        assertEquals(List.of("errno=-98\n\n"), run("set=1\nprivate_key=" + PRIV + "\nlisten_port=53\nfwmark=5\n"
                + "public_key=" + P1 + "\n\n"));
        assertEquals(Optional.of(key(PRIV)), device.privateKey); // before the error: kept
        assertEquals(0, device.fwmark); // after: never applied
        assertTrue(device.peers.isEmpty());
        device.failures.clear();

        // A positive errno from a device is sent negated, as wireguard-go would.
        device.failures.put("setFwmark", 5);
        assertEquals(List.of("errno=-5\n\n"), run("set=1\nfwmark=1\n\n"));
    }

    @Test
    void deviceRuntimeFailureIsUnknownErrno() {
        UapiSession s = new UapiSession(new InMemoryUapiDevice() {
            @Override
            public void setFwmark(int mark) {
                throw new IllegalStateException("bug");
            }
        });
        assertEquals(List.of("errno=-55\n\n", "errno=0\n\n"), feedText(s, "set=1\nfwmark=1\n\nget=1\n\n"));
    }

    @Test
    void errorReplyComesAtOnceAndTheRestOfTheSetIsSkipped() {
        assertEquals(List.of(), run("set=1\npublic_key=" + P1 + "\n"));
        assertEquals(List.of(EINVAL), run("listen_port=1\n")); // device key after public_key
        assertEquals(List.of(), run("public_key=" + P2 + "\nno equals sign\nallowed_ip=10.0.0.0/8\n"));
        assertEquals(List.of(OK), run("\nset=1\npublic_key=" + P3 + "\n\n"));
        assertEquals(List.of(key(P1), key(P3)), List.copyOf(device.peers.keySet()));
    }

    @Test
    void severalOperationsOnOneSession() {
        List<String> replies = run(setconf() + "get=1\n\n" + "set=1\nlisten_port=x\n\n" + "set=1\nfwmark=9\n\n"
                + "get=1\n\n");
        assertEquals(5, replies.size());
        assertEquals(OK, replies.get(0));
        assertTrue(replies.get(1).startsWith("private_key=") && replies.get(1).endsWith(OK));
        assertEquals(EINVAL, replies.get(2));
        assertEquals(OK, replies.get(3));
        assertTrue(replies.get(4).contains("\nfwmark=9\npublic_key="));
        assertFalse(session.isClosed());
        assertTrue(session.isIdle());
    }

    @Test
    void unknownFirstLineCloses() {
        for (String first : List.of("hello", "get=2", "GET=1", "set=1 ", "get=1\r", "", "errno=0")) {
            UapiSession s = new UapiSession(new InMemoryUapiDevice());
            assertEquals(List.of(), feedText(s, first + "\nget=1\n\n"), first);
            assertTrue(s.isClosed(), first);
            assertEquals(List.of(), feedText(s, "get=1\n\n"));
        }
    }

    @Test
    void getWithTrailingCharacterIsEinvalAndTheRestIsTheNextOperation() {
        // wireguard-go reads one byte after "get=1\n"; "xget=1" leaves "get=1" as the next operation.
        assertEquals(List.of(EINVAL, OK), run("get=1\nxget=1\n\n"));
        assertFalse(session.isClosed());
        assertEquals(List.of(EINVAL), run("get=1\nfoo\n"));
        assertTrue(session.isClosed());
    }

    @Test
    void carriageReturnsInsideSetAreDropped() {
        assertEquals(List.of(OK), run("set=1\nlisten_port=7\r\n\r\n"));
        assertEquals(7, device.listenPort);
        // The operation line itself must be exact, as in wireguard-go.
        assertEquals(List.of(), run("set=1\r\n"));
        assertTrue(session.isClosed());
    }

    @Test
    void tooLongLineClosesTheSession() {
        String longValue = "1".repeat(UapiProtocol.MAX_LINE_LENGTH);
        assertEquals(List.of("errno=-5\n\n"), run("set=1\nlisten_port=" + longValue + "\n\n"));
        assertTrue(session.isClosed());

        UapiSession s = new UapiSession(new InMemoryUapiDevice());
        assertEquals(List.of(), s.feed("x".repeat(UapiProtocol.MAX_LINE_LENGTH + 1)));
        assertTrue(s.isClosed());

        // A line of exactly the limit is fine.
        UapiSession t = new UapiSession(new InMemoryUapiDevice());
        t.feed("set=1");
        assertEquals(List.of(EINVAL), t.feed("a=" + "b".repeat(UapiProtocol.MAX_LINE_LENGTH - 2)));
        assertFalse(t.isClosed());
    }

    @Test
    void endOfInputFinishesASetLikeWireguardGo() {
        assertEquals(List.of(), run("set=1\npublic_key=" + P1 + "\nendpoint=1.2.3.4:5"));
        assertEquals(List.of(OK), session.endOfInput());
        assertTrue(session.isClosed());
        assertEquals(Optional.of(new InetSocketAddress("1.2.3.4", 5)), peer(P1).endpoint);
        assertTrue(device.calls.contains("peerConfigured 01010101"));

        UapiSession idle = new UapiSession(new InMemoryUapiDevice());
        assertEquals(List.of(), idle.endOfInput());
        UapiSession midGet = new UapiSession(new InMemoryUapiDevice());
        feedText(midGet, "get=1\n");
        assertEquals(List.of(), midGet.endOfInput());
        UapiSession badGet = new UapiSession(new InMemoryUapiDevice());
        feedText(badGet, "get=1\nz");
        assertEquals(List.of(EINVAL), badGet.endOfInput());
    }

    @Test
    void feedAcceptsWholeLines() {
        assertEquals(List.of(), session.feed("set=1"));
        assertEquals(List.of(), session.feed("fwmark=4294967295"));
        assertEquals(List.of(OK), session.feed(""));
        assertEquals(-1, device.fwmark);
        assertEquals(List.of(), session.feed("get=1"));
        assertEquals(List.of("fwmark=4294967295\nerrno=0\n\n"), session.feed(""));
    }

    @Test
    void errorMessagesHoldNoKeyMaterial() {
        String secret = "c0ffee".repeat(10) + "abcd";
        run("set=1\nprivate_key=" + secret.substring(1) + "z\n\n");
        assertFalse(session.lastError().orElseThrow().contains("c0ffee"));
        run("set=1\n" + secret + "=1\n\n");
        assertFalse(session.lastError().orElseThrow().contains("c0ffee"));
        run("set=1\n" + secret + "\n\n");
        assertFalse(session.lastError().orElseThrow().contains("c0ffee"));
    }
}
