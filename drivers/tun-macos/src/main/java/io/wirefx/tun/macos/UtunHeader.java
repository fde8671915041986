package io.wirefx.tun.macos;

/**
 * The utun framing: every packet read from or written to a utun socket starts with the 4-byte protocol family in
 * network byte order, {@code 00 00 00 02} for IPv4 and {@code 00 00 00 1E} (Darwin's {@code AF_INET6} = 30) for IPv6
 * (XNU {@code if_utun.c}: {@code utun_ctl_send}/{@code utun_output} convert it with {@code ntohl}/{@code htonl}).
 * These are wire values of the utun protocol, the same whichever OS runs the code.
 */
final class UtunHeader {

    /** Header length in bytes. */
    static final int LENGTH = 4;

    /** Family word for IPv4 packets (Darwin {@code AF_INET}). */
    static final int AF_INET = 2;

    /** Family word for IPv6 packets (Darwin {@code AF_INET6}). */
    static final int AF_INET6 = 30;

    private UtunHeader() {
    }

    /**
     * The family word for a packet whose first byte is {@code firstByte}: {@link #AF_INET} for IP version 4,
     * {@link #AF_INET6} for version 6, or -1 for anything else (not an IP packet: the kernel would refuse it).
     */
    static int familyFor(byte firstByte) {
        return switch ((firstByte >> 4) & 0xF) {
            case 4 -> AF_INET;
            case 6 -> AF_INET6;
            default -> -1;
        };
    }

    /** Writes the header for {@code family} into {@code dst[off .. off+3]} (big-endian). */
    static void put(byte[] dst, int off, int family) {
        dst[off] = (byte) (family >>> 24);
        dst[off + 1] = (byte) (family >>> 16);
        dst[off + 2] = (byte) (family >>> 8);
        dst[off + 3] = (byte) family;
    }

    /** The family word in {@code src[off .. off+3]} (big-endian). */
    static int get(byte[] src, int off) {
        return ((src[off] & 0xFF) << 24) | ((src[off + 1] & 0xFF) << 16) | ((src[off + 2] & 0xFF) << 8)
                | (src[off + 3] & 0xFF);
    }
}
