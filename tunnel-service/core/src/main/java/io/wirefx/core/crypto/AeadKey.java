package io.wirefx.core.crypto;

import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * A 32-byte ChaCha20-Poly1305 key usable directly with JCE ({@code RAW} format, algorithm {@code ChaCha20}).
 *
 * <p>The constructor copies the key; {@link #close()} (or {@link #destroy()}) wipes the copy, after which the key must
 * not be used. The instance itself is immutable until closed and may be shared between threads. It is deliberately
 * not serializable, and {@link #toString()} does not reveal the key.
 */
public final class AeadKey implements SecretKey, AutoCloseable {
    public static final int LENGTH = 32;
    private static final long serialVersionUID = 1L;

    private final byte[] key;
    private volatile boolean destroyed;

    /** Copies {@code key32}, which must be exactly 32 bytes. */
    public AeadKey(byte[] key32) {
        if (key32 == null || key32.length != LENGTH) {
            throw new IllegalArgumentException("AEAD key must be 32 bytes");
        }
        this.key = key32.clone();
    }

    @Override
    public String getAlgorithm() {
        return "ChaCha20";
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    /** A copy of the key bytes (JCE wipes the copies it obtains). */
    @Override
    public byte[] getEncoded() {
        if (destroyed) {
            throw new IllegalStateException("AeadKey has been closed");
        }
        return key.clone();
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    /** Same as {@link #destroy()}. */
    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return destroyed ? "AeadKey[destroyed]" : "AeadKey[redacted]";
    }

    // Identity equality on purpose: SecretKeySpec-style content equality is not needed and would not be constant-time.
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    private void writeObject(ObjectOutputStream out) throws NotSerializableException {
        throw new NotSerializableException("AeadKey");
    }
}
