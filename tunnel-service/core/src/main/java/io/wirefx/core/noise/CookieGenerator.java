package io.wirefx.core.noise;

import io.wirefx.core.crypto.XChaChaPoly;

import java.util.Arrays;

/**
 * The initiator side of cookies for one peer (reference §3): adds mac1/mac2 to our handshake messages, remembers the
 * last mac1 sent, and stores a cookie from a valid cookie reply for 120 s. Not thread-safe: guarded by the peer.
 */
public final class CookieGenerator {
    public static final long COOKIE_LIFETIME_NANOS = 120_000_000_000L;

    private final byte[] mac1Key;
    private final byte[] cookieKey;
    private final byte[] lastMac1 = new byte[16];
    private boolean haveLastMac1;
    private final byte[] cookie = new byte[16];
    private long cookieBirth;
    private boolean haveCookie;

    /** @param remotePublic the peer's static public key */
    public CookieGenerator(byte[] remotePublic) {
        this.mac1Key = Macs.labelKey(Noise.LABEL_MAC1, remotePublic);
        this.cookieKey = Macs.labelKey(Noise.LABEL_COOKIE, remotePublic);
    }

    /** Writes mac1, and mac2 when a cookie younger than 120 s is held (zeros otherwise). */
    public void addMacs(byte[] msg, int off, int len, long now) {
        Macs.writeMac1(msg, off, len, mac1Key);
        System.arraycopy(msg, off + len - 32, lastMac1, 0, 16);
        haveLastMac1 = true;
        if (haveCookie && now - cookieBirth < COOKIE_LIFETIME_NANOS) {
            Macs.writeMac2(msg, off, len, cookie);
        } else {
            Arrays.fill(msg, off + len - 16, off + len, (byte) 0);
        }
    }

    /** Opens a 64-byte cookie reply; true when it authenticated and the cookie was stored. */
    public boolean consumeReply(byte[] msg, int off, long now) {
        if (!haveLastMac1) {
            return false;
        }
        byte[] nonce = Arrays.copyOfRange(msg, off + 8, off + 32);
        byte[] sealed = Arrays.copyOfRange(msg, off + 32, off + 64);
        byte[] opened = XChaChaPoly.open(cookieKey, nonce, sealed, lastMac1);
        if (opened == null || opened.length != 16) {
            return false;
        }
        System.arraycopy(opened, 0, cookie, 0, 16);
        Arrays.fill(opened, (byte) 0);
        cookieBirth = now;
        haveCookie = true;
        return true;
    }

    public boolean hasValidCookie(long now) {
        return haveCookie && now - cookieBirth < COOKIE_LIFETIME_NANOS;
    }
}
