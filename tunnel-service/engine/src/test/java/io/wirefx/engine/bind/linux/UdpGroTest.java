package io.wirefx.engine.bind.linux;

import io.wirefx.engine.bind.DatagramBatch;
import io.wirefx.tun.linux.testing.NetNs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Coalesced receives ({@code UDP_GRO}) with real sockets on the loopback of a throw-away namespace: the sender is a
 * {@link LinuxUdpBind} that segments runs of equal-size datagrams ({@code UDP_SEGMENT}), which the kernel hands to a
 * GRO receiver as one buffer; the receiver must cut it back into exactly the datagrams that were sent, in order, with
 * their source, whatever the sizes (exact multiples, a short last one, a single datagram), senders and batch sizes.
 * The same traffic to a receiver without GRO checks the plain path. Root only.
 */
@Timeout(60)
class UdpGroTest {
    private static final long WAIT_NANOS = 5_000_000_000L;
    private static NetNs ns;

    @BeforeAll
    static void namespace() throws Exception {
        assumeTrue(LinuxUdpBind.isAvailable(), () -> "skipped: " + LinuxUdpBind.unavailabilityCause().orElse("?"));
        assumeTrue(NetNs.unavailabilityCause().isEmpty(), () -> "skipped: " + NetNs.unavailabilityCause().orElse(""));
        ns = NetNs.create("wfxgro-");
        ns.ip("link", "set", "lo", "up");
    }

    @AfterAll
    static void close() {
        if (ns != null) {
            ns.close();
        }
    }

    private static LinuxUdpBind open(boolean offloads) throws Exception {
        return ns.runInside(() -> LinuxUdpBind.open(0, offloads));
    }

