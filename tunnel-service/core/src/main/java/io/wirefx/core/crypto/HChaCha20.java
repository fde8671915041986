package io.wirefx.core.crypto;

import java.util.Objects;

/** HChaCha20 (draft-irtf-cfrg-xchacha-03 §2.2): derives a 32-byte subkey from a key and a 16-byte nonce. */
public final class HChaCha20 {
    private HChaCha20() {
    }

    /** Writes the 32-byte subkey for {@code key32} and {@code nonce16[nonceOff..nonceOff+16)} into {@code out32}. */
    public static void hchacha20(byte[] key32, byte[] nonce16, int nonceOff, byte[] out32) {
        if (key32.length != 32 || out32.length < 32) {
            throw new IllegalArgumentException("HChaCha20 needs a 32-byte key and a 32-byte output");
        }
        Objects.checkFromIndexSize(nonceOff, 16, nonce16.length);
        int x0 = 0x61707865, x1 = 0x3320646e, x2 = 0x79622d32, x3 = 0x6b206574;
        int x4 = le(key32, 0), x5 = le(key32, 4), x6 = le(key32, 8), x7 = le(key32, 12);
        int x8 = le(key32, 16), x9 = le(key32, 20), x10 = le(key32, 24), x11 = le(key32, 28);
        int x12 = le(nonce16, nonceOff), x13 = le(nonce16, nonceOff + 4);
        int x14 = le(nonce16, nonceOff + 8), x15 = le(nonce16, nonceOff + 12);
        for (int i = 0; i < 10; i++) {
            // columns
            x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
            x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
            x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
            x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
            x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
            x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
            x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
            x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);
            // diagonals
            x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
            x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
            x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
            x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
            x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
            x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
            x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
            x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
        }
        // No feed-forward: output words 0..3 and 12..15 of the permuted state.
        put(out32, 0, x0);
        put(out32, 4, x1);
        put(out32, 8, x2);
        put(out32, 12, x3);
        put(out32, 16, x12);
        put(out32, 20, x13);
        put(out32, 24, x14);
        put(out32, 28, x15);
    }

    private static int le(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
    }

    private static void put(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >>> 8);
        b[o + 2] = (byte) (v >>> 16);
        b[o + 3] = (byte) (v >>> 24);
    }
}
