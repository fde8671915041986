package io.wirefx.engine;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.device.DropReason;
import io.wirefx.core.device.Keypair;
import io.wirefx.tun.memory.MemoryTun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.wirefx.engine.EnginePair.A4;
import static io.wirefx.engine.EnginePair.A6;
import static io.wirefx.engine.EnginePair.B4;
import static io.wirefx.engine.EnginePair.B6;
import static io.wirefx.engine.EnginePair.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two engines over real loopback UDP with in-memory TUN devices. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineTest {

    private static byte[] v4(String src, String dst, int seq) {
        return Packets.ipv4(src, dst, Packets.payload(9, seq, 100));
    }

    private static byte[] v6(String src, String dst, int seq) {
        return Packets.ipv6(src, dst, Packets.payload(9, seq, 100));
    }

    /** Ping-like exchange in both directions with IPv4 and IPv6 inner packets. */
    private static void pingBothWays(EnginePair p, boolean aFirst) throws InterruptedException {
        int seq = 0;
        for (int round = 0; round < 3; round++) {
            for (boolean fromA : aFirst ? new boolean[]{true, false} : new boolean[]{false, true}) {
                MemoryTun from = fromA ? p.tunA : p.tunB;
                MemoryTun to = fromA ? p.tunB : p.tunA;
                byte[] four = fromA ? v4(A4, B4, seq++) : v4(B4, A4, seq++);
                assertArrayEquals(four, roundTrip(from, to, four, 5000), "IPv4 inner, round " + round);
                byte[] six = fromA ? v6(A6, B6, seq++) : v6(B6, A6, seq++);
                assertArrayEquals(six, roundTrip(from, to, six, 5000), "IPv6 inner, round " + round);
            }
        }
    }

    @Test
    void handshakeInitiatedByAOverIpv4Loopback() throws Exception {
        try (EnginePair p = EnginePair.start()) {
            pingBothWays(p, true);
            Keypair ka = p.peerBOnA().currentKeypair();
            assertNotNull(ka);
            assertTrue(ka.isInitiator(), "A started the handshake");
            assertTrue(p.peerAOnB().lastHandshakeEpochNanos() > 0);
            assertEquals(p.b.listenPort(), p.peerBOnA().endpoint().getPort());
            assertTrue(p.a.stats().get(EngineStats.Counter.FAST_PATH_PACKETS) > 0, "the fast path was used");
        }
    }

    @Test
    void smallBatchesAlsoWorkThroughTheStageThreadsWithoutInlining() throws Exception {
        EnginePair.Options o = EnginePair.options().seed(8).cryptoThreads(2);
        o.inlineWhenIdle = false;
        try (EnginePair p = EnginePair.start(o)) {
            pingBothWays(p, true);
            Traffic.Result r = Traffic.aToB(p).run(4L << 20);
            assertArrayEquals(r.sentCrc(), r.receivedCrc());
        }
    }

    @Test
    void handshakeInitiatedByBOverIpv6Loopback() throws Exception {
        try (EnginePair p = EnginePair.start(EnginePair.options().loopback("::1").seed(2))) {
            pingBothWays(p, false);
            assertTrue(p.peerAOnB().currentKeypair().isInitiator(), "B started the handshake");
            assertEquals("::1", p.peerBOnA().endpoint().getAddress().getHostAddress().replace("0:0:0:0:0:0:0:1", "::1"));
        }
    }

    @Test
    void responderWithoutEndpointLearnsItFromTheHandshake() throws Exception {
        // like a server: B knows no endpoint for A until A's initiation arrives
        try (EnginePair p = EnginePair.start(EnginePair.options().endpoints(true, false).seed(3))) {
            assertNull(p.peerAOnB().endpoint());
            byte[] ping = v4(A4, B4, 1);
            assertArrayEquals(ping, roundTrip(p.tunA, p.tunB, ping, 5000));
            assertEquals(p.a.listenPort(), p.peerAOnB().endpoint().getPort());
            byte[] pong = v4(B4, A4, 2);
            assertArrayEquals(pong, roundTrip(p.tunB, p.tunA, pong, 5000));
        }
    }

    @Test
    void presharedKeyOnBothSidesWorks() throws Exception {
        Key psk = Key.fromBytes(new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
            21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
        try (EnginePair p = EnginePair.start(EnginePair.options().psk(psk).seed(4))) {
            pingBothWays(p, true);
            assertEquals(psk, p.peerBOnA().presharedKey());
        }
    }

    @Test
    void mismatchedPresharedKeyNeverDelivers() throws Exception {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 7);
        try (EnginePair p = EnginePair.start(EnginePair.options().seed(5))) {
            p.a.setPresharedKey(p.keysB.publicKey(), Key.fromBytes(k));
            byte[] ping = v4(A4, B4, 1);
            assertNull(roundTrip(p.tunA, p.tunB, ping, 1500), "no session without the same PSK");
            // the initiator cannot open the response: it is counted, not thrown
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (p.a.stats().deviceDrops(DropReason.HANDSHAKE_DECRYPTION_FAILED) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(p.a.stats().deviceDrops(DropReason.HANDSHAKE_DECRYPTION_FAILED) > 0);
            assertNull(p.peerBOnA().currentKeypair());
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"127.0.0.1", "::1"})
    void bulkTransferOf50MegabytesArrivesIntactAndInOrder(String loopback) throws Exception {
        try (EnginePair p = EnginePair.start(EnginePair.options().loopback(loopback).seed(6))) {
            pingBothWays(p, true);
            Traffic t = Traffic.aToB(p);
            Traffic.Result r = t.run(50L << 20);
            assertTrue(r.payloadBytes() >= 50L << 20, "moved " + r.payloadBytes());
            assertArrayEquals(r.sentCrc(), r.receivedCrc(), "per-flow CRC32");
            assertEquals(0, p.b.stats().get(EngineStats.Counter.TUN_WRITE_DROPS));
            System.out.printf("bulk A->B over " + loopback + ": %d packets, %.0f Mbit/s (not asserted)%n", r.packets(), r.mbitPerSecond());
        }
    }

    @Test
    void garbageDatagramsAreDroppedAndCountedWhileTheEngineKeepsWorking() throws Exception {
        try (EnginePair p = EnginePair.start(EnginePair.options().seed(7));
             java.net.DatagramSocket junk = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            pingBothWays(p, true);
            EngineStats before = p.b.stats();
            java.net.InetSocketAddress target = new java.net.InetSocketAddress(p.loopback, p.b.listenPort());
            Random r = new Random(42);
            int sent = 0;
            for (int i = 0; i < 300; i++) {
                int kind = i % 6;
                int len = switch (kind) {
                    case 0 -> r.nextInt(4);         // too short for a type
                    case 1 -> 148;                  // initiation-sized
                    case 2 -> 92;                   // response-sized
                    case 3 -> 64;                   // cookie-reply-sized
                    case 4 -> 32 + r.nextInt(1400); // transport-sized
                    default -> 1 + r.nextInt(1500); // anything
                };
                byte[] b = new byte[len];
                r.nextBytes(b);
                if (len >= 4 && kind >= 1 && kind <= 4) {
                    b[0] = (byte) kind;
                    b[1] = b[2] = b[3] = 0;
                }
                junk.send(new java.net.DatagramPacket(b, b.length, target));
                sent++;
                if (sent % 25 == 0) {
                    Thread.sleep(2); // stay far below the socket buffer, whatever net.core.rmem_max is
                }
            }
            // everything shows up as a drop somewhere: malformed, bad mac1, unknown index, ...
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long dropped;
            do {
                Thread.sleep(20);
                EngineStats now = p.b.stats();
                dropped = now.totalDeviceDrops() - before.totalDeviceDrops()
                        + now.get(EngineStats.Counter.HANDSHAKE_QUEUE_DROPS) - before.get(EngineStats.Counter.HANDSHAKE_QUEUE_DROPS);
            } while (dropped < sent && System.nanoTime() < deadline);
            assertEquals(sent, dropped, "every junk datagram dropped and counted: " + p.b.stats());
            EngineStats after = p.b.stats();
            assertTrue(after.deviceDrops(DropReason.MALFORMED) > before.deviceDrops(DropReason.MALFORMED));
            assertTrue(after.deviceDrops(DropReason.BAD_MAC1) > before.deviceDrops(DropReason.BAD_MAC1));
            assertTrue(after.deviceDrops(DropReason.UNKNOWN_RECEIVER_INDEX) > before.deviceDrops(DropReason.UNKNOWN_RECEIVER_INDEX));
            assertEquals(0, after.get(EngineStats.Counter.INTERNAL_ERRORS));
            assertTrue(p.b.isRunning());
            pingBothWays(p, false);
        }
    }
}
