package io.wirefx.core.noise;

import io.wirefx.core.crypto.Blake2s;
import io.wirefx.core.crypto.ChaChaPoly;
import io.wirefx.core.crypto.Kdf;
import io.wirefx.core.crypto.X25519;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The Noise_IKpsk2 message computations of WireGuard (reference §2.3–§2.7) as pure functions over explicit inputs:
 * ephemeral keys, indices and timestamps are parameters, so the exact bytes are reproducible in tests. The stateful
 * rules (which peer, replay, rate limits, key slots) live in {@link io.wirefx.core.device}.
 *
 * <p>MAC fields are left zero here; {@link Macs} fills them.
 */
public final class Noise {
    public static final byte[] CONSTRUCTION = "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s".getBytes(StandardCharsets.US_ASCII);
    public static final byte[] IDENTIFIER = "WireGuard v1 zx2c4 Jason@zx2c4.com".getBytes(StandardCharsets.US_ASCII);
    public static final byte[] LABEL_MAC1 = "mac1----".getBytes(StandardCharsets.US_ASCII);
    public static final byte[] LABEL_COOKIE = "cookie--".getBytes(StandardCharsets.US_ASCII);

    static final byte[] C_INIT = Blake2s.hash(CONSTRUCTION);
    static final byte[] H_INIT = Blake2s.hash(C_INIT, IDENTIFIER);
    private static final byte[] EMPTY = new byte[0];

    public static final int INITIATION_SIZE = 148;
    public static final int RESPONSE_SIZE = 92;
    public static final int COOKIE_REPLY_SIZE = 64;

    private Noise() {
    }

    public static byte[] initialChainKey() {
        return C_INIT.clone();
    }

    public static byte[] initialHash() {
        return H_INIT.clone();
    }

    /** Chaining state the initiator keeps between its initiation and the response. */
    public static final class InitiatorState {
        byte[] chainKey;
        byte[] hash;
        byte[] ephemeralPrivate;
        byte[] remoteStatic;

        public void wipe() {
            wipeAll(chainKey, hash, ephemeralPrivate);
            chainKey = hash = ephemeralPrivate = null;
        }
    }

    /** What a responder learns from a verified initiation, before it commits anything. */
    public static final class ConsumedInitiation {
        byte[] chainKey;
        byte[] hash;
        byte[] remoteEphemeral;
        byte[] remoteStatic;
        byte[] timestamp;
        int remoteIndex;

        public byte[] remoteStatic() {
            return remoteStatic;
        }

        public byte[] timestamp() {
            return timestamp;
        }

        public int remoteIndex() {
            return remoteIndex;
        }

        public void wipe() {
            wipeAll(chainKey, hash);
            chainKey = hash = null;
        }
    }

    /** Transport keys of a completed handshake. */
    public record SessionKeys(byte[] sendKey, byte[] receiveKey) {
        public void wipe() {
            Arrays.fill(sendKey, (byte) 0);
            Arrays.fill(receiveKey, (byte) 0);
        }
    }

