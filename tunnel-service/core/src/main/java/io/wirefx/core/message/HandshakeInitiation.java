package io.wirefx.core.message;

import static io.wirefx.core.message.MessageType.*;

import java.util.Arrays;
import java.util.Objects;

/**
 * Handshake initiation, type 1, 148 bytes (§2.2).
 *
 * <p>Immutable: the byte arrays are copied on construction and every accessor returns a fresh copy (all fields are at
 * most 48 bytes, and handshakes are rare next to transport packets). {@code equals}/{@code hashCode} compare content;
 * they are not constant-time, so never use them to verify a MAC.
 *
 * @param sender the initiator's u32 index for this handshake
 * @param ephemeral 32 bytes, the initiator's ephemeral public key
 * @param encryptedStatic 48 bytes, AEAD of the initiator's static public key
 * @param encryptedTimestamp 28 bytes, AEAD of the TAI64N timestamp
 * @param mac1 16 bytes
 * @param mac2 16 bytes (zeros when no cookie is held)
 */
public record HandshakeInitiation(int sender, byte[] ephemeral, byte[] encryptedStatic, byte[] encryptedTimestamp,
                                  byte[] mac1, byte[] mac2) {

    /** @throws IllegalArgumentException if an array is null or of the wrong length */
    public HandshakeInitiation {
        ephemeral = Bytes.checkedCopy(ephemeral, EPHEMERAL_SIZE, "ephemeral");
        encryptedStatic = Bytes.checkedCopy(encryptedStatic, ENCRYPTED_STATIC_SIZE, "encryptedStatic");
        encryptedTimestamp = Bytes.checkedCopy(encryptedTimestamp, ENCRYPTED_TIMESTAMP_SIZE, "encryptedTimestamp");
        mac1 = Bytes.checkedCopy(mac1, MAC_SIZE, "mac1");
        mac2 = Bytes.checkedCopy(mac2, MAC_SIZE, "mac2");
    }

    /** Decodes a complete initiation; never throws. See {@link Rejection} for the order of the checks. */
    public static Decoded<HandshakeInitiation> decode(byte[] buf, int off, int len) {
        Rejection r = Bytes.checkFixed(buf, off, len, INITIATION, INITIATION_SIZE);
        if (r != null) {
            return Decoded.rejected(r);
        }
        return Decoded.ok(new HandshakeInitiation(
                Bytes.getIntLE(buf, off + INITIATION_SENDER_OFFSET),
                slice(buf, off + INITIATION_EPHEMERAL_OFFSET, EPHEMERAL_SIZE),
                slice(buf, off + INITIATION_STATIC_OFFSET, ENCRYPTED_STATIC_SIZE),
                slice(buf, off + INITIATION_TIMESTAMP_OFFSET, ENCRYPTED_TIMESTAMP_SIZE),
                slice(buf, off + INITIATION_MAC1_OFFSET, MAC_SIZE),
                slice(buf, off + INITIATION_MAC2_OFFSET, MAC_SIZE)));
    }

    /** A new 148-byte array holding the encoded message. */
    public byte[] encode() {
        byte[] out = new byte[INITIATION_SIZE];
        encodeTo(out, 0);
        return out;
    }

    /**
     * Writes the 148-byte message at {@code off}.
     *
     * @return the number of bytes written (148)
     * @throws IndexOutOfBoundsException if the buffer is too small
     */
    public int encodeTo(byte[] buf, int off) {
        Objects.checkFromIndexSize(off, INITIATION_SIZE, buf.length);
        Bytes.putIntLE(buf, off, INITIATION);
        Bytes.putIntLE(buf, off + INITIATION_SENDER_OFFSET, sender);
        System.arraycopy(ephemeral, 0, buf, off + INITIATION_EPHEMERAL_OFFSET, EPHEMERAL_SIZE);
        System.arraycopy(encryptedStatic, 0, buf, off + INITIATION_STATIC_OFFSET, ENCRYPTED_STATIC_SIZE);
        System.arraycopy(encryptedTimestamp, 0, buf, off + INITIATION_TIMESTAMP_OFFSET, ENCRYPTED_TIMESTAMP_SIZE);
        System.arraycopy(mac1, 0, buf, off + INITIATION_MAC1_OFFSET, MAC_SIZE);
        System.arraycopy(mac2, 0, buf, off + INITIATION_MAC2_OFFSET, MAC_SIZE);
        return INITIATION_SIZE;
    }

    @Override
    public byte[] ephemeral() {
        return ephemeral.clone();
    }

    @Override
    public byte[] encryptedStatic() {
        return encryptedStatic.clone();
    }

    @Override
    public byte[] encryptedTimestamp() {
        return encryptedTimestamp.clone();
    }

    @Override
    public byte[] mac1() {
        return mac1.clone();
    }

    @Override
    public byte[] mac2() {
        return mac2.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HandshakeInitiation m
                && sender == m.sender
                && Arrays.equals(ephemeral, m.ephemeral)
                && Arrays.equals(encryptedStatic, m.encryptedStatic)
                && Arrays.equals(encryptedTimestamp, m.encryptedTimestamp)
                && Arrays.equals(mac1, m.mac1)
                && Arrays.equals(mac2, m.mac2);
    }

    @Override
    public int hashCode() {
        int h = Integer.hashCode(sender);
        h = 31 * h + Arrays.hashCode(ephemeral);
        h = 31 * h + Arrays.hashCode(encryptedStatic);
        h = 31 * h + Arrays.hashCode(encryptedTimestamp);
        h = 31 * h + Arrays.hashCode(mac1);
        return 31 * h + Arrays.hashCode(mac2);
    }

    /** Public values only (the payloads are ciphertext), so printing is safe. */
    @Override
    public String toString() {
        return "HandshakeInitiation[sender=" + Bytes.index(sender)
                + ", ephemeral=" + Bytes.hex(ephemeral)
                + ", encryptedStatic=" + Bytes.hex(encryptedStatic)
                + ", encryptedTimestamp=" + Bytes.hex(encryptedTimestamp)
                + ", mac1=" + Bytes.hex(mac1)
                + ", mac2=" + Bytes.hex(mac2) + "]";
    }

    private static byte[] slice(byte[] buf, int from, int length) {
        return Arrays.copyOfRange(buf, from, from + length);
    }
}
