package io.wirefx.tun.linux;

import io.wirefx.tun.PacketBatch;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GsoSplitter} and {@link TcpCoalescer} on hand-built packets: segment headers, flags and checksums (checked by
 * an independent byte-at-a-time RFC 1071 sum), IPv6 extension headers, TCP options, and what may or may not be
 * coalesced. The kernel's own view is {@link LinuxTunOffloadTest}.
 */
class OffloadCodecTest {

    private static final int FIN = 0x01;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;
    private static final int URG = 0x20;
    private static final int CWR = 0x80;

    @Test
    void splitsAnIpv4TsoFrameIntoSegmentsWithRightHeadersAndChecksums() {
        byte[] payload = payload(5000);
        byte[] options = {1, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 9}; // NOP NOP timestamps
        byte[] big = tcp4(1000, payload, ACK | PSH | FIN | CWR, options, 0x1234);
        List<byte[]> segs = split(big, VirtioNetHdr.GSO_TCPV4, 20, 1400);
        assertEquals(4, segs.size());
        int seq = 1000;
        for (int k = 0; k < segs.size(); k++) {
            byte[] s = segs.get(k);
            int hdr = 20 + 32;
            assertEquals(s.length, u16(s, 2), "IPv4 total length");
            assertEquals(0x1234 + k, u16(s, 4), "identification counts up");
            assertEquals(0xffff, sum(s, 0, 20), "IPv4 header checksum");
            assertEquals(seq, u32(s, 24), "sequence");
            int flags = s[33] & 0xff;
            boolean last = k == segs.size() - 1;
            assertEquals(last, (flags & PSH) != 0, "PSH on the last only");
            assertEquals(last, (flags & FIN) != 0, "FIN on the last only");
            assertEquals(k == 0, (flags & CWR) != 0, "CWR on the first only");
            assertTrue((flags & ACK) != 0);
            assertArrayEquals(options, Arrays.copyOfRange(s, 40, 52), "TCP options in every segment");
            assertEquals(0xffff, tcpSum(s, 20), "TCP checksum");
            assertArrayEquals(Arrays.copyOfRange(payload, seq - 1000, seq - 1000 + s.length - hdr),
                    Arrays.copyOfRange(s, hdr, s.length));
            seq += s.length - hdr;
        }
        assertEquals(1000 + payload.length, seq);
    }

    @Test
    void splitsAnIpv6TsoFrameWithAnExtensionHeaderAndKeepsUrg() {
        byte[] payload = payload(3000);
        byte[] big = tcp6WithDestOptions(77, payload, ACK | URG);
        int transport = 40 + 8;
        List<byte[]> segs = split(big, VirtioNetHdr.GSO_TCPV6, transport, 1200);
        assertEquals(3, segs.size());
        for (byte[] s : segs) {
            assertEquals(s.length - 40, u16(s, 4), "IPv6 payload length");
            assertEquals(60, s[6], "next header: destination options kept");
            assertEquals(6, s[40], "the extension header still says TCP");
            assertEquals(0xffff, tcpSum6(s, transport), "TCP checksum over the IPv6 pseudo-header");
            assertTrue((s[transport + 13] & URG) != 0);
        }
        assertEquals(77 + 2400, u32(segs.get(2), transport + 4));
    }

    @Test
    void splitsUdpGsoAndCompletesAPartialChecksum() {
        byte[] payload = payload(2500);
        byte[] udp = udp4(payload);
        List<byte[]> segs = split(udp, VirtioNetHdr.GSO_UDP_L4, 20, 1000);
        assertEquals(3, segs.size());
        for (byte[] s : segs) {
            assertEquals(s.length - 20, u16(s, 24), "UDP length");
            assertEquals(0xffff, sum(s, 0, 20));
            assertEquals(0xffff, udpSum(s));
        }
        // no GSO, NEEDS_CSUM: the field holds the pseudo-header sum
        byte[] one = udp4(payload(300));
        List<byte[]> plain = split(one, VirtioNetHdr.GSO_NONE, 20, 0);
        assertEquals(1, plain.size());
        assertEquals(0xffff, udpSum(plain.get(0)));
    }

