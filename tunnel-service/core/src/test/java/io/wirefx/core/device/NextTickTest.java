package io.wirefx.core.device;

import io.wirefx.core.message.MessageType;
import io.wirefx.core.timers.Timings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.wirefx.core.device.DevicePair.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Device#nextTick}: a driver that ticks only when it says (as the engine's timer thread does) fires every
 * timer exactly on its deadline, and wakes no more than once per {@link Timings#shortestTimer()} when idle.
 */
class NextTickTest {

    private static int type(Datagram d) {
        return MessageType.typeOf(d.data(), 0, d.data().length);
    }

    @Test
    void withNothingArmedItIsOneShortestTimerAway() {
        DevicePair p = new DevicePair(1);
        assertEquals(p.now + seconds(5), p.a.nextTick(p.now), "REKEY_TIMEOUT");
        Timings fast = Timings.STANDARD.scaled(0.01);
        DevicePair q = new DevicePair(2, null, fast);
        assertEquals(q.now + fast.rekeyTimeout(), q.a.nextTick(q.now), "50 ms rekey timeout, 100 ms keepalive");
    }

    @Test
    void aShorterPersistentKeepaliveShortensTheHorizon() {
        DevicePair p = new DevicePair(4);
        p.peerBOnA.setPersistentKeepalive(2, p.now); // no endpoint handshake yet: nothing armed
        p.network.clear();
        long next = p.a.nextTick(p.now);
        assertTrue(next - p.now <= seconds(2), "no later than the 2 s keepalive: " + (next - p.now));
    }

    @Test
    void theRetransmitFiresAtTheDeadlineItAnnounced() {
        DevicePair p = new DevicePair(3);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        p.network.clear(); // no answer
        long armedAt = p.now;
        long deadline = p.a.nextTick(p.now + seconds(4.9)); // still ahead of the 1 s horizon
        assertTrue(deadline - armedAt >= seconds(5) && deadline - armedAt <= seconds(5.334), "5 s + jitter");
        assertTrue(p.a.tick(deadline - 1).isEmpty(), "not a nanosecond early");
        List<Datagram> out = p.a.tick(deadline);
        assertEquals(1, out.size());
        assertEquals(1, type(out.getFirst()), "a new initiation");
    }

    /**
     * Two copies of the same random exchange (same seeds): one ticked every millisecond, one only at its
     * {@code nextTick}. Every datagram a timer emits in the first shows up in the second no later, and the second
     * wakes far less often.
     */
    @Test
    void tickingOnlyWhenAskedMissesNoTimer() {
        for (long seed = 10; seed < 16; seed++) {
            int keepalive = seed % 2 == 0 ? 7 : 2;
            List<long[]> fine = run(seed, keepalive, false);
            List<long[]> sparse = run(seed, keepalive, true);
            assertEquals(fine.size() - 1, sparse.size() - 1, "same number of timer datagrams, seed " + seed);
            for (int i = 0; i < fine.size() - 1; i++) {
                assertEquals(fine.get(i)[1], sparse.get(i)[1], "same message type, seed " + seed);
                long lead = fine.get(i)[0] - sparse.get(i)[0];
                assertTrue(lead >= 0 && lead < seconds(0.001), "on time, seed " + seed + ": " + lead);
            }
            long fineWakes = fine.getLast()[0];
            long sparseWakes = sparse.getLast()[0];
            assertTrue(sparseWakes * 20 < fineWakes, sparseWakes + " wake-ups against " + fineWakes);
        }
    }

    /** The timer datagrams as (time, type), and last the number of ticks as a pseudo-entry. */
    private static List<long[]> run(long seed, int keepalive, boolean sparse) {
        DevicePair p = new DevicePair(seed);
        p.peerBOnA.setPersistentKeepalive(keepalive, p.now);
        p.network.clear();
        Random traffic = new Random(seed);
        List<long[]> timed = new ArrayList<>();
        long end = p.now + seconds(200);
        long nextSend = p.now;
        long nextTickA = p.now;
        long nextTickB = p.now;
        long step = seconds(0.001);
        long wakes = 0;
        for (long t = p.now; t < end; t += step) {
            p.now = t;
            if (t - nextSend >= 0) { // A or B sends a packet now and then; the network delivers it at once
                if (traffic.nextBoolean()) {
                    p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
                } else {
                    p.sendFromB(Packets.ipv4("10.0.0.2", "10.0.0.1", 10, 0));
                }
                p.flush();
                nextSend = t + seconds(traffic.nextDouble(0.2, 30));
            }
            if (!sparse || t - nextTickA >= 0) {
                p.a.tick(t).forEach(d -> timed.add(new long[]{p.now, type(d)}));
                nextTickA = p.a.nextTick(t);
                wakes++;
            }
            if (!sparse || t - nextTickB >= 0) {
                p.b.tick(t).forEach(d -> timed.add(new long[]{p.now, 10 + type(d)}));
                nextTickB = p.b.nextTick(t);
                wakes++;
            }
            p.flush();
        }
        assertFalse(timed.isEmpty(), "the scenario must exercise the timers");
        timed.add(new long[]{wakes, -1});
        return timed;
    }
}
