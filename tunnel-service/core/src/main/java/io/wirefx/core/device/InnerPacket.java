package io.wirefx.core.device;

/** Checks a decrypted inner IP packet and finds its true length under the padding (reference §2.8 step 7). */
final class InnerPacket {
    private InnerPacket() {
    }

    /** The IP packet's length (≤ len), or -1 when it is not a well-formed IPv4/IPv6 header. */
    static int validLength(byte[] buf, int off, int len) {
        if (len < 1) {
            return -1;
        }
        int version = (buf[off] & 0xff) >>> 4;
        if (version == 4) {
            if (len < 20) {
                return -1;
            }
            int total = (buf[off + 2] & 0xff) << 8 | (buf[off + 3] & 0xff);
            return total < 20 || total > len ? -1 : total;
        }
        if (version == 6) {
            if (len < 40) {
                return -1;
            }
            int total = ((buf[off + 4] & 0xff) << 8 | (buf[off + 5] & 0xff)) + 40;
            return total > len ? -1 : total;
        }
        return -1;
    }
}
