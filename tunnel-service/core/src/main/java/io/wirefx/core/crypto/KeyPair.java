package io.wirefx.core.crypto;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

/**
 * A Curve25519 static or ephemeral key pair. {@link #toString()} shows only the public key.
 *
 * @param privateKey clamped private scalar
 * @param publicKey  {@code X25519(privateKey, 9)}
 */
public record KeyPair(Key privateKey, Key publicKey) {
    public KeyPair {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
    }

    /** A fresh pair; pass a {@link java.security.SecureRandom} in production. */
    public static KeyPair generate(Random rng) {
        byte[] priv = X25519.generatePrivateKey(rng);
        try {
            return derive(priv);
        } finally {
            Arrays.fill(priv, (byte) 0);
        }
    }

    /** The pair for {@code priv}; a clamped copy of {@code priv} becomes the private key. */
    public static KeyPair fromPrivate(Key priv) {
        byte[] k = priv.bytes();
        try {
            X25519.clamp(k);
            return derive(k);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    private static KeyPair derive(byte[] clamped) {
        byte[] pub = X25519.publicKey(clamped);
        return new KeyPair(Key.fromBytes(clamped), Key.fromBytes(pub));
    }

    @Override
    public String toString() {
        return "KeyPair[publicKey=" + publicKey.toBase64() + ", privateKey=redacted]";
    }
}
