package io.wirefx.tun.linux;

/**
 * The {@code struct virtio_net_hdr} that precedes every packet on a TUN fd opened with {@code IFF_VNET_HDR}
 * (10 bytes, host byte order on x86-64 and AArch64), and the {@code TUNSETOFFLOAD} flags that say which of its
 * super-packets the kernel may hand to us.
 */
final class VirtioNetHdr {

    static final int SIZE = 10;

    // struct virtio_net_hdr offsets
    static final int FLAGS = 0;
    static final int GSO_TYPE = 1;
    static final int HDR_LEN = 2;
    static final int GSO_SIZE = 4;
    static final int CSUM_START = 6;
    static final int CSUM_OFFSET = 8;

    static final int F_NEEDS_CSUM = 1;
    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    static final int GSO_UDP = 3;
    static final int GSO_TCPV6 = 4;
    static final int GSO_UDP_L4 = 5;
    static final int GSO_ECN = 0x80;

    /** {@code ifr_flags}: prepend a virtio_net_hdr to every packet. */
    static final short IFF_VNET_HDR = 0x4000;
    /** {@code _IOW('T', 208, unsigned int)}: which offloads the reader accepts. */
    static final long TUNSETOFFLOAD = 0x400454d0L;

    static final int TUN_F_CSUM = 0x01;
    static final int TUN_F_TSO4 = 0x02;
    static final int TUN_F_TSO6 = 0x04;
    static final int TUN_F_USO4 = 0x20;
    static final int TUN_F_USO6 = 0x40;

    /** Largest frame a read or write carries: the header plus a 64 KiB IP packet. */
    static final int MAX_FRAME = SIZE + 65535;

    private VirtioNetHdr() {
    }
}
