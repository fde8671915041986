package io.wirefx.core.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A 32-byte WireGuard key (private, public or preshared). Immutable except for {@link #close()}, which wipes it.
 *
 * <p>{@link #toString()} never prints the key material: a private key must not reach a log by accident. Use
 * {@link #toBase64()} or {@link #toHex()} explicitly. Equality is constant-time.
 */
public final class Key implements AutoCloseable {
    public static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private Key(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Copies {@code bytes}, which must be exactly 32 bytes long. */
    public static Key fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new KeyFormatException(KeyFormatException.Reason.LENGTH);
        }
        return new Key(bytes.clone());
    }

    public static Key fromBytes(byte[] src, int offset) {
        if (src == null || offset < 0 || src.length - offset < LENGTH) {
            throw new KeyFormatException(KeyFormatException.Reason.LENGTH);
        }
        return new Key(Arrays.copyOfRange(src, offset, offset + LENGTH));
    }

    /** The all-zero key: UAPI uses it to mean "no key". */
    public static Key zero() {
        return new Key(new byte[LENGTH]);
    }

    /** Standard Base64 with padding, 44 characters, as in wg-quick files. */
    public static Key fromBase64(String text) {
        if (text == null || text.length() != 44 || text.charAt(43) != '=') {
            throw new KeyFormatException(KeyFormatException.Reason.BASE64);
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException(KeyFormatException.Reason.BASE64);
        }
        if (decoded.length != LENGTH) {
            throw new KeyFormatException(KeyFormatException.Reason.BASE64);
        }
        return new Key(decoded);
    }

    /** 64 hex characters, as in UAPI (either case accepted). */
    public static Key fromHex(String text) {
        if (text == null || text.length() != 2 * LENGTH) {
            throw new KeyFormatException(KeyFormatException.Reason.HEX);
        }
        try {
            return new Key(HEX.parseHex(text));
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException(KeyFormatException.Reason.HEX);
        }
    }

    /** A copy of the key bytes; the caller should wipe it when done. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, LENGTH);
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Lowercase hex, as UAPI emits. */
    public String toHex() {
        return HEX.formatHex(bytes);
    }

    public boolean isZero() {
        int acc = 0;
        for (byte b : bytes) {
            acc |= b;
        }
        return acc == 0;
    }

    /** Overwrites the key with zeros. */
    @Override
    public void close() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        // Keys are uniformly random; the first four bytes are a fine hash and leak nothing useful.
        return (bytes[0] & 0xff) | (bytes[1] & 0xff) << 8 | (bytes[2] & 0xff) << 16 | (bytes[3] & 0xff) << 24;
    }

    @Override
    public String toString() {
        return "Key[redacted]";
    }
}