    /** A datagram whose bytes say which one it is: tag, then a counter from the tag. */
    private static byte[] datagram(int tag, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (tag * 7 + i);
        }
        if (len > 0) {
            b[0] = (byte) tag;
        }
        return b;
    }

    private record Received(InetSocketAddress from, byte[] data) {
    }

    /** Receives until {@code want} datagrams arrived (or fails after a few seconds). */
    private static List<Received> receive(LinuxUdpBind rx, DatagramBatch in, int want) throws Exception {
        List<Received> got = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (got.size() < want) {
            assertTrue(System.nanoTime() < deadline, "only " + got.size() + " of " + want + " datagrams arrived");
            int n = rx.receive(in);
            assertTrue(n >= 1 && n <= in.capacity(), "count " + n);
            for (int i = 0; i < n; i++) {
                assertEquals(in.headroom(), in.offset(i), "datagrams start at the headroom");
                got.add(new Received(in.endpoint(i),
                        Arrays.copyOfRange(in.array(i), in.offset(i), in.offset(i) + in.length(i))));
            }
        }
        return got;
    }

    /** Sends datagrams of these sizes (tags 0, 1, ...) from {@code tx} to {@code to} in one batch. */
    private static List<byte[]> send(LinuxUdpBind tx, InetSocketAddress to, int tagBase, int... sizes)
            throws Exception {
        DatagramBatch out = new DatagramBatch(Math.max(sizes.length, 1), 16, 1500, 32);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            byte[] d = datagram(tagBase + i, sizes[i]);
            out.add(d, 0, d.length, to);
            sent.add(d);
        }
        assertEquals(sizes.length, tx.send(out), "all handed to the kernel");
        return sent;
    }

    private static int[] sizes(int count, int size, int... tail) {
        int[] s = new int[count + tail.length];
        Arrays.fill(s, 0, count, size);
        System.arraycopy(tail, 0, s, count, tail.length);
        return s;
    }

    private static InetSocketAddress at(String address, LinuxUdpBind rx) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(address), rx.localPort());
    }

    private static void assertSame(List<byte[]> sent, List<Received> got, InetSocketAddress from) {
        assertEquals(sent.size(), got.size(), "datagram count");
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), got.get(i).data(), "datagram " + i + " (size " + sent.get(i).length + ")");
            assertEquals(from.getPort(), got.get(i).from().getPort(), "datagram " + i + " source port");
            assertEquals(from.getAddress(), got.get(i).from().getAddress(), "datagram " + i + " source address");
        }
    }

    private static InetSocketAddress source(String address, LinuxUdpBind tx) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(address), tx.localPort());
    }

    /** Sends the sizes in one batch and checks that they come back one by one; returns the coalesced buffers seen. */
    private static long roundTrip(String address, int... sizes) throws Exception {
        try (LinuxUdpBind tx = open(true); LinuxUdpBind rx = open(true)) {
            assumeTrue(tx.usesGso(), "skipped: no UDP_SEGMENT in this kernel");
            assumeTrue(rx.usesGro(), "skipped: no UDP_GRO in this kernel");
            List<byte[]> sent = send(tx, at(address, rx), 0, sizes);
            List<Received> got = receive(rx, new DatagramBatch(128, 16, 1500, 32), sent.size());
            assertSame(sent, got, source(address, tx));
            assertEquals(sent.size(), rx.stats().received());
            assertEquals(0, rx.stats().oversizeDrops());
            return rx.groMessages();
        }
    }

    @Test
    void exactMultiplesAreCutIntoTheirDatagrams() throws Exception {
        long coalesced = roundTrip("127.0.0.1", sizes(64, 1200));
        assertTrue(coalesced >= 1, "the kernel coalesced the segmented send: " + coalesced);
    }

    @Test
    void aShortLastDatagramKeepsItsLength() throws Exception {
        assertTrue(roundTrip("127.0.0.1", sizes(10, 1000, 301)) >= 1);
    }

    @Test
    void ipv6IsCutTheSameWay() throws Exception {
        assertTrue(roundTrip("::1", sizes(33, 1280, 7)) >= 1);
    }

    @Test
    void aSingleDatagramIsNotCoalesced() throws Exception {
        assertEquals(0, roundTrip("127.0.0.1", 700));
    }

    @Test
    void twoDatagramsOfOneByte() throws Exception {
        roundTrip("127.0.0.1", 1, 1);
    }

    @Test
    void mixedSizesAndRunsAllArriveInOrder() throws Exception {
        // runs the sender segments (each ending at a shorter datagram or a size change) and lone datagrams between
        roundTrip("127.0.0.1", 1200, 1200, 1200, 500, 900, 900, 1400, 60, 60, 60, 60, 1300);
    }

    @Test
    void coalescedBuffersFromSeveralSendersKeepTheirSources() throws Exception {
        try (LinuxUdpBind a = open(true); LinuxUdpBind b = open(true); LinuxUdpBind rx = open(true)) {
            assumeTrue(a.usesGso() && rx.usesGro(), "skipped: no UDP_SEGMENT/UDP_GRO in this kernel");
            InetSocketAddress to = at("127.0.0.1", rx);
            List<byte[]> fromA = new ArrayList<>();
            List<byte[]> fromB = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                fromA.addAll(send(a, to, 100 * round, sizes(20, 1100, 100)));
                fromB.addAll(send(b, to, 100 * round + 50, sizes(15, 800)));
            }
            List<Received> got = receive(rx, new DatagramBatch(64, 16, 1500, 32), fromA.size() + fromB.size());
            Map<Integer, List<byte[]>> bySource = new HashMap<>();
            for (Received r : got) {
                bySource.computeIfAbsent(r.from().getPort(), p -> new ArrayList<>()).add(r.data());
            }
            assertEquals(2, bySource.size(), "two sources");
            List<byte[]> gotA = bySource.get(a.localPort());
            List<byte[]> gotB = bySource.get(b.localPort());
            assertEquals(fromA.size(), gotA.size());
            assertEquals(fromB.size(), gotB.size());
            for (int i = 0; i < fromA.size(); i++) {
                assertArrayEquals(fromA.get(i), gotA.get(i), "sender a, datagram " + i);
            }
            for (int i = 0; i < fromB.size(); i++) {
                assertArrayEquals(fromB.get(i), gotB.get(i), "sender b, datagram " + i);
            }
            assertTrue(rx.groMessages() >= 2, "coalesced buffers: " + rx.groMessages());
            assertEquals(got.size(), rx.stats().received());
        }
    }

    @Test
    void aCoalescedBufferLargerThanTheBatchIsDeliveredOverSeveralCalls() throws Exception {
        try (LinuxUdpBind tx = open(true); LinuxUdpBind rx = open(true)) {
            assumeTrue(tx.usesGso() && rx.usesGro(), "skipped: no UDP_SEGMENT/UDP_GRO in this kernel");
            List<byte[]> sent = send(tx, at("127.0.0.1", rx), 0, sizes(50, 1000, 10));
            DatagramBatch small = new DatagramBatch(8, 16, 1500, 32);
            List<Received> got = receive(rx, small, sent.size());
            assertSame(sent, got, source("127.0.0.1", tx));
            assertTrue(rx.groMessages() >= 1);
            // a later datagram comes after the rest of the coalesced buffer, not before it
            List<byte[]> later = send(tx, at("127.0.0.1", rx), 200, 77);
            assertSame(later, receive(rx, small, 1), source("127.0.0.1", tx));
        }
    }

    @Test
    void segmentsLargerThanTheBatchSlotsAreDroppedAndCounted() throws Exception {
        try (LinuxUdpBind tx = open(true); LinuxUdpBind rx = open(true)) {
            assumeTrue(tx.usesGso() && rx.usesGro(), "skipped: no UDP_SEGMENT/UDP_GRO in this kernel");
            InetSocketAddress to = at("127.0.0.1", rx);
            send(tx, to, 0, sizes(10, 1200));
            List<byte[]> small = send(tx, to, 50, 300);
            List<Received> got = receive(rx, new DatagramBatch(16, 0, 1000, 0), 1);
            assertSame(small, got, source("127.0.0.1", tx));
            assertEquals(10, rx.stats().oversizeDrops(), "every 1200-byte datagram counted once");
        }
    }

    @Test
    void withoutGroTheSameTrafficArrivesDatagramByDatagram() throws Exception {
        try (LinuxUdpBind tx = open(true); LinuxUdpBind rx = open(false)) {
            assumeTrue(tx.usesGso(), "skipped: no UDP_SEGMENT in this kernel");
            assertFalse(rx.usesGro());
            assertFalse(rx.usesGso());
            List<byte[]> sent = send(tx, at("127.0.0.1", rx), 0, sizes(40, 1200, 333));
            assertTrue(tx.gsoMessages() >= 1, "the sender segmented");
            List<Received> got = receive(rx, new DatagramBatch(64, 16, 1500, 32), sent.size());
            assertSame(sent, got, source("127.0.0.1", tx));
            assertEquals(0, rx.groMessages());
            // and it sends one datagram per message
            List<byte[]> back = send(rx, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), tx.localPort()),
                    0, sizes(20, 900));
            assertEquals(0, rx.gsoMessages());
            assertSame(back, receive(tx, new DatagramBatch(64, 16, 1500, 32), back.size()),
                    source("127.0.0.1", rx));
        }
    }
}
