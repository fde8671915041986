package io.wirefx.core.device;

import io.wirefx.core.message.TransportHeader;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The engine's lock-free path gives the same bytes and the same checks as the simple verbs. */
class FastPathTest {

    @Test
    void sealOnTheFastPathOpenInTwoPhases() {
        DevicePair p = new DevicePair(40);
        assertNull(p.peerBOnA.fastSendKeypair(p.now), "no session yet");
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        p.flush();
        Keypair kp = p.peerBOnA.fastSendKeypair(p.now);
        assertNotNull(kp);

        byte[] packet = Packets.ipv4("10.0.0.1", "10.0.0.2", 100, 3);
        byte[] buf = new byte[16 + 128 + 16];
        System.arraycopy(packet, 0, buf, 16, packet.length);
        long counter = kp.nextCounter();
        int n = kp.seal(counter, buf, 0, packet.length, TransportHeader.paddedLength(packet.length, 1420));
        p.peerBOnA.afterFastSend(kp, p.now, true, n);

        int[] plain = new int[1];
        Keypair rk = p.b.openTransport(buf, 0, n, p.now, plain);
        assertNotNull(rk);
        TunnelResult r = p.b.completeTransport(rk, buf, 0, n, plain[0], DevicePair.ADDR_A, p.now);
        TunnelResult.Deliver d = assertInstanceOf(TunnelResult.Deliver.class, r);
        assertArrayEquals(packet, Arrays.copyOfRange(d.packet(), d.offset(), d.offset() + d.length()));
        // a second completion of the same counter is a replay
        assertEquals(new TunnelResult.Drop(DropReason.REPLAYED_COUNTER),
                p.b.completeTransport(rk, buf, 0, n, plain[0], DevicePair.ADDR_A, p.now));
        // garbage is dropped and counted, never thrown
        assertNull(p.b.openTransport(new byte[40], 0, 40, p.now, plain));
        assertNull(p.b.openTransport(new byte[3], 0, 3, p.now, plain));
    }

    @Test
    void stagedPacketsForceTheSlowPath() {
        DevicePair p = new DevicePair(41);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        p.network.clear();
        assertNull(p.peerBOnA.fastSendKeypair(p.now));
        assertEquals(1, p.peerBOnA.stagedCount());
    }
}
