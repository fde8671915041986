package io.wirefx.core.noise;

import io.wirefx.core.crypto.Blake2s;
import io.wirefx.core.crypto.XChaChaPoly;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Random;

/**
 * The responder side of cookies (reference §3): checks mac1 against our own key, and under load checks mac2 and
 * makes cookie replies. The secret rotates lazily every {@link #SECRET_LIFETIME_NANOS}. Not thread-safe: the device
 * serializes handshake processing.
 */
public final class CookieChecker {
    public static final long SECRET_LIFETIME_NANOS = 120_000_000_000L;

    private final byte[] mac1Key;
    private final byte[] cookieKey;
    private final byte[] secret = new byte[32];
    private long secretBirth;
    private boolean haveSecret;

    /** @param localPublic our static public key */
    public CookieChecker(byte[] localPublic) {
        this.mac1Key = Macs.labelKey(Noise.LABEL_MAC1, localPublic);
        this.cookieKey = Macs.labelKey(Noise.LABEL_COOKIE, localPublic);
    }

    public boolean checkMac1(byte[] msg, int off, int len) {
        return Macs.checkMac1(msg, off, len, mac1Key);
    }

    /** mac2 valid for this source under the current secret; false once the secret is older than 120 s. */
    public boolean checkMac2(byte[] msg, int off, int len, InetSocketAddress source, long now) {
        if (!haveSecret || now - secretBirth >= SECRET_LIFETIME_NANOS) {
            return false;
        }
        byte[] cookie = cookieFor(source);
        try {
            return Macs.checkMac2(msg, off, len, cookie);
        } finally {
            Arrays.fill(cookie, (byte) 0);
        }
    }

    /**
     * A cookie reply for the message in {@code msg} (an initiation or response whose mac1 already checked), sent to
     * {@code source}.
     */
    public byte[] createReply(byte[] msg, int off, int len, InetSocketAddress source, long now, Random rng) {
        if (!haveSecret || now - secretBirth >= SECRET_LIFETIME_NANOS) {
            rng.nextBytes(secret);
            secretBirth = now;
            haveSecret = true;
        }
        byte[] nonce = new byte[24];
        rng.nextBytes(nonce);
        return createReply(msg, off, len, source, nonce);
    }

    /** Deterministic core of {@link #createReply}: the secret must already be set. */
    byte[] createReply(byte[] msg, int off, int len, InetSocketAddress source, byte[] nonce) {
        byte[] cookie = cookieFor(source);
        byte[] mac1 = Arrays.copyOfRange(msg, off + len - 32, off + len - 16);
        byte[] sealed = XChaChaPoly.seal(cookieKey, nonce, cookie, mac1);
        Arrays.fill(cookie, (byte) 0);
        byte[] reply = new byte[Noise.COOKIE_REPLY_SIZE];
        reply[0] = 3;
        // receiver = the sender index of the message being answered (bytes 4..8 in both handshake messages)
        System.arraycopy(msg, off + 4, reply, 4, 4);
        System.arraycopy(nonce, 0, reply, 8, 24);
        System.arraycopy(sealed, 0, reply, 32, 32);
        return reply;
    }

    /** Test hook: fixes the secret, as if rotated at {@code now}. */
    void setSecret(byte[] value, long now) {
        System.arraycopy(value, 0, secret, 0, 32);
        secretBirth = now;
        haveSecret = true;
    }

    /** τ = MAC(secret, ip bytes || LE16(port)). Only we compute it, so this encoding is ours to choose. */
    byte[] cookieFor(InetSocketAddress source) {
        byte[] ip = source.getAddress().getAddress();
        byte[] a = Arrays.copyOf(ip, ip.length + 2);
        int port = source.getPort();
        a[ip.length] = (byte) port;
        a[ip.length + 1] = (byte) (port >>> 8);
        return Blake2s.mac(secret, a, 0, a.length);
    }
}
