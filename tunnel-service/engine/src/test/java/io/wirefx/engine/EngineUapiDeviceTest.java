package io.wirefx.engine;

import io.wirefx.core.crypto.KeyPair;
import io.wirefx.core.uapi.UapiSession;
import io.wirefx.engine.bind.NioUdpBind;
import io.wirefx.tun.memory.MemoryTun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.wirefx.engine.EnginePair.A4;
import static io.wirefx.engine.EnginePair.B4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link EngineUapiDevice} through a real {@link UapiSession}: configure two engines the way {@code wg} does. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineUapiDeviceTest {
    private final Random rnd = new Random(77);
    private final KeyPair keysA = KeyPair.generate(rnd);
    private final KeyPair keysB = KeyPair.generate(rnd);
    private final byte[] psk = new byte[32];
    private final List<WireGuardEngine> engines = new ArrayList<>();

    @AfterEach
    void closeAll() {
        engines.forEach(WireGuardEngine::close);
    }

    private WireGuardEngine engine(MemoryTun tun) throws Exception {
        WireGuardEngine e = WireGuardEngine.builder(tun).random(new Random(rnd.nextLong()))
                .bindFactory(NioUdpBind::open).cryptoThreads(0).build();
        engines.add(e);
        e.start();
        return e;
    }

    /** Feeds {@code text} to a fresh session and returns the concatenated replies. */
    private static String uapi(EngineUapiDevice dev, String text) {
        UapiSession s = new UapiSession(dev);
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        StringBuilder sb = new StringBuilder();
        s.feedBytes(b, 0, b.length).forEach(sb::append);
        return sb.toString();
    }

    /** key=value lines of a get reply; repeated keys (allowed_ip) joined with commas. */
    private static Map<String, String> parse(String reply) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : reply.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] kv = line.split("=", 2);
            m.merge(kv[0], kv[1], (x, y) -> x + "," + y);
        }
        return m;
    }

    private String setText(KeyPair self, KeyPair peer, int listenPort, int peerPort, String allowed, int keepalive) {
        return "set=1\n"
                + "private_key=" + self.privateKey().toHex() + "\n"
                + "listen_port=" + listenPort + "\n"
                + "replace_peers=true\n"
                + "public_key=" + peer.publicKey().toHex() + "\n"
                + "preshared_key=" + io.wirefx.core.crypto.Key.fromBytes(psk).toHex() + "\n"
                + (peerPort > 0 ? "endpoint=127.0.0.1:" + peerPort + "\n" : "")
                + "persistent_keepalive_interval=" + keepalive + "\n"
                + "replace_allowed_ips=true\n"
                + "allowed_ip=" + allowed + "\n"
                + "allowed_ip=fd00::/64\n"
                + "\n";
    }

    @Test
    void setThenGetRoundTripsAndConfiguresAWorkingTunnel() throws Exception {
        for (int i = 0; i < 32; i++) {
            psk[i] = (byte) (0x40 + i);
        }
        MemoryTun tunA = new MemoryTun("ua", 1420);
        MemoryTun tunB = new MemoryTun("ub", 1420);
        WireGuardEngine a = engine(tunA);
        WireGuardEngine b = engine(tunB);
        EngineUapiDevice da = new EngineUapiDevice(a);
        EngineUapiDevice db = new EngineUapiDevice(b);

        // B: a "server" without endpoint; listen_port=0 rebinds to a random port that get must report
        assertEquals("errno=0\n\n", uapi(db, setText(keysB, keysA, 0, 0, A4 + "/32", 0)));
        int portB = b.listenPort();
        assertNotEquals(0, portB);
        // A: the "client"
        assertEquals("errno=0\n\n", uapi(da, setText(keysA, keysB, 0, portB, B4 + "/32", 0)));

        Map<String, String> got = parse(uapi(da, "get=1\n\n"));
        assertEquals(keysA.privateKey().toHex(), got.get("private_key"));
        assertEquals(String.valueOf(a.listenPort()), got.get("listen_port"));
        assertFalse(got.containsKey("fwmark"), "fwmark 0 is not reported");
        assertEquals(keysB.publicKey().toHex(), got.get("public_key"));
        assertEquals(io.wirefx.core.crypto.Key.fromBytes(psk).toHex(), got.get("preshared_key"));
        assertEquals("127.0.0.1:" + portB, got.get("endpoint"));
        assertEquals("0", got.get("persistent_keepalive_interval"));
        assertEquals(B4 + "/32,fd00::/64", got.get("allowed_ip"));
        assertEquals("0", got.get("last_handshake_time_sec"));
        assertEquals("0", got.get("errno"));

        // the tunnel works
        byte[] ping = Packets.ipv4(A4, B4, Packets.payload(1, 1, 80));
        assertArrayEquals(ping, EnginePair.roundTrip(tunA, tunB, ping, 5000));
        byte[] pong = Packets.ipv4(B4, A4, Packets.payload(1, 2, 80));
        assertArrayEquals(pong, EnginePair.roundTrip(tunB, tunA, pong, 5000));

        got = parse(uapi(da, "get=1\n\n"));
        long sec = Long.parseLong(got.get("last_handshake_time_sec"));
        long nowSec = System.currentTimeMillis() / 1000;
        assertTrue(Math.abs(nowSec - sec) <= 5, "handshake time " + sec + " vs now " + nowSec);
        assertTrue(Long.parseLong(got.get("tx_bytes")) >= 148 + 32, got.toString());
        assertTrue(Long.parseLong(got.get("rx_bytes")) >= 92, got.toString());
        Map<String, String> gotB = parse(uapi(db, "get=1\n\n"));
        assertEquals("127.0.0.1:" + a.listenPort(), gotB.get("endpoint"), "B learned A's endpoint");
    }

    @Test
    void listenPortAndFwmarkErrorsAreEaddrinuse() throws Exception {
        WireGuardEngine a = engine(new MemoryTun("ue", 1420));
        EngineUapiDevice da = new EngineUapiDevice(a);
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::"), 0))) {
            int before = a.listenPort();
            assertEquals("errno=-98\n\n", uapi(da, "set=1\nlisten_port=" + taken.getLocalPort() + "\n\n"));
            assertEquals(String.valueOf(before), parse(uapi(da, "get=1\n\n")).get("listen_port"));
        }
        // the portable bind has no SO_MARK
        assertEquals("errno=-98\n\n", uapi(da, "set=1\nfwmark=7\n\n"));
        assertEquals("errno=0\n\n", uapi(da, "set=1\nfwmark=0\n\n"));
    }

    @Test
    void switchingKeepaliveOnSendsOneAtOnce() throws Exception {
        MemoryTun tunA = new MemoryTun("ka", 1420);
        MemoryTun tunB = new MemoryTun("kb", 1420);
        WireGuardEngine a = engine(tunA);
        WireGuardEngine b = engine(tunB);
        EngineUapiDevice da = new EngineUapiDevice(a);
        EngineUapiDevice db = new EngineUapiDevice(b);
        assertEquals("errno=0\n\n", uapi(db, setText(keysB, keysA, 0, 0, A4 + "/32", 0)));
        // keepalive line before the endpoint line: sent when the peer block ends
        String text = "set=1\nprivate_key=" + keysA.privateKey().toHex() + "\npublic_key=" + keysB.publicKey().toHex()
                + "\npersistent_keepalive_interval=30\nendpoint=127.0.0.1:" + b.listenPort() + "\nallowed_ip=" + B4
                + "/32\n\n";
        assertEquals("errno=0\n\n", uapi(da, text));
        // A has no session: its keepalive starts a handshake, after which B has a session with A
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (b.peer(keysA.publicKey()).orElseThrow().lastHandshakeEpochNanos() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(b.peer(keysA.publicKey()).orElseThrow().lastHandshakeEpochNanos() > 0,
                "the keepalive sent on configuration reached B");
    }
}
