package io.wirefx.tun.testing;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Minimal IPv4/UDP/ICMP packet building and parsing for the TUN drivers' tests (no options, no fragments); shared
 * through this module's test-jar.
 */
public final class Ip4 {

    public static final int HEADER = 20;
    public static final int UDP_HEADER = 8;
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_UDP = 17;

    private Ip4() {
    }

    public static Inet4Address addr(String dotted) {
        try {
            return (Inet4Address) InetAddress.getByName(dotted);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An IPv4/UDP datagram with valid IP and UDP checksums. */
    public static byte[] udp(Inet4Address src, int srcPort, Inet4Address dst, int dstPort, byte[] payload) {
        int udpLen = UDP_HEADER + payload.length;
        byte[] p = new byte[HEADER + udpLen];
        ipHeader(p, p.length, PROTO_UDP, src.getAddress(), dst.getAddress());
        put16(p, 20, srcPort);
        put16(p, 22, dstPort);
        put16(p, 24, udpLen);
        System.arraycopy(payload, 0, p, 28, payload.length);
        // UDP checksum over the pseudo-header and the datagram.
        long sum = sum(p, 12, 8, 0) + PROTO_UDP + udpLen;
        sum = sum(p, 20, udpLen, sum);
        int c = fold(sum);
        put16(p, 26, c == 0 ? 0xffff : c);
        return p;
    }

    /**
     * The UDP payload of {@code p[off, off+len)} if it is a well-formed IPv4/UDP datagram to {@code dst}:{@code port}
     * whose lengths match {@code len} exactly; otherwise null.
     */
    public static byte[] udpPayload(byte[] p, int off, int len, Inet4Address dst, int port) {
        if (len < HEADER + UDP_HEADER || (p[off] & 0xff) != 0x45 || get16(p, off + 2) != len
                || (p[off + 9] & 0xff) != PROTO_UDP) {
            return null;
        }
        byte[] d = dst.getAddress();
        for (int i = 0; i < 4; i++) {
            if (p[off + 16 + i] != d[i]) {
                return null;
            }
        }
        if (get16(p, off + 22) != port || get16(p, off + 24) != len - HEADER) {
            return null;
        }
        byte[] out = new byte[len - HEADER - UDP_HEADER];
        System.arraycopy(p, off + HEADER + UDP_HEADER, out, 0, out.length);
        return out;
    }

    /** If {@code p[off, off+len)} is an ICMP echo request, the matching echo reply; otherwise null. */
    public static byte[] echoReplyFor(byte[] p, int off, int len) {
        if (len < HEADER + 8 || (p[off] & 0xff) != 0x45 || get16(p, off + 2) != len
                || (p[off + 9] & 0xff) != PROTO_ICMP || (p[off + HEADER] & 0xff) != 8) {
            return null;
        }
        byte[] r = new byte[len];
        System.arraycopy(p, off, r, 0, len);
        byte[] src = new byte[4];
        byte[] dst = new byte[4];
        System.arraycopy(p, off + 12, src, 0, 4);
        System.arraycopy(p, off + 16, dst, 0, 4);
        ipHeader(r, len, PROTO_ICMP, dst, src);
        r[HEADER] = 0; // echo reply, same id/sequence/data
        put16(r, HEADER + 2, 0);
        put16(r, HEADER + 2, fold(sum(r, HEADER, len - HEADER, 0)));
        return r;
    }

    private static void ipHeader(byte[] p, int total, int proto, byte[] src, byte[] dst) {
        p[0] = 0x45;
        p[1] = 0;
        put16(p, 2, total);
        put16(p, 4, 0);
        put16(p, 6, 0x4000); // DF
        p[8] = 64;
        p[9] = (byte) proto;
        put16(p, 10, 0);
        System.arraycopy(src, 0, p, 12, 4);
        System.arraycopy(dst, 0, p, 16, 4);
        put16(p, 10, fold(sum(p, 0, HEADER, 0)));
    }

    private static long sum(byte[] b, int off, int len, long acc) {
        int i = 0;
        for (; i + 1 < len; i += 2) {
            acc += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if (i < len) {
            acc += (b[off + i] & 0xff) << 8;
        }
        return acc;
    }

    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    public static int get16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }
}
