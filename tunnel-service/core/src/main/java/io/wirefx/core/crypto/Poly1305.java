package io.wirefx.core.crypto;

/**
 * Poly1305 (RFC 8439 §2.5) with three 44/44/42-bit limbs and 128-bit products via {@link Math#multiplyHigh}, the
 * layout of poly1305-donna-64. Written because the JDK's Poly1305 is not intrinsified on AVX2 machines and was the
 * bottleneck of ChaCha20-Poly1305 (ChaCha20 alone runs about 4× faster there).
 *
 * <p>Not thread-safe; reusable via {@link #init}. Constant-time: no branch or index depends on key or message.
 */
final class Poly1305 {
    private static final long M44 = 0xfffffffffffL;
    private static final long M42 = 0x3ffffffffffL;

    private long r0, r1, r2, s1, s2;
    private long h0, h1, h2;
    private long pad0, pad1;
    private final byte[] partial = new byte[16];
    private int partialLen;

    void init(byte[] key, int off) {
        long t0 = le64(key, off);
        long t1 = le64(key, off + 8);
        r0 = t0 & 0xffc0fffffffL;
        r1 = ((t0 >>> 44) | (t1 << 20)) & 0xfffffc0ffffL;
        r2 = (t1 >>> 24) & 0x00ffffffc0fL;
        s1 = r1 * (5 << 2);
        s2 = r2 * (5 << 2);
        h0 = h1 = h2 = 0;
        pad0 = le64(key, off + 16);
        pad1 = le64(key, off + 24);
        partialLen = 0;
    }

    void update(byte[] m, int off, int len) {
        if (partialLen > 0) {
            int take = Math.min(len, 16 - partialLen);
            System.arraycopy(m, off, partial, partialLen, take);
            partialLen += take;
            off += take;
            len -= take;
            if (partialLen < 16) {
                return;
            }
            blocks(partial, 0, 16, 1L << 40);
            partialLen = 0;
        }
        int full = len & ~15;
        if (full > 0) {
            blocks(m, off, full, 1L << 40);
        }
        int rest = len - full;
        if (rest > 0) {
            System.arraycopy(m, off + full, partial, 0, rest);
            partialLen = rest;
        }
    }

    /** Pads the pending bytes with zeros to a 16-byte boundary (the AEAD construction's pad16). */
    void padToBlock() {
        if (partialLen > 0) {
            java.util.Arrays.fill(partial, partialLen, 16, (byte) 0);
            blocks(partial, 0, 16, 1L << 40);
            partialLen = 0;
        }
    }

    /** Absorbs the two little-endian lengths that end the RFC 8439 AEAD input. */
    void lengths(long adLen, long ctLen) {
        for (int i = 0; i < 8; i++) {
            partial[i] = (byte) (adLen >>> (8 * i));
            partial[8 + i] = (byte) (ctLen >>> (8 * i));
        }
        blocks(partial, 0, 16, 1L << 40);
    }

    void finish(byte[] out, int off) {
        if (partialLen > 0) {
            partial[partialLen] = 1;
            java.util.Arrays.fill(partial, partialLen + 1, 16, (byte) 0);
            blocks(partial, 0, 16, 0);
            partialLen = 0;
        }
        long c;
        c = h1 >>> 44; h1 &= M44;
        h2 += c; c = h2 >>> 42; h2 &= M42;
        h0 += c * 5; c = h0 >>> 44; h0 &= M44;
        h1 += c; c = h1 >>> 44; h1 &= M44;
        h2 += c; c = h2 >>> 42; h2 &= M42;
        h0 += c * 5; c = h0 >>> 44; h0 &= M44;
        h1 += c;

        // g = h + 5 - 2^130; take g when it is non-negative (h >= p)
        long g0 = h0 + 5; c = g0 >>> 44; g0 &= M44;
        long g1 = h1 + c; c = g1 >>> 44; g1 &= M44;
        long g2 = h2 + c - (1L << 42);
        long mask = (g2 >>> 63) - 1; // all ones when g2 >= 0
        g0 &= mask; g1 &= mask; g2 &= mask;
        mask = ~mask;
        h0 = (h0 & mask) | g0;
        h1 = (h1 & mask) | g1;
        h2 = (h2 & mask) | g2;

        // h += pad (mod 2^128)
        long t0 = pad0, t1 = pad1;
        h0 += t0 & M44; c = h0 >>> 44; h0 &= M44;
        h1 += (((t0 >>> 44) | (t1 << 20)) & M44) + c; c = h1 >>> 44; h1 &= M44;
        h2 += ((t1 >>> 24) & M42) + c; h2 &= M42;

        putLe64(out, off, h0 | (h1 << 44));
        putLe64(out, off + 8, (h1 >>> 20) | (h2 << 24));
        h0 = h1 = h2 = 0;
        r0 = r1 = r2 = s1 = s2 = pad0 = pad1 = 0;
    }

