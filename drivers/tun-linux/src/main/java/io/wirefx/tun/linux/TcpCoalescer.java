package io.wirefx.tun.linux;

import io.wirefx.tun.PacketBatch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static io.wirefx.tun.linux.InetChecksum.fold;
import static io.wirefx.tun.linux.InetChecksum.pseudoHeader;
import static io.wirefx.tun.linux.InetChecksum.u16;
import static io.wirefx.tun.linux.InetChecksum.u32;

/**
 * Builds the frames written to a TUN fd with {@code IFF_VNET_HDR}: in-order TCP segments of one flow found in a
 * batch become one super-packet with a TSO virtio header (the kernel takes it like a GRO'd packet: one trip up the
 * stack instead of one per segment); every other packet is written alone behind an all-zero header.
 *
 * <p>A segment joins the super-packet begun by an earlier slot of its flow when it is exactly the next byte range
 * (sequence number), carries the same acknowledgement number, header length and TCP options, the same IP
 * TOS/TTL/DF (IPv4) or traffic class, flow label and hop limit (IPv6), has only ACK (and PSH) set, has as much
 * payload as the first segment (only the last may be shorter), and the result stays within 64 KiB. A segment with
 * PSH ends its super-packet. A segment of the flow that does not fit ends the flow's super-packet, and the flow's
 * later segments are not moved ahead of it: order within a flow is kept; packets of different flows may pass each
 * other. Packets with IPv4 options or IPv6 extension headers, fragments, SYN/FIN/RST/URG/ECE/CWR, and empty
 * segments are written alone.
 *
 * <p>The super-packet keeps the first segment's headers with the total length fixed up (and the IPv4 header
 * checksum redone), PSH if the last segment had it, and the TCP checksum field holding the pseudo-header sum with
 * {@code NEEDS_CSUM}, as the virtio contract wants for a partial checksum.
 */
final class TcpCoalescer {

    private static final int TCP = 6;
    private static final int MAX_IP = 65535;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;

    private boolean[] used = new boolean[0];
    private int[] kind = new int[0];
    private int[] tcpOff = new int[0]; // IP header length of a TCP slot
    private int[] tcpLen = new int[0];

    private static final int NOT_TCP = 0;
    private static final int COALESCABLE = 1;
    /** TCP that must be written alone (flags, no payload): its flow's later segments must not pass it. */
    private static final int TCP_ALONE = 2;
    /** Unparsed (IPv4 options, IPv6 extension headers, fragments): may belong to any TCP flow. */
    private static final int OPAQUE = 3;

    /** Slots of {@code batch} consumed by the last {@link #frame} (1 for a lone packet). */
    int segments;

    /** Prepares for one batch: classifies its slots ({@code coalesce} false: every packet goes alone). */
    void begin(PacketBatch batch, boolean coalesce) {
        int count = batch.count();
        if (used.length < count) {
            used = new boolean[batch.capacity()];
            tcpOff = new int[batch.capacity()];
            tcpLen = new int[batch.capacity()];
            kind = new int[batch.capacity()];
        }
        Arrays.fill(used, 0, count, false);
        for (int i = 0; i < count; i++) {
            if (coalesce) {
                classify(batch, i);
            } else {
                kind[i] = NOT_TCP;
            }
        }
    }

    /** Whether slot {@code i} was already written as part of an earlier super-packet. */
    boolean consumed(int i) {
        return used[i];
    }

    private void classify(PacketBatch batch, int i) {
        tcpOff[i] = 0;
        kind[i] = OPAQUE;
        byte[] a = batch.array(i);
        int p = batch.offset(i);
        int len = batch.length(i);
        if (len < 20) {
            return;
        }
        int ipLen;
        int v = a[p] & 0xf0;
        if (v == 0x40) {
            if (a[p + 9] != TCP) {
                kind[i] = NOT_TCP;
                return;
            }
            if ((a[p] & 0x0f) != 5 || u16(a, p + 2) != len || (u16(a, p + 6) & 0x3fff) != 0 || len < 40) {
                return; // options, fragment (MF or an offset), or a length that does not add up
            }
            ipLen = 20;
        } else if (v == 0x60 && len >= 40) {
            int next = a[p + 6] & 0xff;
            if (next == 17 || next == 58) { // UDP, ICMPv6
                kind[i] = NOT_TCP;
                return;
            }
            if (next != TCP || len < 60 || u16(a, p + 4) + 40 != len) {
                return; // extension headers (may hide TCP), or a length that does not add up
            }
            ipLen = 40;
        } else {
            return;
        }
        int t = p + ipLen;
        int th = ((a[t + 12] & 0xf0) >> 4) * 4;
        if (th < 20 || ipLen + th > len) {
            return;
        }
        tcpOff[i] = ipLen;
        tcpLen[i] = th;
        int flags = a[t + 13] & 0xff;
        kind[i] = ipLen + th < len && (flags & ~PSH) == ACK ? COALESCABLE : TCP_ALONE;
    }

