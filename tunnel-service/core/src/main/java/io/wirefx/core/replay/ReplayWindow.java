package io.wirefx.core.replay;

import java.util.Arrays;

/**
 * Sliding-window replay filter for transport counters (RFC 6479), laid out as in wireguard-go and the kernel: a ring
 * of 128 64-bit blocks (8192 bits). Because the block holding the newest counter is only partly in use, the window is
 * {@value #WINDOW_SIZE} = (128 - 1) * 64 counters behind the newest one.
 *
 * <p>Counters are unsigned 64-bit values carried in a {@code long}. A counter is accepted at most once, never when it
 * is {@code >=} {@link #REJECT_AFTER_MESSAGES} (unsigned), and never when it lies more than {@value #WINDOW_SIZE}
 * behind the largest accepted counter. Call {@link #validate} only after the packet authenticated.
 *
 * <p>Not thread-safe: the caller serializes calls per keypair. One instance per keypair, starting fresh.
 */
public final class ReplayWindow {
    /** REJECT_AFTER_MESSAGES = 2^64 - 2^13 - 1 (18446744073709543423), as an unsigned bit pattern. */
    public static final long REJECT_AFTER_MESSAGES = -(1L << 13) - 1;

    private static final int RING_BLOCKS = 128;
    private static final int RING_MASK = RING_BLOCKS - 1;
    private static final int BLOCK_BITS_LOG2 = 6; // 64 counters per block

    /** How far behind the newest accepted counter a counter may still be accepted (inclusive): 8128. */
    public static final int WINDOW_SIZE = (RING_BLOCKS - 1) * Long.SIZE;

    private final long[] ring = new long[RING_BLOCKS];
    private long last; // largest accepted counter (unsigned); 0 initially

    public ReplayWindow() {
    }

    /**
     * Checks {@code counter} (unsigned) and, when it is fresh, records it.
     *
     * @return true if the packet is new and must be accepted; false for a replay, a counter too old for the window, or
     *     a counter at or beyond {@link #REJECT_AFTER_MESSAGES}
     */
    public boolean validate(long counter) {
        if (Long.compareUnsigned(counter, REJECT_AFTER_MESSAGES) >= 0) {
            return false;
        }
        long block = counter >>> BLOCK_BITS_LOG2;
        if (Long.compareUnsigned(counter, last) > 0) {
            // Slide forward: clear the blocks between the old newest block and the new one (at most the whole ring).
            long current = last >>> BLOCK_BITS_LOG2;
            long diff = block - current; // both < 2^58, so this is a plain non-negative difference
            if (diff > RING_BLOCKS) {
                diff = RING_BLOCKS;
            }
            for (long i = 1; i <= diff; i++) {
                ring[(int) ((current + i) & RING_MASK)] = 0;
            }
            last = counter;
        } else if (Long.compareUnsigned(last - counter, WINDOW_SIZE) > 0) {
            return false;
        }
        int index = (int) (block & RING_MASK);
        long bit = 1L << (counter & 63);
        long old = ring[index];
        if ((old & bit) != 0) {
            return false;
        }
        ring[index] = old | bit;
        return true;
    }

    /** Forgets every counter seen, as for a fresh keypair. */
    public void reset() {
        last = 0;
        Arrays.fill(ring, 0);
    }
}
