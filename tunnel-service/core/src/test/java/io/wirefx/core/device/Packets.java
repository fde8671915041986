package io.wirefx.core.device;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Builds minimal IPv4/IPv6 packets for tests (header fields that the device reads; no checksum needed). */
final class Packets {
    private Packets() {
    }

    static byte[] ipv4(String src, String dst, int payloadLen, int fill) {
        byte[] p = new byte[20 + payloadLen];
        p[0] = 0x45;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[8] = 64;
        p[9] = 17;
        System.arraycopy(addr(src), 0, p, 12, 4);
        System.arraycopy(addr(dst), 0, p, 16, 4);
        for (int i = 20; i < p.length; i++) {
            p[i] = (byte) (fill + i);
        }
        return p;
    }

    static byte[] ipv6(String src, String dst, int payloadLen, int fill) {
        byte[] p = new byte[40 + payloadLen];
        p[0] = 0x60;
        p[4] = (byte) (payloadLen >>> 8);
        p[5] = (byte) payloadLen;
        p[6] = 17;
        p[7] = 64;
        System.arraycopy(addr(src), 0, p, 8, 16);
        System.arraycopy(addr(dst), 0, p, 24, 16);
        for (int i = 40; i < p.length; i++) {
            p[i] = (byte) (fill + i);
        }
        return p;
    }

    static byte[] addr(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
