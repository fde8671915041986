package io.wirefx.engine.bind;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link UdpBind} must do, on loopback only. Subclasses say how to open one. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class UdpBindContract {

    protected abstract UdpBind open(int port) throws IOException;

    static final InetAddress V4 = InetAddress.getLoopbackAddress();
    static final InetAddress V6;

    static {
        try {
            V6 = InetAddress.getByName("::1");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static byte[] datagram(int i, int len) {
        byte[] b = new byte[len];
        for (int k = 0; k < len; k++) {
            b[k] = (byte) (i * 31 + k);
        }
        return b;
    }

    /** Receives until {@code want} datagrams arrived; returns them in order with their sources. */
    static int receiveAll(UdpBind bind, DatagramBatch into, int want, byte[][] data, InetSocketAddress[] from)
            throws IOException {
        int got = 0;
        int calls = 0;
        DatagramBatch b = new DatagramBatch(into.capacity(), into.headroom(), into.packetCapacity(), 1);
        while (got < want) {
            int n = bind.receive(b);
            calls++;
            assertTrue(n >= 1, "receive returns at least one datagram");
            assertEquals(n, b.count());
            for (int i = 0; i < n; i++) {
                assertEquals(b.headroom(), b.offset(i), "datagrams start at the headroom");
                data[got] = Arrays.copyOfRange(b.array(i), b.offset(i), b.offset(i) + b.length(i));
                from[got] = b.endpoint(i);
                got++;
            }
        }
        return calls;
    }

    @Test
    void portZeroPicksAPortAndBothFamiliesReachIt() throws Exception {
        try (UdpBind bind = open(0); DatagramSocket c4 = new DatagramSocket(new InetSocketAddress(V4, 0));
             DatagramSocket c6 = new DatagramSocket(new InetSocketAddress(V6, 0))) {
            int port = bind.localPort();
            assertNotEquals(0, port);
            assertTrue(bind.hasIpv4() && bind.hasIpv6());
            c4.send(new DatagramPacket(datagram(1, 100), 100, new InetSocketAddress(V4, port)));
            c6.send(new DatagramPacket(datagram(2, 200), 200, new InetSocketAddress(V6, port)));
            byte[][] data = new byte[2][];
            InetSocketAddress[] from = new InetSocketAddress[2];
            receiveAll(bind, new DatagramBatch(8, 4, 2048, 1), 2, data, from);
            for (int i = 0; i < 2; i++) {
                boolean isV4 = data[i].length == 100;
                assertArrayEquals(datagram(isV4 ? 1 : 2, data[i].length), data[i]);
                assertEquals(isV4 ? c4.getLocalPort() : c6.getLocalPort(), from[i].getPort());
                assertEquals(isV4 ? V4 : V6, from[i].getAddress(), "source address, plain family");
            }
        }
    }

    @Test
    void sendsABatchInOrderToMixedFamiliesAndSkipsSlotsWithoutEndpoint() throws Exception {
        try (UdpBind bind = open(0); DatagramSocket c4 = new DatagramSocket(new InetSocketAddress(V4, 0));
             DatagramSocket c6 = new DatagramSocket(new InetSocketAddress(V6, 0))) {
            c4.setSoTimeout(5000);
            c6.setSoTimeout(5000);
            DatagramBatch b = new DatagramBatch(32, 16, 1500, 32);
            for (int i = 0; i < 30; i++) {
                InetSocketAddress to = i % 3 == 2 ? null
                        : i % 2 == 0 ? new InetSocketAddress(V4, c4.getLocalPort())
                        : new InetSocketAddress(V6, c6.getLocalPort());
                byte[] d = datagram(i, 50 + i);
                b.add(d, 0, d.length, to);
            }
            assertEquals(20, bind.send(b));
            byte[] buf = new byte[2000];
            for (int i = 0; i < 30; i++) {
                if (i % 3 == 2) {
                    continue;
                }
                DatagramSocket c = i % 2 == 0 ? c4 : c6;
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                c.receive(p);
                assertArrayEquals(datagram(i, 50 + i), Arrays.copyOf(buf, p.getLength()), "datagram " + i + " in order");
                assertEquals(bind.localPort(), p.getPort());
            }
            assertEquals(20, bind.stats().sent());
        }
    }

    @Test
    void twoBindsTalkInBatches() throws Exception {
        try (UdpBind x = open(0); UdpBind y = open(0)) {
            DatagramBatch b = new DatagramBatch(64, 16, 1500, 32);
            for (int i = 0; i < 64; i++) {
                byte[] d = datagram(i, 1200);
                b.add(d, 0, d.length, new InetSocketAddress(i % 2 == 0 ? V4 : V6, y.localPort()));
            }
            assertEquals(64, x.send(b));
            byte[][] data = new byte[64][];
            InetSocketAddress[] from = new InetSocketAddress[64];
            receiveAll(y, new DatagramBatch(64, 0, 1500, 1), 64, data, from);
            boolean[] seen = new boolean[64];
            for (int i = 0; i < 64; i++) {
                assertEquals(x.localPort(), from[i].getPort());
                assertEquals(1200, data[i].length);
                int id = -1;
                for (int k = 0; k < 64; k++) {
                    if (Arrays.equals(datagram(k, 1200), data[i])) {
                        id = k;
                    }
                }
                assertTrue(id >= 0 && !seen[id], "each datagram once, intact");
                seen[id] = true;
            }
            assertEquals(64, y.stats().received());
        }
    }

    @Test
    void oversizeDatagramsAreDroppedNotTruncated() throws Exception {
        try (UdpBind bind = open(0); DatagramSocket c = new DatagramSocket(new InetSocketAddress(V4, 0))) {
            InetSocketAddress to = new InetSocketAddress(V4, bind.localPort());
            c.send(new DatagramPacket(new byte[600], 600, to));
            c.send(new DatagramPacket(datagram(5, 300), 300, to));
            byte[][] data = new byte[1][];
            receiveAll(bind, new DatagramBatch(4, 0, 500, 1), 1, data, new InetSocketAddress[1]);
            assertArrayEquals(datagram(5, 300), data[0]);
            assertEquals(1, bind.stats().oversizeDrops());
        }
    }

    @Test
    void takenPortIsABindException() throws Exception {
        try (UdpBind first = open(0)) {
            assertThrows(BindException.class, () -> open(first.localPort()).close());
        }
    }

    @Test
    void closeWakesABlockedReceiverAndSendThenFails() throws Exception {
        UdpBind bind = open(0);
        AtomicInteger result = new AtomicInteger(99);
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                result.set(bind.receive(new DatagramBatch(4, 0, 1500, 1)));
            } catch (IOException e) {
                result.set(-2);
            }
        });
        Thread.sleep(200);
        assertTrue(t.isAlive(), "blocked in receive");
        bind.close();
        t.join(5000);
        assertFalse(t.isAlive(), "close woke the receiver");
        assertEquals(-1, result.get());
        assertFalse(bind.isOpen());
        assertEquals(-1, bind.receive(new DatagramBatch(4, 0, 1500, 1)));
        DatagramBatch b = new DatagramBatch(1, 0, 10, 0);
        b.add(new byte[1], 0, 1, new InetSocketAddress(V4, 9));
        assertThrows(java.nio.channels.ClosedChannelException.class, () -> bind.send(b));
        bind.close(); // idempotent
    }

    @Test
    void unroutableDestinationsAreCountedNotThrown() throws Exception {
        try (UdpBind bind = open(0)) {
            DatagramBatch b = new DatagramBatch(2, 0, 10, 0);
            b.add(new byte[4], 0, 4, new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0)); // port 0: EINVAL
            b.add(new byte[4], 0, 4, InetSocketAddress.createUnresolved("example.invalid", 51820));
            assertEquals(0, bind.send(b));
            assertEquals(2, bind.stats().sendErrors());
        }
    }
}
