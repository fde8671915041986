package io.wirefx.core.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    private static final long REJECT = ReplayWindow.REJECT_AFTER_MESSAGES;
    private static final int WINDOW = ReplayWindow.WINDOW_SIZE;

    @Test
    void constants() {
        assertEquals("18446744073709543423", Long.toUnsignedString(REJECT));
        assertEquals(8128, WINDOW);
    }

    @Test
    void inOrderCountersAreAcceptedOnce() {
        ReplayWindow w = new ReplayWindow();
        for (long c = 0; c < 20_000; c++) {
            assertTrue(w.validate(c), "counter " + c);
        }
        for (long c = 20_000 - WINDOW - 1; c < 20_000; c++) {
            assertFalse(w.validate(c), "replayed counter " + c);
        }
    }

    @Test
    void counterZeroIsAcceptedOnceOnAFreshWindow() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.validate(0));
        assertFalse(w.validate(0));
    }

    @Test
    void duplicatesAreRejected() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.validate(5));
        assertFalse(w.validate(5));
        assertTrue(w.validate(7));
        assertFalse(w.validate(7));
        assertFalse(w.validate(5));
    }

    @Test
    void outOfOrderWithinTheWindowIsAccepted() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.validate(10_000));
        assertTrue(w.validate(9_999));
        assertTrue(w.validate(2_000));
        assertTrue(w.validate(10_000 - WINDOW));
        assertTrue(w.validate(10_001));
        assertTrue(w.validate(9_000));
        assertFalse(w.validate(9_999));
        assertFalse(w.validate(2_000));
        assertFalse(w.validate(9_000));
    }

    @Test
    void windowEdgeIsInclusiveAt8128() {
        ReplayWindow w = new ReplayWindow();
        long last = 100_000;
        assertTrue(w.validate(last));
        assertTrue(w.validate(last - WINDOW), "exactly 8128 behind is still inside the window");
        assertFalse(w.validate(last - WINDOW - 1), "8129 behind is outside");
        assertFalse(w.validate(0));
        assertTrue(w.validate(last - WINDOW + 1));
    }

    @Test
    void windowEdgeAtEveryBitPosition() {
        // The edge block is the one the ring reuses next; check the rule for all 64 alignments of the newest counter.
        for (int shift = 0; shift < 64; shift++) {
            ReplayWindow w = new ReplayWindow();
            long last = 1_000_000 + shift;
            for (long c = last - WINDOW - 200; c <= last; c++) {
                w.validate(c);
            }
            ReplayWindow fresh = new ReplayWindow();
            assertTrue(fresh.validate(last));
            assertTrue(fresh.validate(last - WINDOW), "shift " + shift);
            assertFalse(fresh.validate(last - WINDOW - 1), "shift " + shift);
            assertFalse(w.validate(last - WINDOW), "already seen, shift " + shift);
        }
    }

    @Test
    void farJumpForwardClearsTheRing() {
        ReplayWindow w = new ReplayWindow();
        for (long c = 0; c < 9_000; c++) {
            assertTrue(w.validate(c));
        }
        long far = 9_000 + 64L * 128 * 5 + 17;
        assertTrue(w.validate(far));
        // Everything in the new window is fresh, even though ring slots are reused.
        for (long c = far - WINDOW; c < far; c++) {
            assertTrue(w.validate(c), "counter " + c);
        }
        assertFalse(w.validate(8_999));
    }

    @Test
    void jumpOfLessThanTheRingClearsOnlyNewBlocks() {
        ReplayWindow w = new ReplayWindow();
        for (long c = 0; c < 64 * 10; c++) {
            assertTrue(w.validate(c));
        }
        long next = 64 * 60 + 3; // slide 50 blocks forward
        assertTrue(w.validate(next));
        for (long c = 0; c < 64 * 10; c++) {
            assertFalse(w.validate(c), "still in window and seen: " + c);
        }
        for (long c = 64 * 10; c < next; c++) {
            assertTrue(w.validate(c), "new: " + c);
        }
    }

    @Test
    void countersNearTheTopAreUnsigned() {
        ReplayWindow w = new ReplayWindow();
        long justBelow = REJECT - 1; // 2^64 - 8194, negative as a signed long
        assertTrue(justBelow < 0);
        assertTrue(w.validate(justBelow));
        assertFalse(w.validate(justBelow));
        assertFalse(w.validate(REJECT));
        assertFalse(w.validate(REJECT + 1));
        assertFalse(w.validate(-1L)); // 2^64 - 1
        assertTrue(w.validate(justBelow - WINDOW));
        assertFalse(w.validate(justBelow - WINDOW - 1));
        assertFalse(w.validate(1), "small counters are far behind a huge one");
        assertFalse(w.validate(Long.MAX_VALUE), "2^63 - 1 is far behind");
    }

    @Test
    void crossingTheSignBitSlidesForward() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.validate(Long.MAX_VALUE - 10));
        assertTrue(w.validate(Long.MIN_VALUE + 10)); // 2^63 + 10 > 2^63 - 11 unsigned
        assertTrue(w.validate(Long.MAX_VALUE)); // 20 behind
        assertFalse(w.validate(Long.MAX_VALUE - 10));
        assertTrue(w.validate(Long.MIN_VALUE));
    }

    @Test
    void rejectLimitOnAFreshWindow() {
        ReplayWindow w = new ReplayWindow();
        assertFalse(w.validate(REJECT));
        assertFalse(w.validate(-1L));
        assertTrue(w.validate(0), "a rejected counter leaves no trace");
    }

    @Test
    void resetForgetsEverything() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.validate(3));
        assertTrue(w.validate(50_000));
        w.reset();
        assertTrue(w.validate(3));
        assertTrue(w.validate(0));
        assertTrue(w.validate(50_000));
    }

    // ---- property test against a set-based oracle ----

    /** The rule of the reference, written without the ring: an exact set of accepted counters plus the window rule. */
    static final class Oracle {
        private final Set<Long> seen = new HashSet<>();
        private long last;

        boolean validate(long ctr) {
            if (Long.compareUnsigned(ctr, REJECT) >= 0) {
                return false;
            }
            if (Long.compareUnsigned(ctr, last) > 0) {
                last = ctr;
            } else if (Long.compareUnsigned(last - ctr, WINDOW) > 0) {
                return false;
            }
            return seen.add(ctr);
        }
    }

    @Property(tries = 300)
    void agreesWithOracle(@ForAll("sequences") List<Long> counters) {
        check(counters);
    }

    @Property(tries = 20_000)
    @Tag("heavy")
    void agreesWithOracleHeavy(@ForAll("sequences") List<Long> counters) {
        check(counters);
    }

    private static void check(List<Long> counters) {
        ReplayWindow w = new ReplayWindow();
        Oracle o = new Oracle();
        for (int i = 0; i < counters.size(); i++) {
            long c = counters.get(i);
            assertEquals(o.validate(c), w.validate(c), "step " + i + " counter " + Long.toUnsignedString(c));
        }
    }

    @Provide
    Arbitrary<List<Long>> sequences() {
        // Counters clustered around a base (0, random, or just under the reject limit) so they hit the window edges,
        // duplicates and ring wrap-around often; some large jumps forward and backward.
        Arbitrary<Long> base = Arbitraries.oneOf(
                Arbitraries.just(0L),
                Arbitraries.longs(),
                Arbitraries.just(REJECT - 30_000),
                Arbitraries.just(Long.MAX_VALUE - 10_000));
        return base.flatMap(b -> {
            Arbitrary<Long> near = Arbitraries.longs().between(0, 20_000).map(d -> b + d);
            Arbitrary<Long> edge = Arbitraries.longs().between(-70, 70).map(d -> b + 10_000 + d);
            Arbitrary<Long> far = Arbitraries.longs().between(0, 64L * 128 * 4).map(d -> b + d);
            Arbitrary<Long> any = Arbitraries.longs();
            Arbitrary<Long> one = Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(10, near),
                    net.jqwik.api.Tuple.of(4, edge),
                    net.jqwik.api.Tuple.of(2, far),
                    net.jqwik.api.Tuple.of(1, any));
            return one.list().ofMinSize(1).ofMaxSize(400);
        });
    }
}
