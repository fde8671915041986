package io.wirefx.core.device;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batch path the engine runs, step by step: the same bytes and the same checks as the simple verbs. */
class FastPathTest {

    @Test
    void sealInStepsOpenInTwoPhases() {
        DevicePair p = new DevicePair(40);
        assertNull(p.peerBOnA.sendSession(p.now), "no session yet");
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        p.flush();
        Keypair kp = p.peerBOnA.sendSession(p.now);
        assertNotNull(kp);

        byte[] packet = Packets.ipv4("10.0.0.1", "10.0.0.2", 100, 3);
        byte[] buf = new byte[Device.sealedLength(packet.length, 1420)];
        System.arraycopy(packet, 0, buf, 16, packet.length);
        long counter = p.a.reserveCounter(kp);
        int n = p.a.sealTransport(kp, counter, buf, 0, packet.length, 1420);
        assertEquals(buf.length, n);
        long txBefore = p.peerBOnA.txBytes();
        assertTrue(p.peerBOnA.afterSend(kp, p.now, n).isEmpty(), "no rekey due");
        assertEquals(txBefore + n, p.peerBOnA.txBytes());

        Opening.Opened opened = assertInstanceOf(Opening.Opened.class, p.b.openTransport(buf, 0, n, p.now));
        TunnelResult r = p.b.completeTransport(opened, buf, 0, n, DevicePair.ADDR_A, p.now);
        TunnelResult.Deliver d = assertInstanceOf(TunnelResult.Deliver.class, r);
        assertArrayEquals(packet, Arrays.copyOfRange(d.packet(), d.offset(), d.offset() + d.length()));
        // a second completion of the same counter is a replay
        assertEquals(new TunnelResult.Drop(DropReason.REPLAYED_COUNTER),
                p.b.completeTransport(opened, buf, 0, n, DevicePair.ADDR_A, p.now));
        // garbage is dropped and counted, never thrown
        long malformed = p.b.dropCount(DropReason.MALFORMED);
        byte[] unknown = new byte[40];
        unknown[0] = 4; // a transport message to an index nobody holds
        assertEquals(new Opening.Dropped(DropReason.UNKNOWN_RECEIVER_INDEX), p.b.openTransport(unknown, 0, 40, p.now));
        assertEquals(new Opening.Dropped(DropReason.MALFORMED), p.b.openTransport(new byte[3], 0, 3, p.now));
        assertEquals(malformed + 1, p.b.dropCount(DropReason.MALFORMED));
    }

    @Test
    void stepsAndVerbsShareCountersSoTheyInterleave() {
        DevicePair p = new DevicePair(42);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        p.flush();
        Keypair kp = p.peerBOnA.sendSession(p.now);
        long first = p.a.reserveCounter(kp);
        // a datagram from the simple verb takes the next counter of the same session
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 20, 1));
        assertEquals(first + 2, p.a.reserveCounter(kp));
        kp.setSendCounter(io.wirefx.core.timers.Timings.REJECT_AFTER_MESSAGES);
        assertEquals(-1, p.a.reserveCounter(kp), "an exhausted session gives no counter");
        assertNull(p.peerBOnA.sendSession(p.now), "and is no longer offered for sending");
    }

    @Test
    void stagedPacketsForceTheSimpleVerb() {
        DevicePair p = new DevicePair(41);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        p.network.clear();
        assertNull(p.peerBOnA.sendSession(p.now));
        assertEquals(1, p.peerBOnA.stagedCount());
    }
}
