package io.wirefx.core.noise;

import io.wirefx.core.crypto.Blake2s;
import io.wirefx.core.crypto.ConstantTime;

/** mac1/mac2 of handshake messages (reference §2.2, §3). Offsets: mac1 at len−32, mac2 at len−16. */
public final class Macs {
    public static final int MAC_SIZE = 16;

    private Macs() {
    }

    /** {@code HASH(label || publicKey)}: the key for mac1 or for cookie encryption. */
    public static byte[] labelKey(byte[] label, byte[] publicKey) {
        return Blake2s.hash(label, publicKey);
    }

    public static void writeMac1(byte[] msg, int off, int len, byte[] mac1Key) {
        Blake2s.mac(mac1Key, msg, off, len - 2 * MAC_SIZE, msg, off + len - 2 * MAC_SIZE);
    }

    public static void writeMac2(byte[] msg, int off, int len, byte[] cookie) {
        Blake2s.mac(cookie, msg, off, len - MAC_SIZE, msg, off + len - MAC_SIZE);
    }

    public static boolean checkMac1(byte[] msg, int off, int len, byte[] mac1Key) {
        byte[] expect = Blake2s.mac(mac1Key, msg, off, len - 2 * MAC_SIZE);
        return ConstantTime.equals(expect, 0, msg, off + len - 2 * MAC_SIZE, MAC_SIZE);
    }

    public static boolean checkMac2(byte[] msg, int off, int len, byte[] cookie) {
        byte[] expect = Blake2s.mac(cookie, msg, off, len - MAC_SIZE);
        return ConstantTime.equals(expect, 0, msg, off + len - MAC_SIZE, MAC_SIZE);
    }
}
