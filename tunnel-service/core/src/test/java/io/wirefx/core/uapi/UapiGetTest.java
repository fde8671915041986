package io.wirefx.core.uapi;

import io.wirefx.core.net.IpPrefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wirefx.core.crypto.Key;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UapiGetTest {
    /** The reply captured from wireguard-go (reference §7.2), byte for byte. */
    static final String CAPTURED = """
            private_key=202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e7f
            listen_port=51820
            public_key=8f40c5adb68f25624ae5b214ea767a6ec94d829d3d7b5e1ad1ba6f3e2138285f
            preshared_key=0000000000000000000000000000000000000000000000000000000000000000
            protocol_version=1
            endpoint=127.0.0.1:40001
            last_handshake_time_sec=1795631575
            last_handshake_time_nsec=333386091
            tx_bytes=276
            rx_bytes=220
            persistent_keepalive_interval=0
            allowed_ip=10.9.0.2/32
            errno=0

            """;
    static final String PRIVATE_HEX = "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e7f";
    static final String PEER_HEX = "8f40c5adb68f25624ae5b214ea767a6ec94d829d3d7b5e1ad1ba6f3e2138285f";

    @Test
    void capturedReplyFromEquivalentSnapshot() throws Exception {
        PeerState peer = new PeerState(Key.fromHex(PEER_HEX), Optional.empty(),
                Optional.of(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 40001)),
                0, 1795631575L, 333386091, 220, 276,
                List.of(IpPrefix.of(new byte[] {10, 9, 0, 2}, 32)));
        DeviceState state = new DeviceState(Optional.of(Key.fromHex(PRIVATE_HEX)), 51820, 0, List.of(peer));

        assertEquals(CAPTURED, UapiProtocol.formatGetReply(state));
    }

    @Test
    void capturedReplyAfterConfiguringThroughTheSession() {
        InMemoryUapiDevice device = new InMemoryUapiDevice();
        UapiSession session = new UapiSession(device);
        // The unclamped key 20..3f: clamping on set turns the last byte 3f into 7f, as in the capture.
        String set = """
                set=1
                private_key=202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
                listen_port=51820
                public_key=%s
                endpoint=127.0.0.1:40001
                allowed_ip=10.9.0.2/32

                """.formatted(PEER_HEX);
        assertEquals(List.of("errno=0\n\n"), feedText(session, set));

        InMemoryUapiDevice.Peer p = device.peers.get(Key.fromHex(PEER_HEX));
        p.handshakeSec = 1795631575L;
        p.handshakeNanos = 333386091;
        p.txBytes = 276;
        p.rxBytes = 220;

        assertEquals(List.of(CAPTURED), feedText(session, "get=1\n\n"));
        assertFalse(session.isClosed());
    }

    @Test
    void emptyDeviceRepliesOnlyErrno() {
        assertEquals(List.of("errno=0\n\n"), feedText(new UapiSession(new InMemoryUapiDevice()), "get=1\n\n"));
    }

    @Test
    void deviceKeysOnlyWhenSetAndFwmarkUnsigned() {
        DeviceState state = new DeviceState(Optional.of(Key.zero()), 0, 0xffff_fffe, List.of());
        assertEquals("fwmark=4294967294\nerrno=0\n\n", UapiProtocol.formatGetReply(state));
    }

    @Test
    void peerWithPskIpv6EndpointKeepaliveAndSeveralPrefixes() throws Exception {
        Key pub = Key.fromBytes(filled(0x11));
        Key psk = Key.fromBytes(filled(0xab));
        InetAddress v6 = InetAddress.getByName("2001:db8:0:0:1:0:0:1");
        PeerState peer = new PeerState(pub, Optional.of(psk), Optional.of(new InetSocketAddress(v6, 51820)), 25,
                0, 0, -1L, Long.MAX_VALUE,
                List.of(IpPrefix.parse("10.0.0.0/8"), IpPrefix.parse("fd00::/64"),
                        IpPrefix.parse("::ffff:192.0.2.0/120")));
        Key second = Key.fromBytes(filled(0x22));
        PeerState bare = new PeerState(second, Optional.empty(), Optional.empty(), 0, 0, 0, 0, 0, List.of());
        String reply = UapiProtocol.formatGetReply(new DeviceState(Optional.empty(), 1, 7, List.of(peer, bare)));

        assertEquals("listen_port=1\n"
                + "fwmark=7\n"
                + "public_key=" + "11".repeat(32) + "\n"
                + "preshared_key=" + "ab".repeat(32) + "\n"
                + "protocol_version=1\n"
                + "endpoint=[2001:db8::1:0:0:1]:51820\n"
                + "last_handshake_time_sec=0\n"
                + "last_handshake_time_nsec=0\n"
                + "tx_bytes=9223372036854775807\n"
                + "rx_bytes=18446744073709551615\n"
                + "persistent_keepalive_interval=25\n"
                + "allowed_ip=10.0.0.0/8\n"
                + "allowed_ip=fd00::/64\n"
                + "allowed_ip=::ffff:192.0.2.0/120\n"
                + "public_key=" + "22".repeat(32) + "\n"
                + "preshared_key=" + "00".repeat(32) + "\n"
                + "protocol_version=1\n"
                + "last_handshake_time_sec=0\n"
                + "last_handshake_time_nsec=0\n"
                + "tx_bytes=0\n"
                + "rx_bytes=0\n"
                + "persistent_keepalive_interval=0\n"
                + "errno=0\n\n", reply);
    }

    @Test
    void unresolvedEndpointIsLeftOut() {
        PeerState peer = new PeerState(Key.fromBytes(filled(1)), Optional.empty(),
                Optional.of(InetSocketAddress.createUnresolved("example.com", 1)), 0, 0, 0, 0, 0, List.of());
        String reply = UapiProtocol.formatGetReply(new DeviceState(Optional.empty(), 0, 0, List.of(peer)));
        assertFalse(reply.contains("endpoint="));
        assertTrue(reply.endsWith("persistent_keepalive_interval=0\nerrno=0\n\n"));
    }

    @Test
    void failingSnapshotGivesUnknownErrnoAndKeepsTheSession() {
        UapiDevice broken = new InMemoryUapiDevice() {
            @Override
            public DeviceState snapshot() {
                throw new IllegalStateException("boom");
            }
        };
        UapiSession session = new UapiSession(broken);
        assertEquals(List.of("errno=-55\n\n"), feedText(session, "get=1\n\n"));
        assertFalse(session.isClosed());
        assertTrue(session.lastError().orElseThrow().contains("IllegalStateException"));
    }

    static byte[] filled(int value) {
        byte[] b = new byte[32];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    /** Feeds text as raw bytes, as the server will. */
    static List<String> feedText(UapiSession session, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return session.feedBytes(bytes, 0, bytes.length);
    }
}
