package io.wirefx.tun.linux;

import io.wirefx.tun.PacketBatch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.wirefx.tun.linux.InetChecksum.add;
import static io.wirefx.tun.linux.InetChecksum.finish;
import static io.wirefx.tun.linux.InetChecksum.pseudoHeader;
import static io.wirefx.tun.linux.InetChecksum.put16;
import static io.wirefx.tun.linux.InetChecksum.put32;
import static io.wirefx.tun.linux.InetChecksum.u16;
import static io.wirefx.tun.linux.InetChecksum.u32;

/**
 * Turns one frame read from a TUN fd with {@code IFF_VNET_HDR} into ordinary IP packets in {@link PacketBatch} slots,
 * each complete with right lengths and checksums, as the kernel's own segmentation would have sent them:
 * <ul>
 *   <li>no GSO: the packet as is, with its transport checksum completed if the header asks for it
 *       ({@code NEEDS_CSUM}: the field holds the pseudo-header sum, the rest is summed from {@code csum_start});</li>
 *   <li>TCP (TSO4/TSO6): segments of {@code gso_size} payload bytes, each with the headers copied, IP total/payload
 *       length set, IPv4 identification counting up and its header checksum redone, the sequence number advanced,
 *       FIN and PSH kept only on the last segment and CWR only on the first, and the TCP checksum computed;</li>
 *   <li>UDP (USO): datagrams of {@code gso_size} payload bytes with their own UDP length and checksum.</li>
 * </ul>
 * The transport header starts at {@code csum_start}, so IPv6 extension headers and IPv4 options are carried along
 * unchanged in every segment. A frame whose header does not describe its packet is refused (the caller drops and
 * counts it). A frame can yield more segments than a batch has free slots: the rest stay here until the next
 * {@link #emit}, and the reader must not read another frame into the buffer while {@link #pending()}.
 */
final class GsoSplitter {

    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int TCP_FIN = 0x01;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_CWR = 0x80;

    private ByteBuffer src;
    private int packetLen; // IP packet length (frame minus virtio header)
    private int gsoType;
    private int csumStart;
    private int csumOffset;
    private boolean needsCsum;
    private int hdrLen; // IP + transport header of every segment
    private int gsoSize;
    private int segments;
    private int next; // next segment to emit; == segments when nothing is pending

    /** Packets the last loaded frame yields (0 if it was refused). */
    int segments() {
        return segments;
    }

    /** Whether segments of the last loaded frame are still to be emitted. */
    boolean pending() {
        return next < segments;
    }

    /**
     * Takes the frame {@code src[0 .. frameLen)} (virtio header first) for {@link #emit}. Returns false, leaving
     * nothing pending, if the header is inconsistent with the packet or a segment would not fit {@code maxPacket}.
     */
    boolean load(ByteBuffer src, int frameLen, int maxPacket) {
        this.src = src.order(ByteOrder.LITTLE_ENDIAN);
        segments = 0;
        next = 0;
        packetLen = frameLen - VirtioNetHdr.SIZE;
        if (packetLen <= 0) {
            return false;
        }
        needsCsum = (src.get(VirtioNetHdr.FLAGS) & VirtioNetHdr.F_NEEDS_CSUM) != 0;
        gsoType = src.get(VirtioNetHdr.GSO_TYPE) & 0xff & ~VirtioNetHdr.GSO_ECN;
        csumStart = src.getShort(VirtioNetHdr.CSUM_START) & 0xffff;
        csumOffset = src.getShort(VirtioNetHdr.CSUM_OFFSET) & 0xffff;
        gsoSize = src.getShort(VirtioNetHdr.GSO_SIZE) & 0xffff;
        if (needsCsum && csumStart + csumOffset + 2 > packetLen) {
            return false;
        }
        if (gsoType == VirtioNetHdr.GSO_NONE) {
            if (packetLen > maxPacket) {
                return false;
            }
            segments = 1;
            return true;
        }
        int version = (src.get(VirtioNetHdr.SIZE) & 0xf0) >> 4;
        int transportHeader;
        switch (gsoType) {
            case VirtioNetHdr.GSO_TCPV4, VirtioNetHdr.GSO_TCPV6 -> {
                if (version != (gsoType == VirtioNetHdr.GSO_TCPV4 ? 4 : 6) || csumStart + 20 > packetLen) {
                    return false;
                }
                transportHeader = ((src.get(VirtioNetHdr.SIZE + csumStart + 12) & 0xf0) >> 4) * 4;
                if (transportHeader < 20) {
                    return false;
                }
            }
            case VirtioNetHdr.GSO_UDP_L4 -> {
                if (version != 4 && version != 6) {
                    return false;
                }
                transportHeader = 8;
            }
            default -> {
                return false; // UFO (fragmentation) is never offered
            }
        }
        hdrLen = csumStart + transportHeader;
        int minIp = version == 4 ? 20 : 40;
        if (!needsCsum || csumStart < minIp || hdrLen >= packetLen || gsoSize == 0
                || hdrLen + gsoSize > maxPacket) {
            return false;
        }
        segments = (packetLen - hdrLen + gsoSize - 1) / gsoSize;
        return true;
    }