    /**
     * Builds an initiation (§2.3 steps 1–8) into a new 148-byte array, MACs zero.
     *
     * @param staticStatic the precomputed DH(S_i_priv, S_r_pub) for this peer
     * @return the message, or null when a DH result is all-zero (a low-order remote key)
     */
    public static byte[] createInitiation(byte[] localStaticPrivate, byte[] localStaticPublic, byte[] remoteStatic,
                                          byte[] staticStatic, byte[] ephemeralPrivate, int senderIndex,
                                          byte[] tai64n, InitiatorState out) {
        byte[] msg = new byte[INITIATION_SIZE];
        msg[0] = 1;
        putLe32(msg, 4, senderIndex);
        byte[] c = C_INIT.clone();
        byte[] h = Blake2s.hash(H_INIT, remoteStatic);
        byte[] ePub = X25519.publicKey(ephemeralPrivate);
        System.arraycopy(ePub, 0, msg, 8, 32);
        c = replace(c, Kdf.kdf1(c, ePub));
        h = replace(h, Blake2s.hash(h, ePub));

        byte[] dh = new byte[32];
        if (!X25519.dh(ephemeralPrivate, remoteStatic, dh)) {
            wipeAll(c, h);
            return null;
        }
        byte[][] ck = Kdf.kdf2(c, dh);
        wipeAll(c, dh);
        c = ck[0];
        byte[] encStatic = ChaChaPoly.sealOnce(ck[1], 0, localStaticPublic, h);
        wipeAll(ck[1]);
        System.arraycopy(encStatic, 0, msg, 40, 48);
        h = replace(h, Blake2s.hash(h, encStatic));

        if (staticStatic == null || isAllZero(staticStatic)) {
            wipeAll(c, h);
            return null;
        }
        ck = Kdf.kdf2(c, staticStatic);
        wipeAll(c);
        c = ck[0];
        byte[] encTs = ChaChaPoly.sealOnce(ck[1], 0, tai64n, h);
        wipeAll(ck[1]);
        System.arraycopy(encTs, 0, msg, 88, 28);
        h = replace(h, Blake2s.hash(h, encTs));

        out.chainKey = c;
        out.hash = h;
        out.ephemeralPrivate = ephemeralPrivate.clone();
        out.remoteStatic = remoteStatic.clone();
        return msg;
    }

    /**
     * First half of consuming an initiation (§2.4 steps 1–2): decrypts the initiator's static key. Returns null on
     * any failure. The caller then finds the peer and calls {@link #consumeInitiationTimestamp}.
     */
    public static ConsumedInitiation consumeInitiationStatic(byte[] localStaticPrivate, byte[] localStaticPublic,
                                                             byte[] msg, int off) {
        byte[] e = Arrays.copyOfRange(msg, off + 8, off + 40);
        byte[] c = Kdf.kdf1(C_INIT, e);
        byte[] h0 = Blake2s.hash(H_INIT, localStaticPublic);
        byte[] h = Blake2s.hash(h0, e);
        byte[] dh = new byte[32];
        if (!X25519.dh(localStaticPrivate, e, dh)) {
            wipeAll(c, h);
            return null;
        }
        byte[][] ck = Kdf.kdf2(c, dh);
        wipeAll(c, dh);
        byte[] encStatic = Arrays.copyOfRange(msg, off + 40, off + 88);
        byte[] remoteStatic = ChaChaPoly.openOnce(ck[1], 0, encStatic, h);
        wipeAll(ck[1]);
        if (remoteStatic == null) {
            wipeAll(ck[0], h);
            return null;
        }
        ConsumedInitiation r = new ConsumedInitiation();
        r.chainKey = ck[0];
        r.hash = replace(h, Blake2s.hash(h, encStatic));
        r.remoteEphemeral = e;
        r.remoteStatic = remoteStatic;
        r.remoteIndex = getLe32(msg, off + 4);
        return r;
    }

    /** Second half (§2.4 step 4): decrypts the timestamp with the peer's precomputed static-static DH. */
    public static boolean consumeInitiationTimestamp(ConsumedInitiation state, byte[] staticStatic, byte[] msg, int off) {
        if (staticStatic == null || isAllZero(staticStatic)) {
            return false;
        }
        byte[][] ck = Kdf.kdf2(state.chainKey, staticStatic);
        byte[] encTs = Arrays.copyOfRange(msg, off + 88, off + 116);
        byte[] ts = ChaChaPoly.openOnce(ck[1], 0, encTs, state.hash);
        wipeAll(ck[1]);
        if (ts == null) {
            wipeAll(ck[0]);
            return false;
        }
        wipeAll(state.chainKey);
        state.chainKey = ck[0];
        state.hash = replace(state.hash, Blake2s.hash(state.hash, encTs));
        state.timestamp = ts;
        return true;
    }

