package io.wirefx.core.crypto;

/**
 * TAI64N timestamps as WireGuard sends them in the handshake initiation. The caller supplies the wall-clock instant;
 * nothing here reads a clock.
 */
public final class Tai64n {
    /** Length of the encoding. */
    public static final int LENGTH = 12;
    /** 2^62 + 10, the offset wireguard-go and the kernel use. */
    public static final long BASE = 0x400000000000000AL;
    /** Low bits of the nanoseconds cleared so that the exact clock does not leak (about 16.8 ms steps). */
    private static final int NANOS_MASK = ~0xFFFFFF;

    private Tai64n() {
    }

    /** {@code BE64(BASE + epochSeconds) || BE32(nanos & ~0xFFFFFF)}; {@code nanos} must be 0..999_999_999. */
    public static byte[] fromUnix(long epochSeconds, int nanos) {
        if (nanos < 0 || nanos > 999_999_999) {
            throw new IllegalArgumentException("nanos out of range: " + nanos);
        }
        long s = BASE + epochSeconds;
        int n = nanos & NANOS_MASK;
        byte[] out = new byte[LENGTH];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (s >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            out[8 + i] = (byte) (n >>> (24 - 8 * i));
        }
        return out;
    }

    /** Unsigned lexicographic comparison (a shorter prefix sorts first); negative, zero or positive. */
    public static int compare(byte[] a, byte[] b) {
        return java.util.Arrays.compareUnsigned(a, b);
    }
}
