package io.wirefx.core.message;

import static io.wirefx.core.message.MessageType.*;

import java.util.Arrays;
import java.util.Objects;

/**
 * Handshake response, type 2, 92 bytes (§2.2).
 *
 * <p>Immutable: arrays are copied on construction and on access (at most 32 bytes each). {@code equals}/{@code
 * hashCode} compare content and are not constant-time: never use them to verify a MAC.
 *
 * @param sender the responder's u32 index
 * @param receiver the initiator's index (its initiation's {@code sender})
 * @param ephemeral 32 bytes, the responder's ephemeral public key
 * @param encryptedNothing 16 bytes, the AEAD tag of the empty payload
 * @param mac1 16 bytes
 * @param mac2 16 bytes
 */
public record HandshakeResponse(int sender, int receiver, byte[] ephemeral, byte[] encryptedNothing, byte[] mac1,
                                byte[] mac2) {

    /** @throws IllegalArgumentException if an array is null or of the wrong length */
    public HandshakeResponse {
        ephemeral = Bytes.checkedCopy(ephemeral, EPHEMERAL_SIZE, "ephemeral");
        encryptedNothing = Bytes.checkedCopy(encryptedNothing, ENCRYPTED_NOTHING_SIZE, "encryptedNothing");
        mac1 = Bytes.checkedCopy(mac1, MAC_SIZE, "mac1");
        mac2 = Bytes.checkedCopy(mac2, MAC_SIZE, "mac2");
    }

    /** Decodes a complete response; never throws. */
    public static Decoded<HandshakeResponse> decode(byte[] buf, int off, int len) {
        Rejection r = Bytes.checkFixed(buf, off, len, RESPONSE, RESPONSE_SIZE);
        if (r != null) {
            return Decoded.rejected(r);
        }
        return Decoded.ok(new HandshakeResponse(
                Bytes.getIntLE(buf, off + RESPONSE_SENDER_OFFSET),
                Bytes.getIntLE(buf, off + RESPONSE_RECEIVER_OFFSET),
                slice(buf, off + RESPONSE_EPHEMERAL_OFFSET, EPHEMERAL_SIZE),
                slice(buf, off + RESPONSE_EMPTY_OFFSET, ENCRYPTED_NOTHING_SIZE),
                slice(buf, off + RESPONSE_MAC1_OFFSET, MAC_SIZE),
                slice(buf, off + RESPONSE_MAC2_OFFSET, MAC_SIZE)));
    }

    /** A new 92-byte array holding the encoded message. */
    public byte[] encode() {
        byte[] out = new byte[RESPONSE_SIZE];
        encodeTo(out, 0);
        return out;
    }

    /**
     * Writes the 92-byte message at {@code off}.
     *
     * @return the number of bytes written (92)
     * @throws IndexOutOfBoundsException if the buffer is too small
     */
    public int encodeTo(byte[] buf, int off) {
        Objects.checkFromIndexSize(off, RESPONSE_SIZE, buf.length);
        Bytes.putIntLE(buf, off, RESPONSE);
        Bytes.putIntLE(buf, off + RESPONSE_SENDER_OFFSET, sender);
        Bytes.putIntLE(buf, off + RESPONSE_RECEIVER_OFFSET, receiver);
        System.arraycopy(ephemeral, 0, buf, off + RESPONSE_EPHEMERAL_OFFSET, EPHEMERAL_SIZE);
        System.arraycopy(encryptedNothing, 0, buf, off + RESPONSE_EMPTY_OFFSET, ENCRYPTED_NOTHING_SIZE);
        System.arraycopy(mac1, 0, buf, off + RESPONSE_MAC1_OFFSET, MAC_SIZE);
        System.arraycopy(mac2, 0, buf, off + RESPONSE_MAC2_OFFSET, MAC_SIZE);
        return RESPONSE_SIZE;
    }

    @Override
    public byte[] ephemeral() {
        return ephemeral.clone();
    }

    @Override
    public byte[] encryptedNothing() {
        return encryptedNothing.clone();
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
        return o instanceof HandshakeResponse m
                && sender == m.sender
                && receiver == m.receiver
                && Arrays.equals(ephemeral, m.ephemeral)
                && Arrays.equals(encryptedNothing, m.encryptedNothing)
                && Arrays.equals(mac1, m.mac1)
                && Arrays.equals(mac2, m.mac2);
    }

    @Override
    public int hashCode() {
        int h = Integer.hashCode(sender);
        h = 31 * h + Integer.hashCode(receiver);
        h = 31 * h + Arrays.hashCode(ephemeral);
        h = 31 * h + Arrays.hashCode(encryptedNothing);
        h = 31 * h + Arrays.hashCode(mac1);
        return 31 * h + Arrays.hashCode(mac2);
    }

    @Override
    public String toString() {
        return "HandshakeResponse[sender=" + Bytes.index(sender)
                + ", receiver=" + Bytes.index(receiver)
                + ", ephemeral=" + Bytes.hex(ephemeral)
                + ", encryptedNothing=" + Bytes.hex(encryptedNothing)
                + ", mac1=" + Bytes.hex(mac1)
                + ", mac2=" + Bytes.hex(mac2) + "]";
    }

    private static byte[] slice(byte[] buf, int from, int length) {
        return Arrays.copyOfRange(buf, from, from + length);
    }
}
