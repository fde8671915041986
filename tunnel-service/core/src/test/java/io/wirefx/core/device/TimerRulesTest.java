package io.wirefx.core.device;

import io.wirefx.core.message.MessageType;
import io.wirefx.core.timers.Timings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.wirefx.core.device.DevicePair.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each timer rule of reference §4.2 under virtual time: advance {@code now}, look at what {@code tick} emits. */
class TimerRulesTest {

    private static int type(Datagram d) {
        return MessageType.typeOf(d.data(), 0, d.data().length);
    }

    private static long count(List<Datagram> ds, int type) {
        return ds.stream().filter(d -> type(d) == type).count();
    }

    private static boolean isKeepalive(Datagram d) {
        return type(d) == 4 && d.data().length == 32;
    }

    /** A and B with a confirmed session (A initiated). */
    private static DevicePair established(long seed) {
        DevicePair p = new DevicePair(seed);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        p.flush();
        assertNotNull(p.peerBOnA.currentKeypair());
        assertNotNull(p.peerAOnB.currentKeypair());
        return p;
    }

    @Test
    void unansweredInitiationIsRetriedEvery5sThenGivenUpAfter20() {
        DevicePair p = new DevicePair(20);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        p.network.clear(); // the responder never hears anything
        int initiations = 1;
        long start = p.now;
        long lastAt = p.now;
        long step = seconds(0.01);
        for (int i = 0; i < 15_000; i++) {
            p.now += step;
            long n = count(p.a.tick(p.now), 1);
            if (n > 0) {
                long gap = p.now - lastAt;
                assertTrue(gap >= seconds(5) && gap <= seconds(5.333) + step, "retry gap " + gap);
                lastAt = p.now;
            }
            initiations += (int) n;
        }
        assertEquals(20, initiations, "1 + 19 retries, then give up");
        assertEquals(0, p.peerBOnA.stagedCount(), "giving up drops the staged packets");
        assertTrue(p.peerBOnA.timers().isZeroKeysArmed());
        long spent = lastAt - start;
        assertTrue(spent >= seconds(95) && spent <= seconds(19 * 5.34), "about REKEY_ATTEMPT_TIME: " + spent);
    }

    @Test
    void newOutgoingDataRestartsTheAttemptsAfterGivingUp() {
        DevicePair p = new DevicePair(21);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        p.network.clear();
        for (int i = 0; i < 200; i++) {
            p.now += seconds(1);
            p.a.tick(p.now);
        }
        TunnelResult r = p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        assertEquals(1, count(((TunnelResult.Send) r).datagrams(), 1));
    }

