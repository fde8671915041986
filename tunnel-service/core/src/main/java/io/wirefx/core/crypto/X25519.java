package io.wirefx.core.crypto;

import java.util.Arrays;
import java.util.Random;

/**
 * Curve25519 Diffie-Hellman (RFC 7748) over BouncyCastle's allocation-free raw implementation. Private keys are
 * 32-byte little-endian scalars; public keys are 32-byte little-endian u-coordinates (bit 255 ignored on input).
 */
public final class X25519 {
    public static final int KEY_LENGTH = 32;

    private X25519() {
    }

    /** Clamps a private key in place: {@code k[0] &= 0xF8; k[31] &= 0x7F; k[31] |= 0x40}. */
    public static void clamp(byte[] k) {
        if (k.length != KEY_LENGTH) {
            throw new IllegalArgumentException("X25519 private key must be 32 bytes");
        }
        k[0] &= (byte) 0xF8;
        k[31] &= 0x7F;
        k[31] |= 0x40;
    }

    /**
     * 32 bytes from {@code rng}, clamped. Production code must pass a {@link java.security.SecureRandom}; tests may
     * pass a seeded source.
     */
    public static byte[] generatePrivateKey(Random rng) {
        byte[] k = new byte[KEY_LENGTH];
        rng.nextBytes(k);
        clamp(k);
        return k;
    }

    /** {@code X25519(priv, 9)}. The scalar is clamped internally (the input array is not modified). */
    public static byte[] publicKey(byte[] priv) {
        checkLength(priv);
        byte[] pub = new byte[KEY_LENGTH];
        org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(priv, 0, pub, 0);
        return pub;
    }

    /**
     * Writes {@code X25519(priv, pub)} into {@code out32[0..32)}. Returns false, with {@code out32} zeroed, when the
     * result is all zero (a low-order or otherwise degenerate public key); WireGuard treats that as an error. Never
     * throws for 32-byte inputs.
     */
    public static boolean dh(byte[] priv, byte[] pub, byte[] out32) {
        checkLength(priv);
        checkLength(pub);
        if (out32.length < KEY_LENGTH) {
            throw new IllegalArgumentException("X25519 output must hold 32 bytes");
        }
        boolean ok = org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(priv, 0, pub, 0, out32, 0);
        if (!ok) {
            Arrays.fill(out32, 0, KEY_LENGTH, (byte) 0);
        }
        return ok;
    }

    private static void checkLength(byte[] k) {
        if (k.length != KEY_LENGTH) {
            throw new IllegalArgumentException("X25519 keys must be 32 bytes");
        }
    }
}
