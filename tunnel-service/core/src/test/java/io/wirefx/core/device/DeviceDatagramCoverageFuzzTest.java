package io.wirefx.core.device;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wirefx.core.crypto.KeyPair;
import io.wirefx.core.message.MessageType;
import io.wirefx.core.noise.CookieGenerator;

import java.net.InetSocketAddress;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Coverage-guided fuzzing of {@link Device#decapsulate} (Jazzer; docs/security.md): a pair of devices is brought to
 * one handshake state, then one of them is fed up to four datagrams from an attacker address. The fuzzer's bytes are
 * taken as they are or shaped so that they get past the cheap checks: an initiation or response with a valid mac1 for
 * the victim's key, a response naming the victim's pending handshake, a transport message or cookie reply naming a
 * live index. Whatever arrives, nothing is delivered, no exception surfaces (the device counts a caught one as
 * {@link DropReason#INTERNAL_ERROR}, which is a finding too) and an established session still carries data.
 */
class DeviceDatagramCoverageFuzzTest {
    private static final InetSocketAddress ATTACKER = DevicePair.socket("198.51.100.9", 40000);

    enum State { FRESH, INITIATION_SENT, ESTABLISHED, UNDER_LOAD, AFTER_KEY_CHANGE }

    enum Shape { RAW, INITIATION_MAC1, RESPONSE_MAC1, RESPONSE_TO_PENDING, TRANSPORT_TO_LIVE_INDEX, COOKIE_TO_LIVE_INDEX }

    @FuzzTest(maxDuration = "3m")
    void datagramsInEveryHandshakeState(FuzzedDataProvider data) {
        State state = data.pickValue(State.values());
        boolean victimIsA = data.consumeBoolean();
        int count = data.consumeInt(1, 4);

        DevicePair p = new DevicePair(11);
        byte[] pendingInitiation = null;
        byte[] liveTransport = null;
        switch (state) {
            case FRESH -> { }
            case INITIATION_SENT -> {
                p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 20, 1));
                pendingInitiation = p.network.removeFirst().datagram().data();
            }
            case ESTABLISHED, UNDER_LOAD, AFTER_KEY_CHANGE -> {
                p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 20, 1));
                p.flush();
                p.sendFromB(Packets.ipv4("10.0.0.2", "10.0.0.1", 20, 2));
                liveTransport = p.network.getFirst().datagram().data();
                p.flush();
                if (state == State.UNDER_LOAD) {
                    DeviceFixtures.underLoad(victimIsA ? p.a : p.b, p.now);
                } else if (state == State.AFTER_KEY_CHANGE) {
                    p.a.setPrivateKey(KeyPair.generate(new Random(12)).privateKey());
                }
            }
        }
        Device victim = victimIsA ? p.a : p.b;
        byte[] victimPublic = (victimIsA ? p.keysA : p.keysB).publicKey().bytes();
        int deliveredBefore = (victimIsA ? p.deliveredToA : p.deliveredToB).size();

        for (int i = 0; i < count; i++) {
            Shape shape = data.pickValue(Shape.values());
            byte[] d = i == count - 1 ? data.consumeRemainingAsBytes() : data.consumeBytes(200);
            d = shape(shape, d, victimPublic, pendingInitiation, liveTransport, p.now);
            TunnelResult r = victim.decapsulate(d, 0, d.length, ATTACKER, p.now);
            assertFalse(r instanceof TunnelResult.Deliver, "a forged datagram was delivered: " + shape);
        }
        assertEquals(0, victim.dropCount(DropReason.INTERNAL_ERROR), "an exception was caught in the packet path");
        assertEquals(deliveredBefore, (victimIsA ? p.deliveredToA : p.deliveredToB).size());

        if (state == State.ESTABLISHED) {
            p.network.clear(); // answers to the attacker go nowhere
            byte[] ping = Packets.ipv4("10.0.0.1", "10.0.0.2", 30, 3);
            p.sendFromA(ping);
            p.flush();
            assertArrayEquals(ping, p.deliveredToB.getLast(), "the session survived");
        }
    }

    private static byte[] shape(Shape shape, byte[] d, byte[] victimPublic, byte[] pendingInitiation,
                                byte[] liveTransport, long now) {
        return switch (shape) {
            case RAW -> d;
            case INITIATION_MAC1 -> withMac1(sized(d, MessageType.INITIATION_SIZE, 1), victimPublic, now);
            case RESPONSE_MAC1 -> withMac1(sized(d, 92, 2), victimPublic, now);
            case RESPONSE_TO_PENDING -> {
                byte[] m = sized(d, 92, 2);
                if (pendingInitiation != null) {
                    System.arraycopy(pendingInitiation, 4, m, 8, 4); // receiver = the initiator's sender index
                }
                yield withMac1(m, victimPublic, now);
            }
            case TRANSPORT_TO_LIVE_INDEX -> {
                byte[] m = sized(d, Math.max(d.length, MessageType.TRANSPORT_MIN_SIZE), 4);
                if (liveTransport != null) {
                    System.arraycopy(liveTransport, 4, m, 4, 4);
                }
                yield m;
            }
            case COOKIE_TO_LIVE_INDEX -> {
                byte[] m = sized(d, 64, 3);
                if (pendingInitiation != null) {
                    System.arraycopy(pendingInitiation, 4, m, 4, 4);
                } else if (liveTransport != null) {
                    System.arraycopy(liveTransport, 4, m, 4, 4);
                }
                yield m;
            }
        };
    }

    /** {@code d} resized to {@code length}, with the message type and zero reserved bytes. */
    private static byte[] sized(byte[] d, int length, int type) {
        byte[] m = java.util.Arrays.copyOf(d, length);
        m[0] = (byte) type;
        m[1] = m[2] = m[3] = 0;
        return m;
    }

    private static byte[] withMac1(byte[] m, byte[] victimPublic, long now) {
        new CookieGenerator(victimPublic).addMacs(m, 0, m.length, now);
        return m;
    }
}
