package io.wirefx.core.device;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.timers.Timings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static io.wirefx.core.device.DevicePair.seconds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two in-memory devices complete handshakes and carry data both ways (reference §2, §4.3, §6). */
class TwoDeviceTest {

    private static Key psk() {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 0x42);
        return Key.fromBytes(k);
    }

    @ParameterizedTest(name = "psk={0}")
    @ValueSource(booleans = {false, true})
    void handshakeThenDataBothWays(boolean withPsk) {
        DevicePair p = new DevicePair(1, withPsk ? psk() : null, Timings.STANDARD);
        byte[] ping = Packets.ipv4("10.0.0.1", "10.0.0.2", 64, 1);

        // The first packet is staged and triggers an initiation.
        TunnelResult r = p.sendFromA(ping);
        TunnelResult.Send s = assertInstanceOf(TunnelResult.Send.class, r);
        assertEquals(1, s.datagrams().size());
        assertEquals(148, s.datagrams().getFirst().data().length);
        assertEquals(1, p.peerBOnA.stagedCount());

        p.flush(); // initiation → response → staged data (confirms keys) → delivered
        assertEquals(1, p.deliveredToB.size());
        assertArrayEquals(ping, p.deliveredToB.getFirst());
        assertEquals(0, p.peerBOnA.stagedCount());

        // B learned A's endpoint from the handshake and can answer on the confirmed keys.
        assertEquals(DevicePair.ADDR_A, p.peerAOnB.endpoint());
        byte[] pong = Packets.ipv6("fd00::2", "fd00::1", 100, 7);
        TunnelResult back = p.sendFromB(pong);
        assertInstanceOf(TunnelResult.Send.class, back);
        p.flush();
        assertEquals(1, p.deliveredToA.size());
        assertArrayEquals(pong, p.deliveredToA.getFirst());

        assertTrue(p.peerBOnA.lastHandshakeEpochNanos() > 0);
        assertTrue(p.peerAOnB.lastHandshakeEpochNanos() > 0);
        // tx/rx count UDP payload bytes, handshakes included
        assertEquals(p.peerBOnA.txBytes(), p.peerAOnB.rxBytes());
        assertEquals(p.peerAOnB.txBytes(), p.peerBOnA.rxBytes());
    }

    @Test
    void mismatchedPresharedKeysNeverDeliver() {
        DevicePair p = new DevicePair(2, psk(), Timings.STANDARD);
        p.peerAOnB.setPresharedKey(null);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        p.flush();
        assertTrue(p.deliveredToB.isEmpty());
        assertEquals(1, p.a.dropCount(DropReason.HANDSHAKE_DECRYPTION_FAILED));
    }

    @Test
    void responderWaitsForTheInitiatorToConfirmTheKeys() {
        DevicePair p = new DevicePair(3);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        // deliver only the initiation to B
        p.deliver(p.network.removeFirst());
        assertNull(p.peerAOnB.currentKeypair(), "responder has only a `next` keypair");
        assertNotNull(p.peerAOnB.nextKeypair());
        // B has data for A now: no usable keypair, and the 5 s rule blocks its own initiation (it just responded)
        TunnelResult r = p.sendFromB(Packets.ipv4("10.0.0.2", "10.0.0.1", 10, 0));
        assertEquals(TunnelResult.Done.NOTHING, r);
        assertEquals(1, p.peerAOnB.stagedCount());
        p.flush(); // response → A's staged packet → B rotates next→current and flushes its staged packet
        assertNotNull(p.peerAOnB.currentKeypair());
        assertEquals(1, p.deliveredToA.size());
        assertEquals(1, p.deliveredToB.size());
    }

    @Test
    void crossedInitiationsStillConverge() {
        DevicePair p = new DevicePair(4);
        p.peerAOnB.setEndpoint(DevicePair.ADDR_A);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 1));
        p.sendFromB(Packets.ipv4("10.0.0.2", "10.0.0.1", 10, 2));
        p.flush();
        // Both responses are dropped (each side answered the other's initiation); the jittered retransmits
        // de-synchronize the two sides and one handshake wins.
        for (int i = 0; i < 3000 && (p.deliveredToA.isEmpty() || p.deliveredToB.isEmpty()); i++) {
            p.advance(seconds(0.01));
            p.flush();
        }
        assertEquals(1, p.deliveredToA.size());
        assertEquals(1, p.deliveredToB.size());
        // further traffic flows both ways with no new handshake needed
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 3));
        p.sendFromB(Packets.ipv4("10.0.0.2", "10.0.0.1", 10, 4));
        p.flush();
        assertEquals(2, p.deliveredToA.size());
        assertEquals(2, p.deliveredToB.size());
    }

    @Test
    void replayedAndForgedTransportIsDropped() {
        DevicePair p = new DevicePair(5);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        p.flush();
        TunnelResult.Send s = (TunnelResult.Send) p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 30, 9));
        byte[] wire = s.datagrams().getFirst().data();
        p.network.clear();

        byte[] first = wire.clone();
        assertInstanceOf(TunnelResult.Deliver.class, p.b.decapsulate(first, DevicePair.ADDR_A, p.now));
        assertEquals(new TunnelResult.Drop(DropReason.REPLAYED_COUNTER), p.b.decapsulate(wire.clone(), DevicePair.ADDR_A, p.now));

        for (int pos : new int[]{4, 8, 16, 30, wire.length - 1}) {
            byte[] forged = wire.clone();
            forged[pos] ^= 0x10;
            TunnelResult r = p.b.decapsulate(forged, DevicePair.ADDR_A, p.now);
            assertInstanceOf(TunnelResult.Drop.class, r, "flip at " + pos);
        }
        assertTrue(p.b.dropCount(DropReason.DECRYPTION_FAILED) >= 3);
    }

    @Test
    void replayedInitiationIsRejectedAndFloodLimited() {
        DevicePair p = new DevicePair(6);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        byte[] initiation = p.network.getFirst().datagram().data().clone();
        p.flush();
        TunnelResult r = p.b.decapsulate(initiation.clone(), DevicePair.ADDR_A, p.now + seconds(1));
        assertEquals(new TunnelResult.Drop(DropReason.REPLAYED_TIMESTAMP), r);
        // a replay does not move the endpoint either
        p.b.decapsulate(initiation.clone(), DevicePair.socket("198.51.100.9", 9999), p.now + seconds(1));
        assertEquals(DevicePair.ADDR_A, p.peerAOnB.endpoint());
    }

    @Test
    void initiationsCloserThan20msAreDropped() {
        DevicePair p = new DevicePair(7);
        // Two genuine initiations 10 ms apart (the 5 s send limit is bypassed by two different wall-clock seconds).
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        byte[] first = p.network.removeFirst().datagram().data();
        p.a.setWallClock(1_800_000_000_000_000_000L, p.now);
        p.now += seconds(6);
        p.advance(0);
        byte[] second = p.network.removeLast().datagram().data();
        assertEquals(148, second.length);
        long t = p.now;
        assertInstanceOf(TunnelResult.Send.class, p.b.decapsulate(first, DevicePair.ADDR_A, t));
        assertEquals(new TunnelResult.Drop(DropReason.INITIATION_FLOOD), p.b.decapsulate(second.clone(), DevicePair.ADDR_A, t + 10_000_000L));
        // the flood rule did not burn the timestamp: later it is accepted
        assertInstanceOf(TunnelResult.Send.class, p.b.decapsulate(second, DevicePair.ADDR_A, t + 30_000_000L));
    }

    @Test
    void innerSourceMustBelongToThePeer() {
        DevicePair p = new DevicePair(8);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        p.flush();
        p.deliveredToB.clear();
        p.sendFromA(Packets.ipv4("10.9.9.9", "10.0.0.2", 10, 0)); // spoofed source
        List<TunnelResult> rs = p.flush();
        assertEquals(new TunnelResult.Drop(DropReason.SOURCE_NOT_ALLOWED), rs.getFirst());
        assertTrue(p.deliveredToB.isEmpty());
    }

    @Test
    void noRouteIsDropped() {
        DevicePair p = new DevicePair(9);
        assertEquals(new TunnelResult.Drop(DropReason.NO_ROUTE), p.sendFromA(Packets.ipv4("10.0.0.1", "10.7.7.7", 10, 0)));
        assertEquals(new TunnelResult.Drop(DropReason.NO_ROUTE), p.a.encapsulate(new byte[]{0x45}, p.now));
        assertEquals(new TunnelResult.Drop(DropReason.NO_ROUTE), p.a.encapsulate(new byte[0], p.now));
    }

    @Test
    void authenticatedPacketsFromANewAddressRoamTheEndpoint() {
        DevicePair p = new DevicePair(10);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        p.flush();
        var moved = DevicePair.socket("203.0.113.5", 4444);
        TunnelResult.Send s = (TunnelResult.Send) p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        byte[] wire = s.datagrams().getFirst().data();
        p.network.clear();

        byte[] forged = wire.clone();
        forged[20] ^= 1;
        p.b.decapsulate(forged, moved, p.now);
        assertEquals(DevicePair.ADDR_A, p.peerAOnB.endpoint(), "a forged packet does not roam");

        assertInstanceOf(TunnelResult.Deliver.class, p.b.decapsulate(wire.clone(), moved, p.now));
        assertEquals(moved, p.peerAOnB.endpoint());
        p.b.decapsulate(wire, DevicePair.socket("203.0.113.6", 5555), p.now);
        assertEquals(moved, p.peerAOnB.endpoint(), "a replayed packet does not roam");
    }

    @Test
    void garbageNeverThrowsAndIsCounted() {
        DevicePair p = new DevicePair(11);
        java.util.Random r = new java.util.Random(11);
        for (int i = 0; i < 5000; i++) {
            byte[] junk = new byte[r.nextInt(200)];
            r.nextBytes(junk);
            if (junk.length > 0) {
                junk[0] = (byte) (1 + r.nextInt(4));
                for (int k = 1; k < Math.min(4, junk.length); k++) {
                    junk[k] = 0;
                }
            }
            assertInstanceOf(TunnelResult.Drop.class, p.b.decapsulate(junk, DevicePair.ADDR_A, p.now));
            assertNotNull(p.a.encapsulate(junk, p.now));
        }
    }

    @Test
    void removingAPeerForgetsItsRoutesAndKeys() {
        DevicePair p = new DevicePair(12);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        p.flush();
        Keypair kp = p.peerBOnA.currentKeypair();
        assertTrue(p.a.removePeer(p.keysB.publicKey()));
        assertTrue(kp.isDestroyed());
        assertNull(p.a.allowedIps().lookupDestination(Packets.ipv4("10.0.0.1", "10.0.0.2", 0, 0), 0, 20));
        assertEquals(new TunnelResult.Drop(DropReason.NO_ROUTE), p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0)));
        assertSame(null, p.a.peer(p.keysB.publicKey()));
    }
}
