package io.wirefx.tun.linux;

import com.sun.jna.Memory;

import java.nio.charset.StandardCharsets;

/**
 * A {@code struct ifreq} buffer: {@code ifr_name} at 0 (16 bytes, NUL-terminated), then the union at 16, used here
 * as {@code short ifr_flags} or {@code int ifr_mtu} in host byte order. 40 bytes on LP64.
 */
final class IfReq {

    static final int SIZE = 40;
    static final int IFNAMSIZ = 16;

    // ioctl request numbers (reference §10.1; _IOW/_IOR encodings of x86-64 and AArch64).
    static final long TUNSETIFF = 0x400454caL;
    static final long TUNGETIFF = 0x800454d2L;
    static final long SIOCGIFFLAGS = 0x8913;
    static final long SIOCSIFFLAGS = 0x8914;
    static final long SIOCGIFMTU = 0x8921;
    static final long SIOCSIFMTU = 0x8922;

    static final short IFF_TUN = 0x0001;
    static final short IFF_NO_PI = 0x1000;
    static final short IFF_UP = 0x1;

    final Memory mem = new Memory(SIZE);

    IfReq(String name) {
        mem.clear();
        if (name != null) {
            byte[] b = name.getBytes(StandardCharsets.US_ASCII);
            if (b.length >= IFNAMSIZ) {
                throw new IllegalArgumentException("interface name longer than 15 bytes: " + name);
            }
            mem.write(0, b, 0, b.length);
        }
    }

    String name() {
        byte[] b = mem.getByteArray(0, IFNAMSIZ);
        int n = 0;
        while (n < IFNAMSIZ && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    short flags() {
        return mem.getShort(16);
    }

    IfReq flags(short flags) {
        mem.setShort(16, flags);
        return this;
    }

    int intValue() {
        return mem.getInt(16);
    }

    IfReq intValue(int v) {
        mem.setInt(16, v);
        return this;
    }

    /**
     * Checks a name or template the way the kernel's {@code dev_valid_name} does, plus ASCII: 1..15 bytes, not
     * {@code .} or {@code ..}, no {@code /}, {@code :} or whitespace. {@code %d} is allowed once (template).
     */
    static void validateName(String name) {
        if (name.length() >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name longer than 15 bytes: " + name);
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("invalid interface name: " + name);
        }
        int percents = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '/' || c == ':') {
                throw new IllegalArgumentException("invalid character in interface name: " + name);
            }
            if (c == '%') {
                if (i + 1 >= name.length() || name.charAt(i + 1) != 'd' || ++percents > 1) {
                    throw new IllegalArgumentException("only one %d is allowed in an interface name: " + name);
                }
            }
        }
    }
}