    /**
     * Writes the frame that starts with slot {@code i} (not {@link #consumed}) into {@code out} from position 0:
     * virtio header, then the packet or super-packet. Returns the frame length; {@link #segments} says how many
     * slots went into it.
     */
    int frame(PacketBatch batch, int i, ByteBuffer out) {
        out.order(ByteOrder.LITTLE_ENDIAN);
        byte[] a = batch.array(i);
        int p = batch.offset(i);
        int len = batch.length(i);
        used[i] = true;
        segments = 1;
        out.put(VirtioNetHdr.SIZE, a, p, len);
        int ip = tcpOff[i];
        int th = tcpLen[i];
        if (kind[i] != COALESCABLE || (a[p + ip + 13] & PSH) != 0) {
            zeroHeader(out);
            return VirtioNetHdr.SIZE + len;
        }
        int hdr = ip + th;
        int mss = len - hdr;
        int nextSeq = u32(a, p + ip + 4) + mss;
        int total = len;
        int lastFlags = a[p + ip + 13] & 0xff;
        int count = batch.count();
        for (int j = i + 1; j < count && total + mss <= MAX_IP; j++) {
            if (used[j] || kind[j] == NOT_TCP) {
                continue;
            }
            if (kind[j] == OPAQUE) {
                break; // might be this flow's: nothing may pass it
            }
            byte[] b = batch.array(j);
            int q = batch.offset(j);
            if (tcpOff[j] != ip || !sameFlow(a, p, b, q, ip)) {
                continue;
            }
            if (kind[j] != COALESCABLE) {
                break;
            }
            int blen = batch.length(j);
            int payload = blen - hdr;
            if (tcpLen[j] != th || u32(b, q + ip + 4) != nextSeq || payload > mss
                    || !sameHeaders(a, p, b, q, ip, th)) {
                break; // this flow's next segment does not continue the run: keep the flow's order
            }
            out.put(VirtioNetHdr.SIZE + total, b, q + hdr, payload);
            used[j] = true;
            segments++;
            total += payload;
            nextSeq += payload;
            lastFlags = b[q + ip + 13] & 0xff;
            if (payload < mss || (lastFlags & PSH) != 0) {
                break;
            }
        }
        if (segments == 1) {
            zeroHeader(out);
            return VirtioNetHdr.SIZE + len;
        }
        int o = VirtioNetHdr.SIZE;
        if (ip == 20) {
            out.put(o + 2, (byte) (total >>> 8)).put(o + 3, (byte) total);
            out.put(o + 10, (byte) 0).put(o + 11, (byte) 0);
            int c = ~fold(headerSum(out, o, 20)) & 0xffff;
            out.put(o + 10, (byte) (c >>> 8)).put(o + 11, (byte) c);
        } else {
            int pl = total - 40;
            out.put(o + 4, (byte) (pl >>> 8)).put(o + 5, (byte) pl);
        }
        out.put(o + ip + 13, (byte) ((a[p + ip + 13] & 0xff) | (lastFlags & PSH)));
        int partial = fold(pseudoHeader(a, p, TCP, total - ip));
        out.put(o + ip + 16, (byte) (partial >>> 8)).put(o + ip + 17, (byte) partial);
        out.put(VirtioNetHdr.FLAGS, (byte) VirtioNetHdr.F_NEEDS_CSUM);
        out.put(VirtioNetHdr.GSO_TYPE, (byte) (ip == 20 ? VirtioNetHdr.GSO_TCPV4 : VirtioNetHdr.GSO_TCPV6));
        out.putShort(VirtioNetHdr.HDR_LEN, (short) hdr);
        out.putShort(VirtioNetHdr.GSO_SIZE, (short) mss);
        out.putShort(VirtioNetHdr.CSUM_START, (short) ip);
        out.putShort(VirtioNetHdr.CSUM_OFFSET, (short) 16);
        return VirtioNetHdr.SIZE + total;
    }

    private static void zeroHeader(ByteBuffer out) {
        out.putLong(0, 0L).putShort(8, (short) 0);
    }

    private static long headerSum(ByteBuffer b, int off, int len) {
        long s = 0;
        for (int k = 0; k < len; k += 2) {
            s += ((b.get(off + k) & 0xff) << 8) | (b.get(off + k + 1) & 0xff);
        }
        return s;
    }

    /** Same addresses and ports. */
    private static boolean sameFlow(byte[] a, int p, byte[] b, int q, int ip) {
        int addr = ip == 20 ? 12 : 8;
        int n = ip == 20 ? 8 : 32;
        return Arrays.equals(a, p + addr, p + addr + n, b, q + addr, q + addr + n)
                && u32(a, p + ip) == u32(b, q + ip);
    }

    /** IP fields that must agree, and the acknowledgement number, window-independent TCP options. */
    private static boolean sameHeaders(byte[] a, int p, byte[] b, int q, int ip, int th) {
        if (ip == 20) {
            if (a[p + 1] != b[q + 1] || a[p + 8] != b[q + 8] || (a[p + 6] & 0x40) != (b[q + 6] & 0x40)) {
                return false; // TOS, TTL, DF
            }
        } else if (u32(a, p) != u32(b, q) || a[p + 7] != b[q + 7]) {
            return false; // version, traffic class, flow label; hop limit
        }
        int t = p + ip;
        int s = q + ip;
        return u32(a, t + 8) == u32(b, s + 8)
                && (b[s + 13] & ~PSH) == ACK
                && Arrays.equals(a, t + 20, t + th, b, s + 20, s + th);
    }
}
