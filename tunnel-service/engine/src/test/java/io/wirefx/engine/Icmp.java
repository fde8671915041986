package io.wirefx.engine;

import java.nio.ByteBuffer;

/** ICMP / ICMPv6 echo packets with correct checksums, so a real kernel answers them. */
final class Icmp {
    private Icmp() {
    }

    static byte[] echoRequest4(String src, String dst, int id, int seq, byte[] data) {
        byte[] icmp = new byte[8 + data.length];
        icmp[0] = 8; // echo request
        ByteBuffer.wrap(icmp, 4, 4).putShort((short) id).putShort((short) seq);
        System.arraycopy(data, 0, icmp, 8, data.length);
        putShort(icmp, 2, checksum(icmp, 0, icmp.length, 0));
        byte[] p = Packets.ipv4(src, dst, icmp);
        p[9] = 1; // ICMP
        putShort(p, 10, checksum(p, 0, 20, 0));
        return p;
    }

    static byte[] echoRequest6(String src, String dst, int id, int seq, byte[] data) {
        byte[] icmp = new byte[8 + data.length];
        icmp[0] = (byte) 128; // echo request
        ByteBuffer.wrap(icmp, 4, 4).putShort((short) id).putShort((short) seq);
        System.arraycopy(data, 0, icmp, 8, data.length);
        byte[] p = Packets.ipv6(src, dst, icmp);
        p[6] = 58; // ICMPv6
        putShort(p, 40 + 2, checksum(p, 40, icmp.length, pseudo6(p, icmp.length)));
        return p;
    }

    /** An echo reply to {@code request} (IPv4 or IPv6), as a host would send it. */
    static byte[] echoReplyTo(byte[] request) {
        boolean v6 = (request[0] & 0xf0) == 0x60;
        int h = v6 ? 40 : 20;
        byte[] r = request.clone();
        // swap addresses
        int a = v6 ? 8 : 12;
        int len = v6 ? 16 : 4;
        System.arraycopy(request, a, r, a + len, len);
        System.arraycopy(request, a + len, r, a, len);
        r[h] = (byte) (v6 ? 129 : 0);
        putShort(r, h + 2, 0);
        if (v6) {
            putShort(r, h + 2, checksum(r, h, r.length - h, pseudo6(r, r.length - h)));
        } else {
            putShort(r, 10, 0);
            putShort(r, 10, checksum(r, 0, 20, 0));
            putShort(r, h + 2, checksum(r, h, r.length - h, 0));
        }
        return r;
    }

    /** Type of the ICMP message in an IP packet, or -1. */
    static int type(byte[] p) {
        boolean v6 = (p[0] & 0xf0) == 0x60;
        if (v6 ? p[6] != 58 : p[9] != 1) {
            return -1;
        }
        return p[v6 ? 40 : 20] & 0xff;
    }

    private static long pseudo6(byte[] p, int upperLen) {
        long sum = 0;
        for (int i = 8; i < 40; i += 2) {
            sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        }
        return sum + upperLen + 58;
    }

    private static int checksum(byte[] b, int off, int len, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) == 1) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }
}
