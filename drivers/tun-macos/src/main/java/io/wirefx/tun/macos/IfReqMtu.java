package io.wirefx.tun.macos;

import com.sun.jna.Structure;

import java.nio.charset.StandardCharsets;

/**
 * {@code struct ifreq} (XNU {@code bsd/net/if.h}) as used by {@code SIOCGIFMTU}/{@code SIOCSIFMTU}:
 * {@code char ifr_name[IFNAMSIZ = 16]} @0, then the 16-byte union @16 whose {@code int ifr_mtu} is at its start;
 * 32 bytes on LP64.
 */
@Structure.FieldOrder({"ifr_name", "ifr_mtu", "ifr_rest"})
public class IfReqMtu extends Structure {

    static final int IFNAMSIZ = 16;

    /** {@code _IOWR('i', 51, struct ifreq)}. */
    static final long SIOCGIFMTU = 0xC0206933L;
    /** {@code _IOW('i', 52, struct ifreq)}. */
    static final long SIOCSIFMTU = 0x80206934L;

    public byte[] ifr_name = new byte[IFNAMSIZ];
    public int ifr_mtu;
    public byte[] ifr_rest = new byte[12];

    IfReqMtu() {
    }

    IfReqMtu(String name, int mtu) {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        if (b.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name longer than 15 bytes: " + name);
        }
        System.arraycopy(b, 0, ifr_name, 0, b.length);
        ifr_mtu = mtu;
    }
}
