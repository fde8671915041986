package io.wirefx.core.device;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.crypto.KeyPair;
import io.wirefx.core.message.MessageType;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.wirefx.core.device.DevicePair.seconds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Changing the interface's private key expires every peer's sessions for sending and opens the handshake rate
 * limit, as the kernel does: the next packet starts a handshake under the new identity at once.
 */
class PrivateKeyChangeTest {

    private static DevicePair established() {
        DevicePair p = new DevicePair(7);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 64, 1));
        p.flush();
        assertEquals(1, p.deliveredToB.size());
        assertNotNull(p.peerBOnA.currentKeypair());
        return p;
    }

    @Test
    void theNextPacketStartsAHandshakeAtOnceUnderTheNewKey() {
        DevicePair p = established();
        p.advance(seconds(1)); // well inside REKEY_TIMEOUT of the first initiation
        KeyPair fresh = KeyPair.generate(new Random(99));
        p.a.setPrivateKey(fresh.privateKey());

        TunnelResult r = p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 64, 2));
        TunnelResult.Send s = assertInstanceOf(TunnelResult.Send.class, r, "an initiation, not transport data");
        assertEquals(1, s.datagrams().size());
        assertEquals(MessageType.INITIATION, MessageType.typeOf(s.datagrams().getFirst().data(), 0, 148));
        assertEquals(1, p.peerBOnA.stagedCount());

        // B only knows A's old key: the initiation is refused, and nothing reaches B's TUN any more.
        p.flush();
        assertEquals(1, p.deliveredToB.size());

        // B learns the new key: the next retry completes and the staged packet arrives.
        p.b.removePeer(p.keysA.publicKey());
        Peer newA = p.b.addPeer(fresh.publicKey());
        p.b.allowedIps().insert(Packets.addr("10.0.0.1"), 32, newA);
        p.advance(seconds(5.5));
        p.flush();
        assertEquals(2, p.deliveredToB.size());
        assertArrayEquals(Packets.ipv4("10.0.0.1", "10.0.0.2", 64, 2), p.deliveredToB.get(1));
    }

    @Test
    void packetsAlreadySentOnTheOldSessionAreStillAccepted() {
        DevicePair p = established();
        p.sendFromB(Packets.ipv4("10.0.0.2", "10.0.0.1", 80, 3));
        assertEquals(1, p.network.size());
        p.a.setPrivateKey(KeyPair.generate(new Random(5)).privateKey());
        p.flush();
        assertEquals(1, p.deliveredToA.size(), "in-flight transport data from the peer still decrypts");
    }

    @Test
    void settingTheSameKeyAgainKeepsTheSessions() {
        DevicePair p = established();
        Key same = p.keysA.privateKey();
        p.a.setPrivateKey(same);
        TunnelResult r = p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 64, 4));
        TunnelResult.Send s = assertInstanceOf(TunnelResult.Send.class, r);
        assertEquals(MessageType.TRANSPORT, MessageType.typeOf(s.datagrams().getFirst().data(), 0, 32));
    }

    @Test
    void removingTheKeyStopsSendingOnTheOldSessions() {
        DevicePair p = established();
        p.a.setPrivateKey(null);
        TunnelResult r = p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 64, 5));
        assertTrue(r instanceof TunnelResult.Drop || r instanceof TunnelResult.Done, "nothing sent: " + r);
        assertTrue(p.network.isEmpty());
    }
}
