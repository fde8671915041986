package io.wirefx.core.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * BLAKE2s (RFC 7693), digest length 1..32 bytes, optional key of 0..32 bytes.
 *
 * <p>The digest length and key length go into the parameter block, so a 16-byte digest is <em>not</em> a truncated
 * 32-byte one. An instance is not thread-safe. After {@link #digest(byte[], int)} the instance is automatically
 * {@link #reset()} to its initial keyed state and can be reused for a new message. {@link #wipe()} erases the key
 * (the instance is unusable afterwards).
 */
public final class Blake2s {
    /** Maximum digest and key length. */
    public static final int MAX_LENGTH = 32;
    private static final int BLOCK = 64;

    private static final int[] IV = {
            0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
            0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19,
    };

    private static final byte[][] SIGMA = {
            {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
            {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
            {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
            {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
            {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
            {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
            {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
            {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
            {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
            {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    };

    private final int digestLength;
    private final byte[] key; // zero-length when unkeyed
    private final int[] h = new int[8];
    private final int[] m = new int[16];
    private final int[] v = new int[16];
    private final byte[] buf = new byte[BLOCK];
    private int bufLen;
    private long counter; // bytes compressed so far (t0/t1 of the RFC)

    /**
     * @param digestLength 1..32
     * @param keyOrNull    null or 0..32 bytes; copied
     */
    public Blake2s(int digestLength, byte[] keyOrNull) {
        if (digestLength < 1 || digestLength > MAX_LENGTH) {
            throw new IllegalArgumentException("BLAKE2s digest length must be 1..32, was " + digestLength);
        }
        if (keyOrNull != null && keyOrNull.length > MAX_LENGTH) {
            throw new IllegalArgumentException("BLAKE2s key length must be 0..32, was " + keyOrNull.length);
        }
        this.digestLength = digestLength;
        this.key = keyOrNull == null ? new byte[0] : keyOrNull.clone();
        reset();
    }

    public int digestLength() {
        return digestLength;
    }

    /** Restores the initial state (keyed, if a key was given). */
    public void reset() {
        System.arraycopy(IV, 0, h, 0, 8);
        h[0] ^= 0x01010000 ^ (key.length << 8) ^ digestLength;
        counter = 0;
        Arrays.fill(buf, (byte) 0);
        bufLen = 0;
        if (key.length > 0) {
            System.arraycopy(key, 0, buf, 0, key.length);
            bufLen = BLOCK; // the padded key block; compressed lazily, it might be the last block
        }
    }

    /** Erases the key and the state; the instance must not be used afterwards. */
    public void wipe() {
        Arrays.fill(key, (byte) 0);
        Arrays.fill(buf, (byte) 0);
        Arrays.fill(h, 0);
        Arrays.fill(m, 0);
        Arrays.fill(v, 0);
        bufLen = 0;
    }

    public Blake2s update(byte[] in) {
        return update(in, 0, in.length);
    }

    public Blake2s update(byte[] in, int off, int len) {
        Objects.checkFromIndexSize(off, len, in.length);
        while (len > 0) {
            if (bufLen == BLOCK) {
                // More input follows, so the buffered block is not the last one.
                counter += BLOCK;
                compress(buf, 0, false);
                bufLen = 0;
            }
            if (bufLen == 0) {
                // Compress full blocks straight from the input, keeping at least one byte back.
                while (len > BLOCK) {
                    counter += BLOCK;
                    compress(in, off, false);
                    off += BLOCK;
                    len -= BLOCK;
                }
            }
            int n = Math.min(BLOCK - bufLen, len);
            System.arraycopy(in, off, buf, bufLen, n);
            bufLen += n;
            off += n;
            len -= n;
        }
        return this;
    }

    /** Writes {@link #digestLength()} bytes to {@code out[off..]}, then resets this instance. */
    public void digest(byte[] out, int off) {
        Objects.checkFromIndexSize(off, digestLength, out.length);
        counter += bufLen;
        Arrays.fill(buf, bufLen, BLOCK, (byte) 0);
        compress(buf, 0, true);
        for (int i = 0; i < digestLength; i++) {
            out[off + i] = (byte) (h[i >>> 2] >>> (8 * (i & 3)));
        }
        reset();
    }

    /** Convenience: a new array holding the digest; resets this instance. */
    public byte[] digest() {
        byte[] out = new byte[digestLength];
        digest(out, 0);
        return out;
    }

    /** WireGuard HASH: unkeyed 32-byte BLAKE2s of the concatenation of {@code parts}. */
    public static byte[] hash(byte[]... parts) {
        Blake2s b = new Blake2s(32, null);
        for (byte[] p : parts) {
            b.update(p, 0, p.length);
        }
        return b.digest();
    }

    /** WireGuard MAC: keyed BLAKE2s with a 16-byte digest. */
    public static byte[] mac(byte[] key, byte[] data, int off, int len) {
        byte[] out = new byte[16];
        mac(key, data, off, len, out, 0);
        return out;
    }

    /** WireGuard MAC into {@code out[outOff..outOff+16)}. */
    public static void mac(byte[] key, byte[] data, int off, int len, byte[] out, int outOff) {
        Blake2s b = new Blake2s(16, key);
        b.update(data, off, len);
        b.digest(out, outOff);
        b.wipe();
    }

    private void compress(byte[] block, int off, boolean last) {
        int[] m = this.m;
        int[] v = this.v;
        for (int i = 0; i < 16; i++) {
            int p = off + 4 * i;
            m[i] = (block[p] & 0xff) | (block[p + 1] & 0xff) << 8 | (block[p + 2] & 0xff) << 16
                    | (block[p + 3] & 0xff) << 24;
        }
        System.arraycopy(h, 0, v, 0, 8);
        System.arraycopy(IV, 0, v, 8, 8);
        v[12] ^= (int) counter;
        v[13] ^= (int) (counter >>> 32);
        if (last) {
            v[14] = ~v[14];
        }
        for (int r = 0; r < 10; r++) {
            byte[] s = SIGMA[r];
            g(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
            g(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
            g(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
            g(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
            g(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
            g(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
            g(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
            g(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
        }
        for (int i = 0; i < 8; i++) {
            h[i] ^= v[i] ^ v[i + 8];
        }
    }

    private static void g(int[] v, int a, int b, int c, int d, int x, int y) {
        v[a] = v[a] + v[b] + x;
        v[d] = Integer.rotateRight(v[d] ^ v[a], 16);
        v[c] = v[c] + v[d];
        v[b] = Integer.rotateRight(v[b] ^ v[c], 12);
        v[a] = v[a] + v[b] + y;
        v[d] = Integer.rotateRight(v[d] ^ v[a], 8);
        v[c] = v[c] + v[d];
        v[b] = Integer.rotateRight(v[b] ^ v[c], 7);
    }
}
