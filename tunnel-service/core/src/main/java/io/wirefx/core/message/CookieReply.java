package io.wirefx.core.message;

import static io.wirefx.core.message.MessageType.*;

import java.util.Arrays;
import java.util.Objects;

/**
 * Cookie reply, type 3, 64 bytes (§2.2, §3).
 *
 * <p>Immutable: arrays are copied on construction and on access. {@code equals}/{@code hashCode} compare content.
 *
 * @param receiver the {@code sender} index of the handshake message being answered
 * @param nonce 24 random bytes (XChaCha20-Poly1305 nonce)
 * @param encryptedCookie 32 bytes: the 16-byte cookie plus the AEAD tag
 */
public record CookieReply(int receiver, byte[] nonce, byte[] encryptedCookie) {

    /** @throws IllegalArgumentException if an array is null or of the wrong length */
    public CookieReply {
        nonce = Bytes.checkedCopy(nonce, COOKIE_NONCE_SIZE, "nonce");
        encryptedCookie = Bytes.checkedCopy(encryptedCookie, ENCRYPTED_COOKIE_SIZE, "encryptedCookie");
    }

    /** Decodes a complete cookie reply; never throws. */
    public static Decoded<CookieReply> decode(byte[] buf, int off, int len) {
        Rejection r = Bytes.checkFixed(buf, off, len, COOKIE_REPLY, COOKIE_REPLY_SIZE);
        if (r != null) {
            return Decoded.rejected(r);
        }
        int from = off + COOKIE_REPLY_NONCE_OFFSET;
        int cookieFrom = off + COOKIE_REPLY_COOKIE_OFFSET;
        return Decoded.ok(new CookieReply(
                Bytes.getIntLE(buf, off + COOKIE_REPLY_RECEIVER_OFFSET),
                Arrays.copyOfRange(buf, from, from + COOKIE_NONCE_SIZE),
                Arrays.copyOfRange(buf, cookieFrom, cookieFrom + ENCRYPTED_COOKIE_SIZE)));
    }

    /** A new 64-byte array holding the encoded message. */
    public byte[] encode() {
        byte[] out = new byte[COOKIE_REPLY_SIZE];
        encodeTo(out, 0);
        return out;
    }

    /**
     * Writes the 64-byte message at {@code off}.
     *
     * @return the number of bytes written (64)
     * @throws IndexOutOfBoundsException if the buffer is too small
     */
    public int encodeTo(byte[] buf, int off) {
        Objects.checkFromIndexSize(off, COOKIE_REPLY_SIZE, buf.length);
        Bytes.putIntLE(buf, off, COOKIE_REPLY);
        Bytes.putIntLE(buf, off + COOKIE_REPLY_RECEIVER_OFFSET, receiver);
        System.arraycopy(nonce, 0, buf, off + COOKIE_REPLY_NONCE_OFFSET, COOKIE_NONCE_SIZE);
        System.arraycopy(encryptedCookie, 0, buf, off + COOKIE_REPLY_COOKIE_OFFSET, ENCRYPTED_COOKIE_SIZE);
        return COOKIE_REPLY_SIZE;
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public byte[] encryptedCookie() {
        return encryptedCookie.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CookieReply m
                && receiver == m.receiver
                && Arrays.equals(nonce, m.nonce)
                && Arrays.equals(encryptedCookie, m.encryptedCookie);
    }

    @Override
    public int hashCode() {
        int h = Integer.hashCode(receiver);
        h = 31 * h + Arrays.hashCode(nonce);
        return 31 * h + Arrays.hashCode(encryptedCookie);
    }

    @Override
    public String toString() {
        return "CookieReply[receiver=" + Bytes.index(receiver)
                + ", nonce=" + Bytes.hex(nonce)
                + ", encryptedCookie=" + Bytes.hex(encryptedCookie) + "]";
    }
}