    /**
     * Places pending segments into {@code batch} from slot {@code n} on, while slots are free; returns the index
     * after the last slot filled.
     */
    int emit(PacketBatch batch, int n) {
        int capacity = batch.capacity();
        int off = batch.headroom();
        while (next < segments && n < capacity) {
            byte[] a = batch.array(n);
            if (gsoType == VirtioNetHdr.GSO_NONE) {
                src.get(VirtioNetHdr.SIZE, a, off, packetLen);
                if (needsCsum) {
                    int field = off + csumStart + csumOffset;
                    put16(a, field, finish(add(0, a, off + csumStart, packetLen - csumStart)));
                }
                batch.set(n, off, packetLen);
            } else {
                batch.set(n, off, segment(a, off, next));
            }
            next++;
            n++;
        }
        return n;
    }

    /** Writes segment {@code k} at {@code a[off..]} and returns its length. */
    private int segment(byte[] a, int off, int k) {
        int payloadStart = hdrLen + k * gsoSize;
        int payload = Math.min(gsoSize, packetLen - payloadStart);
        int len = hdrLen + payload;
        src.get(VirtioNetHdr.SIZE, a, off, hdrLen);
        src.get(VirtioNetHdr.SIZE + payloadStart, a, off + hdrLen, payload);
        boolean first = k == 0;
        boolean last = k == segments - 1;
        if ((a[off] & 0xf0) == 0x40) {
            put16(a, off + 2, len);
            put16(a, off + 4, u16(a, off + 4) + k); // identification counts up, as the kernel's TSO does
            InetChecksum.ipv4HeaderChecksum(a, off);
        } else {
            put16(a, off + 4, len - 40);
        }
        int t = off + csumStart;
        int transportLen = len - csumStart;
        if (gsoType == VirtioNetHdr.GSO_UDP_L4) {
            put16(a, t + 4, transportLen);
            put16(a, t + 6, 0);
            int c = finish(add(pseudoHeader(a, off, UDP, transportLen), a, t, transportLen));
            put16(a, t + 6, c == 0 ? 0xffff : c);
            return len;
        }
        put32(a, t + 4, u32(a, t + 4) + k * gsoSize);
        int flags = a[t + 13] & 0xff;
        if (!last) {
            flags &= ~(TCP_FIN | TCP_PSH);
        }
        if (!first) {
            flags &= ~TCP_CWR;
        }
        a[t + 13] = (byte) flags;
        put16(a, t + 16, 0);
        put16(a, t + 16, finish(add(pseudoHeader(a, off, TCP, transportLen), a, t, transportLen)));
        return len;
    }
}
