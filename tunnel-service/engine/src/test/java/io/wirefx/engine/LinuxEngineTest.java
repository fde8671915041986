package io.wirefx.engine;

import io.wirefx.core.config.Config;
import io.wirefx.core.uapi.UapiSession;
import io.wirefx.engine.bind.linux.LinuxUdpBind;
import io.wirefx.tun.memory.MemoryTun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static io.wirefx.engine.EnginePair.A4;
import static io.wirefx.engine.EnginePair.B4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The engine pair over the native bind: batching syscalls, IPv4 and IPv6 sockets, SO_MARK through UAPI. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinuxEngineTest {

    @BeforeAll
    static void available() {
        assumeTrue(LinuxUdpBind.isAvailable(), () -> "skipped: " + LinuxUdpBind.unavailabilityCause().orElse("?"));
    }

    private static EnginePair.Options linux(String loopback) {
        return EnginePair.options().bindFactory(LinuxUdpBind::open).loopback(loopback);
    }

    @Test
    void transferOverNativeBindIpv4AndIpv6() throws Exception {
        for (String lo : new String[]{"127.0.0.1", "::1"}) {
            try (EnginePair p = EnginePair.start(linux(lo).seed(21))) {
                byte[] ping = Packets.ipv4(A4, B4, Packets.payload(1, 1, 64));
                assertArrayEquals(ping, EnginePair.roundTrip(p.tunA, p.tunB, ping, 5000));
                Traffic.Result r = Traffic.aToB(p).run(8L << 20);
                assertArrayEquals(r.sentCrc(), r.receivedCrc());
                assertTrue(p.a.bind() instanceof LinuxUdpBind);
                // segmented sends reach a GRO socket on loopback as coalesced buffers: the receiver cut them up
                LinuxUdpBind sender = (LinuxUdpBind) p.a.bind();
                LinuxUdpBind receiver = (LinuxUdpBind) p.b.bind();
                if (sender.gsoMessages() > 0 && receiver.usesGro()) {
                    assertTrue(receiver.groMessages() > 0, "coalesced receives: " + receiver.groMessages());
                    assertTrue(receiver.groDatagrams() >= 2 * receiver.groMessages(), "datagrams cut out of them");
                }
            }
        }
    }

    @Test
    void fwmarkThroughUapiSetsSoMarkAndSurvivesARebind() throws Exception {
        try (EnginePair p = EnginePair.start(linux("127.0.0.1").seed(22))) {
            EngineUapiDevice dev = new EngineUapiDevice(p.a);
            byte[] set = "set=1\nfwmark=4660\n\n".getBytes(StandardCharsets.US_ASCII);
            String reply = String.join("", new UapiSession(dev).feedBytes(set, 0, set.length));
            assumeTrue(reply.endsWith("errno=0\n\n"), "skipped: SO_MARK needs CAP_NET_ADMIN (" + reply.trim() + ")");
            LinuxUdpBind bind = (LinuxUdpBind) p.a.bind();
            assertEquals(4660, bind.kernelFwmark(false));
            assertEquals(4660, bind.kernelFwmark(true));
            p.a.setListenPort(0);
            LinuxUdpBind rebound = (LinuxUdpBind) p.a.bind();
            assertTrue(rebound != bind);
            assertEquals(4660, rebound.kernelFwmark(false), "the mark is applied to the new sockets");
            String get = String.join("", new UapiSession(dev).feedBytes("get=1\n\n".getBytes(StandardCharsets.US_ASCII), 0, 7));
            assertTrue(get.contains("\nfwmark=4660\n") || get.startsWith("fwmark=4660\n"), get);
        }
    }

    @Test
    void applyConfigResolvesHostNamesOnceAndSyncsPeers() throws Exception {
        try (EnginePair p = EnginePair.start(linux("127.0.0.1").seed(23))) {
            byte[] ping = Packets.ipv4(A4, B4, Packets.payload(1, 1, 64));
            assertArrayEquals(ping, EnginePair.roundTrip(p.tunA, p.tunB, ping, 5000));
            var sessionBefore = p.peerBOnA().currentKeypair();
            io.wirefx.core.crypto.Key stranger = io.wirefx.core.crypto.KeyPair.generate(new java.util.Random(9)).publicKey();
            p.a.addPeer(stranger);
            String conf = """
                    [Interface]
                    PrivateKey = %s
                    MTU = 1400

                    [Peer]
                    PublicKey = %s
                    Endpoint = localhost:%d
                    AllowedIPs = 10.0.0.2/32, fd00::2/128, 192.168.77.0/24
                    PersistentKeepalive = 0
                    """.formatted(p.keysA.privateKey().toBase64(), p.keysB.publicKey().toBase64(), p.b.listenPort());
            int port = p.a.listenPort();
            p.a.applyConfig(Config.parse(conf));
            assertEquals(port, p.a.listenPort(), "no ListenPort: the binding stays");
            assertEquals(1400, p.a.mtu());
            assertEquals(1400, p.tunA.mtu());
            assertTrue(p.a.peer(stranger).isEmpty(), "peers not in the config are removed");
            assertEquals(3, p.a.allowedIps(p.keysB.publicKey()).size());
            assertTrue(p.peerBOnA().endpoint().getAddress().isLoopbackAddress(), "localhost resolved");
            assertEquals(p.b.listenPort(), p.peerBOnA().endpoint().getPort());
            assertTrue(p.peerBOnA().currentKeypair() == sessionBefore, "a synced peer keeps its session");
            byte[] again = Packets.ipv4(A4, B4, Packets.payload(1, 2, 64));
            assertArrayEquals(again, EnginePair.roundTrip(p.tunA, p.tunB, again, 5000));
            MemoryTun unused = p.tunB;
            assertTrue(unused.isOpen());
        }
    }
}
