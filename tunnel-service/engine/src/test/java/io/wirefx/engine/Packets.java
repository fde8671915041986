package io.wirefx.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/** Inner IP packets for engine tests: minimal IPv4/IPv6 headers (what the device reads) and checkable payloads. */
final class Packets {
    static final int IPV4_HEADER = 20;
    static final int IPV6_HEADER = 40;
    /** Payload prefix: flow (1 byte) + sequence number (4 bytes). */
    static final int TAG = 5;

    private Packets() {
    }

    static byte[] ipv4(String src, String dst, byte[] payload) {
        byte[] p = new byte[IPV4_HEADER + payload.length];
        p[0] = 0x45;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[8] = 64;
        p[9] = 17;
        System.arraycopy(addr(src), 0, p, 12, 4);
        System.arraycopy(addr(dst), 0, p, 16, 4);
        System.arraycopy(payload, 0, p, IPV4_HEADER, payload.length);
        return p;
    }

    static byte[] ipv6(String src, String dst, byte[] payload) {
        byte[] p = new byte[IPV6_HEADER + payload.length];
        p[0] = 0x60;
        p[4] = (byte) (payload.length >>> 8);
        p[5] = (byte) payload.length;
        p[6] = 17;
        p[7] = 64;
        System.arraycopy(addr(src), 0, p, 8, 16);
        System.arraycopy(addr(dst), 0, p, 24, 16);
        System.arraycopy(payload, 0, p, IPV6_HEADER, payload.length);
        return p;
    }

    static byte[] addr(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A payload of {@code len} bytes determined by (flow, seq): tag first, then pseudo-random bytes. */
    static byte[] payload(int flow, int seq, int len) {
        byte[] b = new byte[len];
        fillPayload(b, 0, len, flow, seq);
        return b;
    }

    static void fillPayload(byte[] b, int off, int len, int flow, int seq) {
        ByteBuffer.wrap(b, off, TAG).put((byte) flow).putInt(seq);
        SplittableRandom r = new SplittableRandom(((long) flow << 32) ^ seq * 0x9E3779B97F4A7C15L);
        int i = off + TAG;
        int end = off + len;
        while (i + 8 <= end) {
            long x = r.nextLong();
            for (int k = 0; k < 8; k++) {
                b[i++] = (byte) (x >>> (8 * k));
            }
        }
        long x = r.nextLong();
        while (i < end) {
            b[i++] = (byte) x;
            x >>>= 8;
        }
    }

    /** True if {@code packet}'s payload (after {@code header} bytes) is exactly what {@link #payload} made. */
    static boolean payloadMatches(byte[] packet, int header, int flow, int seq) {
        int len = packet.length - header;
        byte[] expected = payload(flow, seq, len);
        return java.util.Arrays.equals(packet, header, packet.length, expected, 0, len);
    }

    static int flowOf(byte[] packet, int header) {
        return packet[header] & 0xff;
    }

    static int seqOf(byte[] packet, int header) {
        return ByteBuffer.wrap(packet, header + 1, 4).getInt();
    }
}