    @Test
    void refusesAFrameWhoseHeaderDoesNotFitItsPacket() {
        byte[] big = tcp4(1, payload(4000), ACK, new byte[0], 1);
        ByteBuffer frame = frame(big, VirtioNetHdr.GSO_TCPV4, 20, 1400, true, 16);
        GsoSplitter s = new GsoSplitter();
        assertFalse(s.load(frame, VirtioNetHdr.SIZE + big.length, 1000), "segment larger than a slot");
        assertFalse(s.pending());
        frame = frame(big, VirtioNetHdr.GSO_TCPV6, 20, 1400, true, 16);
        assertFalse(s.load(frame, VirtioNetHdr.SIZE + big.length, 1500), "TCPv6 GSO on an IPv4 packet");
        frame = frame(big, VirtioNetHdr.GSO_TCPV4, big.length, 1400, true, 16);
        assertFalse(s.load(frame, VirtioNetHdr.SIZE + big.length, 1500), "csum_start beyond the packet");
    }

    @Test
    void keepsSegmentsThatDoNotFitTheBatchForTheNextRead() {
        byte[] big = tcp4(1, payload(14000), ACK, new byte[0], 1);
        GsoSplitter s = new GsoSplitter();
        assertTrue(s.load(frame(big, VirtioNetHdr.GSO_TCPV4, 20, 1400, true, 16), VirtioNetHdr.SIZE + big.length,
                1500));
        PacketBatch batch = new PacketBatch(4, 16, 1500, 32);
        assertEquals(4, s.emit(batch, 0));
        assertTrue(s.pending());
        assertEquals(4, s.emit(batch, 0));
        assertEquals(2, s.emit(batch, 0));
        assertFalse(s.pending());
        assertEquals(1 + 9 * 1400, u32(batch.copyPacket(1), 24), "tenth segment's sequence");
    }