    @Test
    void noSecondInitiationWithin5Seconds() {
        DevicePair p = new DevicePair(22);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        p.now += seconds(4.9);
        assertEquals(TunnelResult.Done.NOTHING, p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0)));
        assertEquals(2, p.peerBOnA.stagedCount());
    }

    @Test
    void receiverSendsAKeepaliveAfter10sOfSilence() {
        DevicePair p = established(23);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        p.flush();
        p.now += seconds(9.9);
        assertTrue(p.tickB().isEmpty());
        p.now += seconds(0.2);
        List<Datagram> out = p.tickB();
        assertEquals(1, out.size());
        assertTrue(isKeepalive(out.getFirst()));
        // Two data packets arrived while the timer ran (the handshake's and this one): "need another" sends a second
        // keepalive 10 s later, then the timer stays idle.
        p.now += seconds(10.1);
        assertEquals(1, p.tickB().stream().filter(TimerRulesTest::isKeepalive).count());
        p.now += seconds(30);
        assertTrue(p.tickB().stream().noneMatch(TimerRulesTest::isKeepalive));
    }

    @Test
    void sendingDataCancelsThePendingKeepalive() {
        DevicePair p = established(24);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        p.flush();
        p.now += seconds(5);
        p.sendFromB(Packets.ipv4("10.0.0.2", "10.0.0.1", 10, 0));
        p.now += seconds(6);
        assertTrue(p.tickB().isEmpty());
    }

    @Test
    void senderStartsAHandshakeWhenNothingComesBackFor15s() {
        DevicePair p = established(25);
        p.sendFromB(Packets.ipv4("10.0.0.2", "10.0.0.1", 10, 0)); // cancels A's timer from the handshake's data
        p.flush();
        p.now += seconds(1);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        p.network.clear(); // the peer went away
        p.now += seconds(14.9);
        assertEquals(0, count(p.tickA(), 1));
        p.now += seconds(0.5);
        assertEquals(1, count(p.tickA(), 1));
    }

    @Test
    void initiatorRekeysOnSendAfter120sButTheResponderDoesNot() {
        DevicePair p = established(26);
        Keypair first = p.peerBOnA.currentKeypair();
        // keep traffic flowing both ways so no other timer interferes
        for (int i = 0; i < 119; i++) {
            p.now += seconds(1);
            p.sendFromB(Packets.ipv4("10.0.0.2", "10.0.0.1", 10, 0));
            p.flush();
        }
        assertSame(first, p.peerBOnA.currentKeypair(), "responder's sends never rekey on time");
        p.now += seconds(1.5);
        TunnelResult.Send s = (TunnelResult.Send) p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        assertEquals(1, count(s.datagrams(), 4));
        assertEquals(1, count(s.datagrams(), 1), "the data packet, then a new initiation");
        p.flush();
        assertNotSame(first, p.peerBOnA.currentKeypair());
        assertSame(first, p.peerBOnA.previousKeypair());
    }

    @Test
    void keypairIsUnusableAfter180sAndDataWaitsForANewHandshake() {
        DevicePair p = established(27);
        p.network.clear();
        p.now += seconds(181);
        TunnelResult r = p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        assertEquals(1, count(((TunnelResult.Send) r).datagrams(), 1));
        assertEquals(1, p.peerBOnA.stagedCount());
        // and the receiver rejects transport on an expired keypair
        Keypair old = p.peerAOnB.currentKeypair();
        byte[] wire = new byte[48];
        io.wirefx.core.message.TransportHeader.write(wire, 0, old.localIndex(), 5);
        assertEquals(new TunnelResult.Drop(DropReason.KEYPAIR_EXPIRED), p.b.decapsulate(wire, DevicePair.ADDR_A, p.now));
    }

    @Test
    void initiatorRekeysOnReceiveAfter165sOnce() {
        DevicePair p = established(28);
        p.now += seconds(165.5);
        p.sendFromB(Packets.ipv4("10.0.0.2", "10.0.0.1", 10, 0));
        TunnelResult r = p.deliver(p.network.removeFirst());
        TunnelResult.Deliver d = assertInstanceOf(TunnelResult.Deliver.class, r);
        assertEquals(1, count(d.alsoSend(), 1), "last-minute handshake");
        p.network.clear();
        p.now += seconds(6);
        p.sendFromB(Packets.ipv4("10.0.0.2", "10.0.0.1", 10, 0));
        TunnelResult.Deliver d2 = (TunnelResult.Deliver) p.deliver(p.network.removeFirst());
        assertEquals(0, count(d2.alsoSend(), 1), "only once per session");
    }

    @Test
    void rekeyAfterMessagesAndRejectAfterMessages() {
        DevicePair p = established(29);
        p.now += seconds(6); // past the 5 s initiation limit since B's response
        DeviceFixtures.forceSendCounter(p.peerAOnB, Timings.REKEY_AFTER_MESSAGES + 1);
        TunnelResult.Send s = (TunnelResult.Send) p.sendFromB(Packets.ipv4("10.0.0.2", "10.0.0.1", 10, 0));
        assertEquals(1, count(s.datagrams(), 1), "even the responder rekeys after 2^60 messages");

        DevicePair q = established(30);
        q.now += seconds(6);
        DeviceFixtures.forceSendCounter(q.peerBOnA, Timings.REJECT_AFTER_MESSAGES);
        TunnelResult r = q.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        assertEquals(0, count(((TunnelResult.Send) r).datagrams(), 4), "no data on an exhausted keypair");
        assertEquals(1, q.peerBOnA.stagedCount());
    }

    @Test
    void keysAreZeroedAfter540sWithoutANewSession() {
        DevicePair p = established(31);
        p.network.clear();
        p.now += seconds(539);
        p.tickA();
        assertNotNull(p.peerBOnA.currentKeypair());
        p.now += seconds(2);
        p.tickA();
        assertNull(p.peerBOnA.currentKeypair());
        assertNull(p.peerBOnA.previousKeypair());
    }

    @Test
    void persistentKeepaliveIsSentEveryIntervalAndAtOnceWhenTurnedOn() {
        DevicePair p = established(32);
        p.network.clear();
        List<Datagram> immediate = p.peerBOnA.setPersistentKeepalive(25, p.now);
        assertEquals(1, immediate.size());
        assertTrue(isKeepalive(immediate.getFirst()));
        long t0 = p.now;
        List<Long> sentAt = new java.util.ArrayList<>();
        p.network.clear();
        for (int i = 0; i < 100; i++) {
            p.now += seconds(1);
            if (p.tickA().stream().anyMatch(TimerRulesTest::isKeepalive)) {
                sentAt.add((p.now - t0) / seconds(1));
            }
            p.tickB();
            p.flush();
        }
        // B's own keepalive (10 s after the handshake's data) is authenticated traffic too: it pushes A's persistent
        // keepalive to 10 + 25 s; from then on every 25 s.
        assertEquals(List.of(35L, 60L, 85L), sentAt);
        assertTrue(p.peerBOnA.setPersistentKeepalive(30, p.now).isEmpty(), "changing a non-zero interval sends nothing");
    }

    @Test
    void scaledTimingsMakeRekeysHappenSooner() {
        DevicePair p = new DevicePair(33, null, Timings.STANDARD.scaled(0.05));
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        p.flush();
        Keypair first = p.peerBOnA.currentKeypair();
        for (int i = 0; i < 80; i++) {
            p.now += seconds(0.1);
            p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
            p.sendFromB(Packets.ipv4("10.0.0.2", "10.0.0.1", 10, 0));
            p.flush();
            p.advance(0);
            p.flush();
        }
        assertNotSame(first, p.peerBOnA.currentKeypair(), "a rekey within 8 virtual seconds at 1/20 scale");
        assertEquals(81, p.deliveredToB.size(), "no packet lost across the rekey");
        assertEquals(80, p.deliveredToA.size(), "no packet lost across the rekey");
    }

    @Test
    void cookieUnderLoadThenMac2Accepted() {
        DevicePair p = new DevicePair(34);
        DeviceFixtures.underLoad(p.b, p.now);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        TunnelResult r = p.deliver(p.network.removeFirst());
        TunnelResult.Send s = assertInstanceOf(TunnelResult.Send.class, r);
        assertEquals(64, s.datagrams().getFirst().data().length);
        assertEquals(3, type(s.datagrams().getFirst()));
        p.flush(); // A stores the cookie, does not resend at once
        assertTrue(p.network.isEmpty());
        assertNull(p.peerBOnA.currentKeypair());
        p.now += seconds(5.4);
        DeviceFixtures.underLoad(p.b, p.now); // still under load when the retransmission arrives
        p.tickA(); // retransmit carries mac2
        p.flush();
        assertNotNull(p.peerBOnA.currentKeypair());
        assertEquals(1, p.deliveredToB.size());
        assertEquals(1, p.b.dropCount(DropReason.COOKIE_REQUIRED));
    }

    @Test
    void underLoadTheRateLimitAppliesPerSource() {
        DevicePair p = new DevicePair(35);
        DeviceFixtures.underLoad(p.b, p.now);
        // A valid initiation with a valid mac2, replayed many times in the same instant: 5 pass the bucket.
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        byte[] init = p.network.removeFirst().datagram().data();
        TunnelResult.Send cookie = (TunnelResult.Send) p.b.decapsulate(init.clone(), DevicePair.ADDR_A, p.now);
        p.a.decapsulate(cookie.datagrams().getFirst().data(), DevicePair.ADDR_B, p.now);
        p.now += seconds(5.4);
        DeviceFixtures.underLoad(p.b, p.now);
        byte[] withMac2 = p.a.tick(p.now).getFirst().data();
        int limited = 0;
        for (int i = 0; i < 20; i++) {
            if (p.b.decapsulate(withMac2.clone(), DevicePair.ADDR_A, p.now).equals(new TunnelResult.Drop(DropReason.RATE_LIMITED))) {
                limited++;
            }
        }
        assertEquals(15, limited, "burst of 5");
    }
}
