package io.wirefx.core.crypto;

import java.util.Arrays;

/**
 * HMAC-BLAKE2s (RFC 2104, 64-byte block, 32-byte output) and WireGuard's HKDF-style KDF1/2/3 (empty info; the
 * chaining key is the HMAC key). Intermediate secrets (the padded keys and PRK) are wiped before returning.
 */
public final class Kdf {
    private static final int BLOCK = 64;
    private static final int OUT = 32;
    private static final byte[] ONE = {1};

    private Kdf() {
    }

    /** HMAC-BLAKE2s-256 of the concatenation of {@code data} under {@code key} (any length). */
    public static byte[] hmac(byte[] key, byte[]... data) {
        byte[] k0 = new byte[BLOCK];
        if (key.length > BLOCK) {
            byte[] hk = Blake2s.hash(key);
            System.arraycopy(hk, 0, k0, 0, OUT);
            Arrays.fill(hk, (byte) 0);
        } else {
            System.arraycopy(key, 0, k0, 0, key.length);
        }
        for (int i = 0; i < BLOCK; i++) {
            k0[i] ^= 0x36;
        }
        Blake2s inner = new Blake2s(OUT, null);
        inner.update(k0, 0, BLOCK);
        for (byte[] d : data) {
            inner.update(d, 0, d.length);
        }
        byte[] innerHash = inner.digest();
        for (int i = 0; i < BLOCK; i++) {
            k0[i] ^= 0x36 ^ 0x5c;
        }
        Blake2s outer = new Blake2s(OUT, null);
        outer.update(k0, 0, BLOCK).update(innerHash, 0, OUT);
        byte[] result = outer.digest();
        Arrays.fill(k0, (byte) 0);
        Arrays.fill(innerHash, (byte) 0);
        inner.wipe();
        outer.wipe();
        return result;
    }

    /** KDF1: T1. */
    public static byte[] kdf1(byte[] key, byte[] input) {
        return kdf(key, input, 1)[0];
    }

    /** KDF2: {T1, T2}. */
    public static byte[][] kdf2(byte[] key, byte[] input) {
        return kdf(key, input, 2);
    }

    /** KDF3: {T1, T2, T3}. */
    public static byte[][] kdf3(byte[] key, byte[] input) {
        return kdf(key, input, 3);
    }

    private static byte[][] kdf(byte[] key, byte[] input, int n) {
        byte[] prk = hmac(key, input);
        try {
            byte[][] out = new byte[n][];
            out[0] = hmac(prk, ONE);
            for (int i = 1; i < n; i++) {
                out[i] = hmac(prk, out[i - 1], new byte[] {(byte) (i + 1)});
            }
            return out;
        } finally {
            Arrays.fill(prk, (byte) 0);
        }
    }
}
