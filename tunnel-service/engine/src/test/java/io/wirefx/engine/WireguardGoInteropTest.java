package io.wirefx.engine;

import io.wirefx.core.crypto.KeyPair;
import io.wirefx.core.net.IpPrefix;
import io.wirefx.engine.bind.linux.LinuxUdpBind;
import io.wirefx.tun.linux.testing.NetNs;
import io.wirefx.tun.memory.MemoryTun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Live interop with the installed wireguard-go (reference §9.8), inside a throw-away network namespace: wireguard-go
 * serves {@code wgt…} (10.9.0.1, fd09::1) there, and the engine (MemoryTun side 10.9.0.2, fd09::2) binds its UDP
 * sockets in the same namespace. The namespace kernel answers our pings; our responder thread answers its pings.
 * Root only, skipped elsewhere.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireguardGoInteropTest {
    private static final String GO4 = "10.9.0.1";
    private static final String US4 = "10.9.0.2";
    private static final String GO6 = "fd09::1";
    private static final String US6 = "fd09::2";
    private static final int GO_PORT = 51820;

    private final KeyPair goKeys = KeyPair.generate(new Random(101));
    private final KeyPair ourKeys = KeyPair.generate(new Random(102));
    /** UAPI sockets live in /var/run/wireguard whatever the namespace: a unique name avoids clashes. */
    private final String ifname = NetNs.uniqueInterfaceName("wgt");
    private NetNs ns;
    private MemoryTun tun;
    private WireGuardEngine engine;

    @BeforeAll
    static void requirements() {
        assumeTrue(NetNs.unavailabilityCause().isEmpty(), () -> "skipped: " + NetNs.unavailabilityCause().orElse(""));
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/wireguard-go")), "skipped: wireguard-go is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/wg")), "skipped: wg is not installed");
        assumeTrue(LinuxUdpBind.isAvailable(), "skipped: native bind unavailable");
    }

    @BeforeEach
    void setUp() throws Exception {
        ns = NetNs.create("wfxeng-");
        ns.ip("link", "set", "lo", "up");
        NetNs.ExecResult r = ns.exec("env", "LOG_LEVEL=silent", "wireguard-go", ifname);
        assumeTrue(r.exitCode() == 0, () -> "skipped: wireguard-go did not start: " + r.output());
        Path key = Files.createTempFile("wfx-go", ".key");
        try {
            Files.writeString(key, goKeys.privateKey().toBase64() + "\n");
            ns.execChecked("wg", "set", ifname, "listen-port", String.valueOf(GO_PORT), "private-key", key.toString(),
                    "peer", ourKeys.publicKey().toBase64(), "allowed-ips", US4 + "/32," + US6 + "/128");
        } finally {
            Files.delete(key);
        }
        ns.ip("addr", "add", GO4 + "/24", "dev", ifname);
        ns.ip("-6", "addr", "add", GO6 + "/64", "dev", ifname, "nodad");
        ns.ip("link", "set", ifname, "up");

        tun = new MemoryTun("interop", 1420);
        engine = WireGuardEngine.builder(tun).privateKey(ourKeys.privateKey()).bindFactory(LinuxUdpBind::open)
                .random(new Random(103)).build();
        engine.addPeer(goKeys.publicKey());
        engine.addAllowedIp(goKeys.publicKey(), IpPrefix.parse(GO4 + "/32"));
        engine.addAllowedIp(goKeys.publicKey(), IpPrefix.parse(GO6 + "/128"));
        // the bind's sockets must live in the namespace: start from its thread
        ns.runInside(() -> {
            engine.start();
            return null;
        });
    }

    @AfterEach
    void tearDown() throws IOException {
        if (engine != null) {
            engine.close();
        }
        if (ns != null) {
            ns.ipResult("link", "del", ifname); // wireguard-go exits when its interface goes away
            ns.close();
        }
    }

    @Test
    void weInitiateAndTheNamespaceAnswersOurPingsOverIpv4AndIpv6() throws Exception {
        engine.setEndpoint(goKeys.publicKey(), new InetSocketAddress(InetAddress.getLoopbackAddress(), GO_PORT));
        byte[] data = Packets.payload(5, 1, 56);
        for (int seq = 1; seq <= 3; seq++) {
            byte[] req = Icmp.echoRequest4(US4, GO4, 0x77, seq, data);
            assertTrue(tun.inject(req));
            byte[] reply = tun.takeWritten(5, TimeUnit.SECONDS);
            assertNotNull(reply, "no IPv4 echo reply through wireguard-go");
            assertEquals(0, Icmp.type(reply));
            assertArrayEquals(java.util.Arrays.copyOfRange(req, 28, req.length),
                    java.util.Arrays.copyOfRange(reply, 28, reply.length), "id, seq and data echoed");

            byte[] req6 = Icmp.echoRequest6(US6, GO6, 0x77, seq, data);
            assertTrue(tun.inject(req6));
            byte[] reply6 = tun.takeWritten(5, TimeUnit.SECONDS);
            assertNotNull(reply6, "no IPv6 echo reply through wireguard-go");
            assertEquals(129, Icmp.type(reply6));
        }
        assertTrue(engine.peer(goKeys.publicKey()).orElseThrow().currentKeypair().isInitiator());
        String show = ns.execChecked("wg", "show", ifname, "latest-handshakes");
        assertTrue(show.contains(ourKeys.publicKey().toBase64()), show);
        assertTrue(!show.strip().endsWith("\t0"), "wireguard-go saw a handshake: " + show);
    }

    @Test
    void wireguardGoInitiatesAndItsPingsAreAnswered() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread responder = Thread.ofPlatform().daemon().start(() -> {
            while (!stop.get()) {
                try {
                    byte[] p = tun.takeWritten(100, TimeUnit.MILLISECONDS);
                    if (p != null && (Icmp.type(p) == 8 || Icmp.type(p) == 128)) {
                        tun.inject(Icmp.echoReplyTo(p));
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            ns.execChecked("wg", "set", ifname, "peer", ourKeys.publicKey().toBase64(), "endpoint",
                    "127.0.0.1:" + engine.listenPort());
            NetNs.ExecResult ping = ns.exec("ping", "-c", "3", "-i", "0.2", "-W", "3", US4);
            assertEquals(0, ping.exitCode(), ping.output());
            NetNs.ExecResult ping6 = ns.exec("ping", "-6", "-c", "3", "-i", "0.2", "-W", "3", US6);
            assertEquals(0, ping6.exitCode(), ping6.output());
            assertTrue(!engine.peer(goKeys.publicKey()).orElseThrow().currentKeypair().isInitiator(),
                    "wireguard-go initiated");
            assertEquals(GO_PORT, engine.peer(goKeys.publicKey()).orElseThrow().endpoint().getPort(),
                    "endpoint learned from the initiation");
        } finally {
            stop.set(true);
            responder.join(2000);
        }
    }

    /** Pings GO4 once; returns the reply or null after {@code millis}. */
    private byte[] pingOnce(int seq, long millis) throws InterruptedException {
        tun.inject(Icmp.echoRequest4(US4, GO4, 0x78, seq, Packets.payload(9, seq, 56)));
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            byte[] p = tun.takeWritten(50, TimeUnit.MILLISECONDS);
            if (p != null && Icmp.type(p) == 0) {
                return p;
            }
        }
        return null;
    }

    @Test
    void afterOurPrivateKeyChangesTheNextPacketHandshakesUnderTheNewIdentityAtOnce() throws Exception {
        engine.setEndpoint(goKeys.publicKey(), new InetSocketAddress(InetAddress.getLoopbackAddress(), GO_PORT));
        assertNotNull(pingOnce(1, 5000), "first ping");
        KeyPair newKeys = KeyPair.generate(new Random(104));
        ns.execChecked("wg", "set", ifname, "peer", ourKeys.publicKey().toBase64(), "remove",
                "peer", newKeys.publicKey().toBase64(), "allowed-ips", US4 + "/32," + US6 + "/128");
        engine.setPrivateKey(newKeys.privateKey());

        long t0 = System.nanoTime();
        assertNotNull(pingOnce(2, 3000), "no reply under the new identity within 3 s (REKEY_TIMEOUT not reset?)");
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(millis < 3000, millis + " ms");
        String show = ns.execChecked("wg", "show", ifname, "latest-handshakes");
        assertTrue(show.contains(newKeys.publicKey().toBase64()) && !show.strip().endsWith("\t0"), show);
    }

    @Test
    void afterOurPrivateKeyChangesTrafficNoLongerFlowsUnderTheOldIdentity() throws Exception {
        engine.setEndpoint(goKeys.publicKey(), new InetSocketAddress(InetAddress.getLoopbackAddress(), GO_PORT));
        assertNotNull(pingOnce(1, 5000), "first ping");
        engine.setPrivateKey(KeyPair.generate(new Random(105)).privateKey());
        // wireguard-go still only knows the old key: the new identity's initiation is refused, and the old session
        // must not carry the ping any more
        assertEquals(null, pingOnce(2, 2000), "a reply came back on the old session");
    }
}
