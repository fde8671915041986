package io.wirefx.engine;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.device.DropReason;
import io.wirefx.core.device.Keypair;
import io.wirefx.core.timers.Timings;
import io.wirefx.tun.memory.MemoryTun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.wirefx.engine.EnginePair.A4;
import static io.wirefx.engine.EnginePair.B4;
import static io.wirefx.engine.EnginePair.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keepalive, roaming, rebinding, rekey under load, handshake queue, shutdown. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EngineBehaviourTest {

    private static byte[] ping(String src, String dst, int seq) {
        return Packets.ipv4(src, dst, Packets.payload(3, seq, 64));
    }

    private static void exchange(EnginePair p, int seq) throws InterruptedException {
        byte[] ab = ping(A4, B4, seq);
        assertArrayEquals(ab, roundTrip(p.tunA, p.tunB, ab, 5000), "A -> B");
        byte[] ba = ping(B4, A4, seq);
        assertArrayEquals(ba, roundTrip(p.tunB, p.tunA, ba, 5000), "B -> A");
    }

    @Test
    void persistentKeepaliveIsSentAtOnceAndThenEverySecondOnTheWire() throws Exception {
        try (EnginePair p = EnginePair.start(EnginePair.options().seed(11));
             UdpRelay relay = new UdpRelay(p.loopback, p.a.listenPort(), p.b.listenPort())) {
            p.a.setEndpoint(p.keysB.publicKey(), relay.address());
            exchange(p, 1); // session through the relay
            long before = System.nanoTime();
            p.a.setPersistentKeepalive(p.keysB.publicKey(), 1);
            Thread.sleep(3200);
            List<UdpRelay.Seen> keepalives = relay.seen().stream()
                    .filter(s -> s.fromA() && s.type() == 4 && s.length() == 32 && s.nanos() > before).toList();
            // one at once (switching it on), then one per second of silence
            assertTrue(keepalives.size() >= 3, "keepalives from A: " + keepalives.size());
            assertTrue(keepalives.getFirst().nanos() - before < TimeUnit.MILLISECONDS.toNanos(500),
                    "the first keepalive goes out when the option is switched on");
            assertEquals(1, p.peerBOnA().persistentKeepalive());
        }
    }

    @Test
    void roamingPeerIsFollowedAfterItsNextAuthenticatedPacket() throws Exception {
        try (EnginePair p = EnginePair.start(EnginePair.options().seed(12))) {
            exchange(p, 1);
            int oldPort = p.b.listenPort();
            assertEquals(oldPort, p.peerBOnA().endpoint().getPort());
            int newPort = p.b.setListenPort(0);
            assertNotEquals(oldPort, newPort);
            assertEquals(newPort, p.b.listenPort());
            assertEquals(oldPort, p.peerBOnA().endpoint().getPort(), "nothing authenticated from the new port yet");
            byte[] fromB = ping(B4, A4, 2);
            assertArrayEquals(fromB, roundTrip(p.tunB, p.tunA, fromB, 5000));
            assertEquals(newPort, p.peerBOnA().endpoint().getPort(), "A follows B to its new port");
            byte[] fromA = ping(A4, B4, 3);
            assertArrayEquals(fromA, roundTrip(p.tunA, p.tunB, fromA, 5000), "A's replies reach B's new port");
        }
    }

    @Test
    void forgedPacketsFromAnotherPortDoNotMoveTheEndpoint() throws Exception {
        try (EnginePair p = EnginePair.start(EnginePair.options().seed(13));
             DatagramSocket other = new DatagramSocket(new InetSocketAddress(p.loopback, 0))) {
            exchange(p, 1);
            InetSocketAddress ep = p.peerBOnA().endpoint();
            byte[] forged = new byte[64];
            forged[0] = 4;
            Keypair kp = p.peerBOnA().currentKeypair();
            int idx = kp.localIndex();
            forged[4] = (byte) idx;
            forged[5] = (byte) (idx >>> 8);
            forged[6] = (byte) (idx >>> 16);
            forged[7] = (byte) (idx >>> 24);
            other.send(new DatagramPacket(forged, forged.length, new InetSocketAddress(p.loopback, p.a.listenPort())));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (p.a.stats().deviceDrops(DropReason.DECRYPTION_FAILED) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, p.a.stats().deviceDrops(DropReason.DECRYPTION_FAILED));
            assertEquals(ep, p.peerBOnA().endpoint());
        }
    }

    @Test
    void rebindingToATakenPortFailsAndKeepsTheOldBinding() throws Exception {
        try (EnginePair p = EnginePair.start(EnginePair.options().seed(14))) {
            int aPort = p.a.listenPort();
            int bPort = p.b.listenPort();
            assertThrows(java.net.BindException.class, () -> p.b.setListenPort(aPort));
            assertEquals(bPort, p.b.listenPort());
            assertEquals(bPort, p.b.setListenPort(bPort), "the bound port again: nothing to do");
            exchange(p, 1);
        }
    }

    @Test
    void keysRotateUnderLoadWithoutLosingAPacket() throws Exception {
        Timings fast = Timings.STANDARD.scaled(0.05); // rekey after 6 s, reject after 9 s
        try (EnginePair p = EnginePair.start(EnginePair.options().timings(fast).seed(15))) {
            exchange(p, 1);
            Set<Keypair> seenA = Collections.newSetFromMap(new IdentityHashMap<>());
            Set<Keypair> seenB = Collections.newSetFromMap(new IdentityHashMap<>());
            AtomicBoolean stop = new AtomicBoolean();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Thread watcher = Thread.ofPlatform().daemon().start(() -> {
                while (!stop.get()) {
                    Keypair ka = p.peerBOnA().currentKeypair();
                    Keypair kb = p.peerAOnB().currentKeypair();
                    if (ka != null) {
                        seenA.add(ka);
                    }
                    if (kb != null) {
                        seenB.add(kb);
                    }
                    // two rotations seen on both sides (three keypairs each), or give up at the deadline
                    if (seenA.size() >= 3 && seenB.size() >= 3 || System.nanoTime() > deadline) {
                        stop.set(true);
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            Traffic ab = Traffic.aToB(p);
            Traffic ba = Traffic.bToA(p);
            ba.firstFlow = 100;
            ab.window = ba.window = 256;
            Traffic.Result[] back = new Traffic.Result[1];
            Throwable[] backFailure = new Throwable[1];
            Thread reverse = Thread.ofPlatform().start(() -> {
                try {
                    back[0] = ba.run(Long.MAX_VALUE, stop::get);
                } catch (Throwable t) {
                    backFailure[0] = t;
                }
            });
            Traffic.Result forward = ab.run(Long.MAX_VALUE, stop::get);
            reverse.join();
            watcher.join();
            if (backFailure[0] != null) {
                throw new AssertionError("B -> A transfer failed", backFailure[0]);
            }
            // Traffic.run already failed if any packet was lost, corrupted or reordered
            assertArrayEquals(forward.sentCrc(), forward.receivedCrc());
            assertArrayEquals(back[0].sentCrc(), back[0].receivedCrc());
            assertTrue(seenA.size() >= 3, "A's keypairs: " + seenA.size());
            assertTrue(seenB.size() >= 3, "B's keypairs: " + seenB.size());
            assertTrue(forward.packets() > 1000 && back[0].packets() > 1000,
                    "traffic ran: " + forward.packets() + " / " + back[0].packets());
        }
    }

    @Test
    void fullHandshakeQueueDropsAndCounts() throws Exception {
        MemoryTun tun = new MemoryTun("hsq", 1420);
        Key priv = io.wirefx.core.crypto.KeyPair.generate(new java.util.Random(5)).privateKey();
        try (WireGuardEngine e = WireGuardEngine.builder(tun).privateKey(priv).handshakeQueueSize(1)
                .bindFactory(io.wirefx.engine.bind.NioUdpBind::open).build();
             DatagramSocket s = new DatagramSocket(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0))) {
            e.start();
            InetSocketAddress to = new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), e.listenPort());
            byte[] junk = new byte[148];
            junk[0] = 1;
            int sent = 3000;
            for (int i = 0; i < sent; i++) {
                junk[100] = (byte) i;
                s.send(new DatagramPacket(junk, junk.length, to));
            }
            // wait until the counters settle (the kernel may itself drop part of the burst if its buffer is small)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long last = -1;
            while (System.nanoTime() < deadline) {
                Thread.sleep(200);
                EngineStats st = e.stats();
                long msgs = st.get(EngineStats.Counter.HANDSHAKE_MESSAGES);
                if (msgs == last && msgs == st.deviceDrops(DropReason.BAD_MAC1)
                        + st.get(EngineStats.Counter.HANDSHAKE_QUEUE_DROPS)) {
                    break;
                }
                last = msgs;
            }
            EngineStats st = e.stats();
            assertTrue(st.get(EngineStats.Counter.HANDSHAKE_MESSAGES) > sent / 2, st.toString());
            // every queued message was processed (bad mac1) or dropped at the full queue, nothing else
            assertEquals(st.get(EngineStats.Counter.HANDSHAKE_MESSAGES),
                    st.deviceDrops(DropReason.BAD_MAC1) + st.get(EngineStats.Counter.HANDSHAKE_QUEUE_DROPS));
            assertTrue(st.get(EngineStats.Counter.HANDSHAKE_QUEUE_DROPS) > 0, "a queue of one overflows: " + st);
        }
    }

    @Test
    void closeNeverHangs() throws Exception {
        // during traffic, twice, before start, and after the TUN device vanished
        EnginePair p = EnginePair.start(EnginePair.options().seed(16));
        exchange(p, 1);
        AtomicBoolean stop = new AtomicBoolean();
        Thread flood = Thread.ofPlatform().daemon().start(() -> {
            int i = 0;
            while (!stop.get()) {
                p.tunA.inject(ping(A4, B4, i++));
                p.tunB.inject(ping(B4, A4, i++));
            }
        });
        Thread.sleep(300);
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
            p.close();
            p.close();
        });
        stop.set(true);
        flood.join();
        assertFalse(p.a.isRunning());
        assertFalse(p.tunA.isOpen(), "the engine owns and closes its TUN device");
        assertFalse(p.a.bind().isOpen());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertFalse(t.getName().startsWith("engine-A-") && t.isAlive(), "thread left over: " + t.getName());
        }

        WireGuardEngine neverStarted = WireGuardEngine.builder(new MemoryTun("x", 1420)).build();
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), neverStarted::close);
        assertThrows(IllegalStateException.class, neverStarted::start);

        MemoryTun vanishing = new MemoryTun("gone", 1420);
        WireGuardEngine e = WireGuardEngine.builder(vanishing).bindFactory(io.wirefx.engine.bind.NioUdpBind::open).build();
        e.start();
        vanishing.simulateRemoval();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (e.isRunning() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(e.isRunning(), "the engine stops when its TUN device goes away");
        e.terminated().get(5, TimeUnit.SECONDS);
        assertNotNull(e.bind());
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), e::close);
        assertFalse(e.bind().isOpen());
    }
}