    @Test
    void coalescesInOrderSegmentsOfAFlowAndSplittingGivesThemBack() {
        byte[] options = {1, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 9};
        List<byte[]> segs = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            segs.add(tcp4(100 + k * 1000, payload(k == 4 ? 300 : 1000), k == 4 ? ACK | PSH : ACK, options, 50 + k));
        }
        PacketBatch batch = batchOf(segs);
        TcpCoalescer c = new TcpCoalescer();
        c.begin(batch, true);
        ByteBuffer out = ByteBuffer.allocateDirect(VirtioNetHdr.MAX_FRAME);
        int len = c.frame(batch, 0, out);
        assertEquals(5, c.segments);
        for (int i = 1; i < 5; i++) {
            assertTrue(c.consumed(i));
        }
        out.order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(VirtioNetHdr.GSO_TCPV4, out.get(VirtioNetHdr.GSO_TYPE));
        assertEquals(1000, out.getShort(VirtioNetHdr.GSO_SIZE));
        GsoSplitter s = new GsoSplitter();
        assertTrue(s.load(out, len, 1500));
        PacketBatch back = new PacketBatch(8, 16, 1500, 32);
        assertEquals(5, s.emit(back, 0));
        for (int i = 0; i < 5; i++) {
            byte[] got = back.copyPacket(i);
            byte[] want = segs.get(i);
            assertArrayEquals(Arrays.copyOfRange(want, 20, want.length), Arrays.copyOfRange(got, 20, got.length),
                    "segment " + i + " (TCP part, PSH only on the last)");
        }
    }

    @Test
    void aSegmentThatDoesNotContinueItsFlowEndsTheRunAndNothingPassesIt() {
        List<byte[]> segs = new ArrayList<>();
        segs.add(tcp4(100, payload(1000), ACK, new byte[0], 1));
        segs.add(tcp4(1100, payload(1000), ACK, new byte[0], 2));
        segs.add(tcp4(5000, payload(1000), ACK, new byte[0], 3)); // a gap: not the next byte range
        segs.add(tcp4(2100, payload(1000), ACK, new byte[0], 4));
        segs.add(otherFlow(tcp4(2100, payload(1000), ACK, new byte[0], 5)));
        segs.add(tcp4(3100, payload(500), ACK | FIN, new byte[0], 6)); // FIN: alone
        PacketBatch batch = batchOf(segs);
        TcpCoalescer c = new TcpCoalescer();
        c.begin(batch, true);
        ByteBuffer out = ByteBuffer.allocateDirect(VirtioNetHdr.MAX_FRAME);
        c.frame(batch, 0, out);
        assertEquals(2, c.segments, "slots 0 and 1; the gap stops the run");
        assertFalse(c.consumed(3), "slot 3 must not pass slot 2");
        c.frame(batch, 2, out);
        assertEquals(1, c.segments);
        c.frame(batch, 3, out);
        assertEquals(1, c.segments, "the other flow and the FIN segment do not join");
        assertEquals(0, out.getLong(0), "a lone packet goes with an all-zero header");
        assertEquals(0, out.getShort(8));
    }

    @Test
    void withoutCoalescingEveryPacketGoesAlone() {
        PacketBatch batch = batchOf(List.of(tcp4(1, payload(100), ACK, new byte[0], 1),
                tcp4(101, payload(100), ACK, new byte[0], 2)));
        TcpCoalescer c = new TcpCoalescer();
        c.begin(batch, false);
        c.frame(batch, 0, ByteBuffer.allocateDirect(VirtioNetHdr.MAX_FRAME));
        assertEquals(1, c.segments);
        assertFalse(c.consumed(1));
    }

    // ------------------------------------------------------------------ packet builders

    private static List<byte[]> split(byte[] packet, int gsoType, int csumStart, int gsoSize) {
        ByteBuffer frame = frame(packet, gsoType, csumStart, gsoSize, true, gsoType == VirtioNetHdr.GSO_UDP_L4
                || (gsoType == VirtioNetHdr.GSO_NONE) ? 6 : 16);
        GsoSplitter s = new GsoSplitter();
        assertTrue(s.load(frame, VirtioNetHdr.SIZE + packet.length, 1500));
        PacketBatch batch = new PacketBatch(64, 16, 1500, 32);
        int n = s.emit(batch, 0);
        assertFalse(s.pending());
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(batch.copyPacket(i));
        }
        return out;
    }

    /** A virtio frame as the kernel hands it over: the checksum field holds the pseudo-header sum. */
    private static ByteBuffer frame(byte[] packet, int gsoType, int csumStart, int gsoSize, boolean needsCsum,
                                    int csumOffset) {
        byte[] p = packet.clone();
        if (csumStart + csumOffset + 2 <= p.length) {
            int proto = gsoType == VirtioNetHdr.GSO_UDP_L4 || csumOffset == 6 ? 17 : 6;
            int field = csumStart + csumOffset;
            p[field] = 0;
            p[field + 1] = 0;
            int pseudo = InetChecksum.fold(InetChecksum.pseudoHeader(p, 0, proto, p.length - csumStart));
            InetChecksum.put16(p, field, pseudo);
        }
        ByteBuffer b = ByteBuffer.allocateDirect(VirtioNetHdr.MAX_FRAME).order(ByteOrder.LITTLE_ENDIAN);
        b.put(VirtioNetHdr.FLAGS, (byte) (needsCsum ? VirtioNetHdr.F_NEEDS_CSUM : 0));
        b.put(VirtioNetHdr.GSO_TYPE, (byte) gsoType);
        b.putShort(VirtioNetHdr.GSO_SIZE, (short) gsoSize);
        b.putShort(VirtioNetHdr.CSUM_START, (short) csumStart);
        b.putShort(VirtioNetHdr.CSUM_OFFSET, (short) csumOffset);
        b.put(VirtioNetHdr.SIZE, p);
        return b;
    }

    private static PacketBatch batchOf(List<byte[]> packets) {
        PacketBatch b = new PacketBatch(16, 16, 1500, 32);
        packets.forEach(b::add);
        return b;
    }

    private static byte[] payload(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 7 + 3);
        }
        return p;
    }

    /** An IPv4/TCP packet 10.1.0.1:5000 -> 10.1.0.2:6000 with valid checksums. */
    private static byte[] tcp4(int seq, byte[] payload, int flags, byte[] options, int id) {
        int th = 20 + options.length;
        byte[] p = new byte[20 + th + payload.length];
        p[0] = 0x45;
        InetChecksum.put16(p, 2, p.length);
        InetChecksum.put16(p, 4, id);
        p[6] = 0x40; // DF
        p[8] = 64;
        p[9] = 6;
        p[12] = 10; p[13] = 1; p[15] = 1;
        p[16] = 10; p[17] = 1; p[19] = 2;
        InetChecksum.ipv4HeaderChecksum(p, 0);
        InetChecksum.put16(p, 20, 5000);
        InetChecksum.put16(p, 22, 6000);
        InetChecksum.put32(p, 24, seq);
        InetChecksum.put32(p, 28, 4242);
        p[32] = (byte) ((th / 4) << 4);
        p[33] = (byte) flags;
        InetChecksum.put16(p, 34, 501);
        System.arraycopy(options, 0, p, 40, options.length);
        System.arraycopy(payload, 0, p, 20 + th, payload.length);
        InetChecksum.put16(p, 36, InetChecksum.finish(
                InetChecksum.add(InetChecksum.pseudoHeader(p, 0, 6, p.length - 20), p, 20, p.length - 20)));
        return p;
    }

    private static byte[] otherFlow(byte[] p) {
        InetChecksum.put16(p, 20, 5001);
        p[36] = 0;
        p[37] = 0;
        InetChecksum.put16(p, 36, InetChecksum.finish(
                InetChecksum.add(InetChecksum.pseudoHeader(p, 0, 6, p.length - 20), p, 20, p.length - 20)));
        return p;
    }

    /** IPv6 fd00::1 -> fd00::2 with an 8-byte destination-options header before a 20-byte TCP header. */
    private static byte[] tcp6WithDestOptions(int seq, byte[] payload, int flags) {
        int t = 48;
        byte[] p = new byte[t + 20 + payload.length];
        p[0] = 0x60;
        InetChecksum.put16(p, 4, p.length - 40);
        p[6] = 60;
        p[7] = 64;
        p[8] = (byte) 0xfd; p[23] = 1;
        p[24] = (byte) 0xfd; p[39] = 2;
        p[40] = 6; // next: TCP
        p[41] = 0; // 8 bytes
        p[42] = 1; p[43] = 4; // PadN of 4 bytes
        InetChecksum.put16(p, t, 7000);
        InetChecksum.put16(p, t + 2, 443);
        InetChecksum.put32(p, t + 4, seq);
        p[t + 12] = 0x50;
        p[t + 13] = (byte) flags;
        InetChecksum.put16(p, t + 18, 3); // urgent pointer
        System.arraycopy(payload, 0, p, t + 20, payload.length);
        return p;
    }

    private static byte[] udp4(byte[] payload) {
        byte[] p = new byte[28 + payload.length];
        p[0] = 0x45;
        InetChecksum.put16(p, 2, p.length);
        p[8] = 64;
        p[9] = 17;
        p[12] = 10; p[13] = 1; p[15] = 1;
        p[16] = 10; p[17] = 1; p[19] = 2;
        InetChecksum.ipv4HeaderChecksum(p, 0);
        InetChecksum.put16(p, 20, 5353);
        InetChecksum.put16(p, 22, 9999);
        InetChecksum.put16(p, 24, p.length - 20);
        System.arraycopy(payload, 0, p, 28, payload.length);
        return p;
    }

    // ------------------------------------------------------------------ an independent checksum

    /** RFC 1071, one 16-bit word at a time, folded: 0xffff when a region including its checksum is right. */
    private static int sum(byte[] a, int off, int len) {
        long s = 0;
        for (int i = 0; i < len; i += 2) {
            s += ((a[off + i] & 0xff) << 8) | (i + 1 < len ? a[off + i + 1] & 0xff : 0);
        }
        return fold(s);
    }

    private static int fold(long s) {
        while (s > 0xffff) {
            s = (s & 0xffff) + (s >> 16);
        }
        return (int) s;
    }

    private static int tcpSum(byte[] s, int t) {
        int len = s.length - t;
        return fold(sum(s, 12, 8) + 6L + len + sum(s, t, len));
    }

    private static int tcpSum6(byte[] s, int t) {
        int len = s.length - t;
        return fold(sum(s, 8, 32) + 6L + len + sum(s, t, len));
    }

    private static int udpSum(byte[] s) {
        int len = s.length - 20;
        return fold(sum(s, 12, 8) + 17L + len + sum(s, 20, len));
    }

    private static int u16(byte[] a, int i) {
        return ((a[i] & 0xff) << 8) | (a[i + 1] & 0xff);
    }

    private static int u32(byte[] a, int i) {
        return ((a[i] & 0xff) << 24) | ((a[i + 1] & 0xff) << 16) | ((a[i + 2] & 0xff) << 8) | (a[i + 3] & 0xff);
    }
}