    private void blocks(byte[] m, int off, int len, long hibit) {
        long r0 = this.r0, r1 = this.r1, r2 = this.r2, s1 = this.s1, s2 = this.s2;
        long h0 = this.h0, h1 = this.h1, h2 = this.h2;
        for (int end = off + len; off < end; off += 16) {
            long t0 = le64(m, off);
            long t1 = le64(m, off + 8);
            h0 += t0 & M44;
            h1 += ((t0 >>> 44) | (t1 << 20)) & M44;
            h2 += ((t1 >>> 24) & M42) | hibit;

            // d = h * r mod (2^130 - 5), as 128-bit (hi, lo) sums; every operand is below 2^63.
            long d0lo = h0 * r0, d0hi = Math.multiplyHigh(h0, r0);
            long p = h1 * s2, ph = Math.multiplyHigh(h1, s2);
            long s = d0lo + p; d0hi += ph + (Long.compareUnsigned(s, d0lo) < 0 ? 1 : 0); d0lo = s;
            p = h2 * s1; ph = Math.multiplyHigh(h2, s1);
            s = d0lo + p; d0hi += ph + (Long.compareUnsigned(s, d0lo) < 0 ? 1 : 0); d0lo = s;

            long d1lo = h0 * r1, d1hi = Math.multiplyHigh(h0, r1);
            p = h1 * r0; ph = Math.multiplyHigh(h1, r0);
            s = d1lo + p; d1hi += ph + (Long.compareUnsigned(s, d1lo) < 0 ? 1 : 0); d1lo = s;
            p = h2 * s2; ph = Math.multiplyHigh(h2, s2);
            s = d1lo + p; d1hi += ph + (Long.compareUnsigned(s, d1lo) < 0 ? 1 : 0); d1lo = s;

            long d2lo = h0 * r2, d2hi = Math.multiplyHigh(h0, r2);
            p = h1 * r1; ph = Math.multiplyHigh(h1, r1);
            s = d2lo + p; d2hi += ph + (Long.compareUnsigned(s, d2lo) < 0 ? 1 : 0); d2lo = s;
            p = h2 * r0; ph = Math.multiplyHigh(h2, r0);
            s = d2lo + p; d2hi += ph + (Long.compareUnsigned(s, d2lo) < 0 ? 1 : 0); d2lo = s;

            // partial reduction
            long c = (d0lo >>> 44) | (d0hi << 20);
            h0 = d0lo & M44;
            s = d1lo + c; d1hi += Long.compareUnsigned(s, d1lo) < 0 ? 1 : 0; d1lo = s;
            c = (d1lo >>> 44) | (d1hi << 20);
            h1 = d1lo & M44;
            s = d2lo + c; d2hi += Long.compareUnsigned(s, d2lo) < 0 ? 1 : 0; d2lo = s;
            c = (d2lo >>> 42) | (d2hi << 22);
            h2 = d2lo & M42;
            h0 += c * 5;
            c = h0 >>> 44;
            h0 &= M44;
            h1 += c;
        }
        this.h0 = h0;
        this.h1 = h1;
        this.h2 = h2;
    }

    private static long le64(byte[] b, int off) {
        return (long) LE64.get(b, off);
    }

    private static void putLe64(byte[] b, int off, long v) {
        LE64.set(b, off, v);
    }

    private static final java.lang.invoke.VarHandle LE64 =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
}