    /**
     * Builds the response (§2.5) into a new 92-byte array, MACs zero, and derives the responder's transport keys
     * into {@code keysOut[0]}. Returns null on an all-zero DH.
     */
    public static byte[] createResponse(ConsumedInitiation init, byte[] presharedKey, byte[] ephemeralPrivate,
                                        int senderIndex, SessionKeys[] keysOut) {
        byte[] msg = new byte[RESPONSE_SIZE];
        msg[0] = 2;
        putLe32(msg, 4, senderIndex);
        putLe32(msg, 8, init.remoteIndex);
        byte[] ePub = X25519.publicKey(ephemeralPrivate);
        System.arraycopy(ePub, 0, msg, 12, 32);
        byte[] c = Kdf.kdf1(init.chainKey, ePub);
        byte[] h = Blake2s.hash(init.hash, ePub);
        byte[] dh = new byte[32];
        if (!X25519.dh(ephemeralPrivate, init.remoteEphemeral, dh)) {
            wipeAll(c, h);
            return null;
        }
        c = replace(c, Kdf.kdf1(c, dh));
        if (!X25519.dh(ephemeralPrivate, init.remoteStatic, dh)) {
            wipeAll(c, h);
            return null;
        }
        c = replace(c, Kdf.kdf1(c, dh));
        wipeAll(dh);
        byte[][] cTk = Kdf.kdf3(c, presharedKey == null ? new byte[32] : presharedKey);
        wipeAll(c);
        c = cTk[0];
        h = replace(h, Blake2s.hash(h, cTk[1]));
        byte[] empty = ChaChaPoly.sealOnce(cTk[2], 0, EMPTY, h);
        wipeAll(cTk[1], cTk[2]);
        System.arraycopy(empty, 0, msg, 44, 16);
        wipeAll(h);
        byte[][] t = Kdf.kdf2(c, EMPTY);
        wipeAll(c);
        // The responder receives with the first key and sends with the second.
        keysOut[0] = new SessionKeys(t[1], t[0]);
        return msg;
    }

    /** Consumes a response (§2.6) for the handshake in {@code state}; returns the initiator's keys or null. */
    public static SessionKeys consumeResponse(InitiatorState state, byte[] localStaticPrivate, byte[] presharedKey,
                                              byte[] msg, int off) {
        if (state.chainKey == null) {
            return null;
        }
        byte[] e = Arrays.copyOfRange(msg, off + 12, off + 44);
        byte[] c = Kdf.kdf1(state.chainKey, e);
        byte[] h = Blake2s.hash(state.hash, e);
        byte[] dh = new byte[32];
        if (!X25519.dh(state.ephemeralPrivate, e, dh)) {
            wipeAll(c, h);
            return null;
        }
        c = replace(c, Kdf.kdf1(c, dh));
        if (!X25519.dh(localStaticPrivate, e, dh)) {
            wipeAll(c, h);
            return null;
        }
        c = replace(c, Kdf.kdf1(c, dh));
        wipeAll(dh);
        byte[][] cTk = Kdf.kdf3(c, presharedKey == null ? new byte[32] : presharedKey);
        wipeAll(c);
        c = cTk[0];
        h = replace(h, Blake2s.hash(h, cTk[1]));
        byte[] empty = Arrays.copyOfRange(msg, off + 44, off + 60);
        byte[] ok = ChaChaPoly.openOnce(cTk[2], 0, empty, h);
        wipeAll(cTk[1], cTk[2], h);
        if (ok == null) {
            wipeAll(c);
            return null;
        }
        byte[][] t = Kdf.kdf2(c, EMPTY);
        wipeAll(c);
        return new SessionKeys(t[0], t[1]);
    }

    /** The sender index of a response (the responder's index for the new session). */
    public static int responseSender(byte[] msg, int off) {
        return getLe32(msg, off + 4);
    }

    /** The receiver index of a response or cookie reply (our index it answers). */
    public static int receiverIndex(byte[] msg, int off) {
        return getLe32(msg, off + (msg[off] == 2 ? 8 : 4));
    }

    static int getLe32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    static void putLe32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    private static byte[] replace(byte[] old, byte[] fresh) {
        Arrays.fill(old, (byte) 0);
        return fresh;
    }

    static boolean isAllZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }

    static void wipeAll(byte[]... arrays) {
        for (byte[] a : arrays) {
            if (a != null) {
                Arrays.fill(a, (byte) 0);
            }
        }
    }
}
