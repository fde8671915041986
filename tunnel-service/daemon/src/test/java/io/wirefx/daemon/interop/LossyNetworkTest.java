package io.wirefx.daemon.interop;

import io.wirefx.core.crypto.KeyPair;
import io.wirefx.core.device.DropReason;
import io.wirefx.core.net.IpPrefix;
import io.wirefx.core.timers.Timings;
import io.wirefx.engine.EngineStats;
import io.wirefx.engine.WireGuardEngine;
import io.wirefx.tun.linux.LinuxTunDriver;
import io.wirefx.tun.TunDevice;
import io.wirefx.tun.linux.testing.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A lossy, reordering network (docs/security.md, test 3): two WireFX engines on real TUN interfaces in two namespaces,
 * joined through a {@link LossyRelay} that drops 5 %, duplicates 1 % and reorders 5 % of the datagrams and delays all.
 * A TCP transfer runs across several rekeys and arrives with equal SHA-256 at both ends; every duplicated transport
 * message is dropped as a replay (and counted), and reordered ones are accepted (no more replay drops than
 * duplicates). The protocol timers are scaled by 0.025 (rekey after 3 s instead of 120 s), so a transfer of 10 to
 * 30 s crosses three to ten rekeys instead of needing five minutes or more. Heavy profile only.
 */
@Tag("heavy")
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LossyNetworkTest {
    private static final double TIMER_SCALE = 0.025;
    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

    @AfterEach
    void tearDown() throws Exception {
        while (!cleanup.isEmpty()) {
            cleanup.pop().close();
        }
    }

    private WireGuardEngine engine(NetNs ns, int i, KeyPair own, KeyPair peer) throws Exception {
        String name = NetNs.uniqueInterfaceName("wfl");
        TunDevice tun = ns.runInside(() -> new LinuxTunDriver().open(name, 1420));
        cleanup.push(tun::close);
        ns.ip("addr", "add", "10.99.0." + i + "/24", "dev", name);
        ns.ip("link", "set", name, "up");
        WireGuardEngine e = WireGuardEngine.builder(tun).privateKey(own.privateKey())
                .timings(Timings.STANDARD.scaled(TIMER_SCALE)).listenPort(InteropFixture.port(i))
                .threadNamePrefix("lossy-" + i + "-").build();
        e.addPeer(peer.publicKey());
        e.addAllowedIp(peer.publicKey(), IpPrefix.parse("10.99.0." + (3 - i) + "/32"));
        ns.runInside(() -> {
            e.start();
            return null;
        });
        cleanup.push(e::close);
        return e;
    }

    @Test
    void aTcpTransferAcrossRekeysSurvivesLossDuplicationAndReordering() throws Exception {
        Interop.assumeAvailable();
        assumeTrue(new LinuxTunDriver().isAvailable(), "skipped: no TUN");
        TestNet net = TestNet.create();
        cleanup.push(net);
        SecureRandom rng = new SecureRandom();
        KeyPair k1 = KeyPair.generate(rng);
        KeyPair k2 = KeyPair.generate(rng);
        WireGuardEngine e1 = engine(net.ns(1), 1, k1, k2);
        WireGuardEngine e2 = engine(net.ns(2), 2, k2, k1);
        LossyRelay relay = net.ns(1).runInside(() -> new LossyRelay(TestNet.outer4(1),
                new InetSocketAddress(TestNet.outer4(1), InteropFixture.port(1)),
                new InetSocketAddress(TestNet.outer4(2), InteropFixture.port(2)), 0.05, 0.01, 0.05, 42));
        cleanup.push(relay);
        e1.setEndpoint(k2.publicKey(), relay.forA());
        e2.setEndpoint(k1.publicKey(), relay.forB());

        TcpTransfer.Result r = TcpTransfer.run(net.ns(2), "10.99.0.2", 5201, net.ns(1), 320L << 20, 7);
        EngineStats s1 = e1.stats();
        EngineStats s2 = e2.stats();
        long replays = s1.deviceDrops(DropReason.REPLAYED_COUNTER) + s2.deviceDrops(DropReason.REPLAYED_COUNTER);
        String report = String.format(java.util.Locale.ROOT,
                "lossy transfer: %d MiB in %.1f s (%.1f Mbit/s); relay forwarded %d, dropped %d, reordered %d, "
                        + "duplicated %d transport; initiations %d; replay drops %d",
                r.receivedBytes() >> 20, r.nanos() / 1e9, r.megabitsPerSecond(), relay.forwarded.get(),
                relay.dropped.get(), relay.reordered.get(), relay.duplicatedTransport.get(), relay.initiations.get(),
                replays);
        System.out.println(report);

        assertEquals(r.sentBytes(), r.receivedBytes(), report);
        assertEquals(r.sentSha256(), r.receivedSha256(), report);
        long rekeys = (long) (r.nanos() / (Timings.STANDARD.rekeyAfterTime() * TIMER_SCALE));
        assertTrue(rekeys >= 2, "the transfer crossed fewer than two rekey periods: " + report);
        assertTrue(relay.initiations.get() >= 3, "handshakes during the transfer: " + report);
        assertTrue(replays > 0 && replays <= relay.duplicatedTransport.get(),
                "duplicates dropped as replays, reordered packets accepted: " + report);
        assertEquals(0, s1.get(EngineStats.Counter.INTERNAL_ERRORS) + s2.get(EngineStats.Counter.INTERNAL_ERRORS));
    }
}
