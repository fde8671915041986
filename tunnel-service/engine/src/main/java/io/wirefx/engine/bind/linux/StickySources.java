package io.wirefx.engine.bind.linux;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replies leave from the address the peer sent to, as the kernel module does. The sockets ask for the destination
 * address of every datagram ({@code IP_PKTINFO}, {@code IPV6_RECVPKTINFO}); the receive path hands each datagram's
 * control messages to {@link #learn}, which remembers per remote endpoint the local address it reached and the
 * interface it came in on. The send path asks {@link #encode} for a control message that makes the kernel send from
 * that address out of that interface; when the kernel refuses it (the address went away, the interface went down, no
 * route through it), {@link #forget} drops it and the datagram is sent again with the kernel's own choice. Pinning
 * the interface is what makes a host that roams to another link (its old address still assigned, the old link down)
 * send from its new address, as the kernel module does by dropping a source whose route no longer uses its
 * interface.
 *
 * <p>The table holds at most {@value #MAX_ENTRIES} endpoints and starts over when full: datagrams from spoofed
 * sources can churn it, which costs only the choice of source address, never a datagram.
 */
final class StickySources {
    /** Bytes of control buffer per message: one cmsghdr with an in6_pktinfo, with room to spare. */
    static final int CONTROL_SIZE = 64;

    private static final int IPPROTO_IP = 0;
    private static final int IP_PKTINFO = 8;
    private static final int IPV6_RECVPKTINFO = 49;
    private static final int IPV6_PKTINFO = 50;
    private static final int CMSG_HEADER = 16;     // size_t cmsg_len; int cmsg_level; int cmsg_type
    private static final int IN_PKTINFO = 12;      // int ipi_ifindex; in_addr ipi_spec_dst; in_addr ipi_addr
    private static final int IN6_PKTINFO = 20;     // in6_addr ipi6_addr; int ipi6_ifindex
    private static final int MAX_ENTRIES = 4096;

    /** A local address (4 or 16 bytes) and the interface index to send on (0: any). */
    private record Local(byte[] address, int ifindex) {
    }

    private final ConcurrentHashMap<InetSocketAddress, Local> sources = new ConcurrentHashMap<>();

    /** Asks the kernel for destination addresses on {@code fd}; false if it refuses (then nothing is learned). */
    static boolean enable(int fd, boolean ipv6) {
        ByteBuffer v = LinuxUdpBind.direct(4);
        v.putInt(0, 1);
        return Sys.setsockopt(fd, ipv6 ? Sys.IPPROTO_IPV6 : IPPROTO_IP, ipv6 ? IPV6_RECVPKTINFO : IP_PKTINFO,
                com.sun.jna.Native.getDirectBufferPointer(v), 4) == 0;
    }

    /**
     * Remembers the local address of a datagram from {@code from}, read from the control messages the kernel wrote at
     * {@code h[off, off + len)}. Allocates only when the endpoint is new or its local address changed.
     */
    void learn(ByteBuffer h, int off, long len, InetSocketAddress from) {
        for (int p = 0; p + CMSG_HEADER <= len; ) {
            long cmsgLen = h.getLong(off + p);
            if (cmsgLen < CMSG_HEADER || p + cmsgLen > len) {
                return;
            }
            int level = h.getInt(off + p + 8);
            int type = h.getInt(off + p + 12);
            int data = off + p + CMSG_HEADER;
            if (level == IPPROTO_IP && type == IP_PKTINFO && cmsgLen >= CMSG_HEADER + IN_PKTINFO) {
                remember(from, h, data + 8, 4, h.getInt(data)); // ipi_addr, and ipi_ifindex
                return;
            }
            if (level == Sys.IPPROTO_IPV6 && type == IPV6_PKTINFO && cmsgLen >= CMSG_HEADER + IN6_PKTINFO) {
                remember(from, h, data, 16, h.getInt(data + 16));
                return;
            }
            p += (int) ((cmsgLen + 7) & ~7L);
        }
    }

    private void remember(InetSocketAddress from, ByteBuffer h, int at, int n, int ifindex) {
        Local known = sources.get(from);
        if (known != null && known.ifindex == ifindex && known.address.length == n) {
            boolean same = true;
            for (int i = 0; i < n && same; i++) {
                same = known.address[i] == h.get(at + i);
            }
            if (same) {
                return;
            }
        }
        if (known == null && sources.size() >= MAX_ENTRIES) {
            sources.clear();
        }
        byte[] a = new byte[n];
        h.get(at, a, 0, n);
        sources.put(from, new Local(a, ifindex));
    }

    /**
     * Writes the control message that sends to {@code to} from its remembered local address at {@code h[off, …)};
     * returns its length, or 0 when nothing is remembered (let the kernel choose).
     */
    int encode(ByteBuffer h, int off, InetSocketAddress to) {
        Local l = sources.get(to);
        if (l == null) {
            return 0;
        }
        boolean v6 = to.getAddress() instanceof Inet6Address;
        if (v6 != (l.address.length == 16)) {
            return 0;
        }
        int dataLen = v6 ? IN6_PKTINFO : IN_PKTINFO;
        int total = (CMSG_HEADER + dataLen + 7) & ~7;
        for (int i = 0; i < total; i++) {
            h.put(off + i, (byte) 0);
        }
        h.putLong(off, CMSG_HEADER + dataLen);
        h.putInt(off + 8, v6 ? Sys.IPPROTO_IPV6 : IPPROTO_IP);
        h.putInt(off + 12, v6 ? IPV6_PKTINFO : IP_PKTINFO);
        int data = off + CMSG_HEADER;
        if (v6) {
            h.put(data, l.address);
            h.putInt(data + 16, l.ifindex);
        } else {
            h.putInt(data, l.ifindex); // ipi_ifindex: out the interface it came in on, as wireguard-go's sticky sockets
            h.put(data + 4, l.address); // ipi_spec_dst: the source address
        }
        return total;
    }

    /** Drops the remembered source for {@code to} (the kernel refused it). */
    void forget(InetSocketAddress to) {
        sources.remove(to);
    }

    /** The remembered local address for {@code to}, for tests and diagnostics. */
    byte[] localFor(InetSocketAddress to) {
        Local l = sources.get(to);
        return l == null ? null : Arrays.copyOf(l.address, l.address.length);
    }
}
