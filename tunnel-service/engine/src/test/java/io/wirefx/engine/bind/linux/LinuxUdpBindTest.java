package io.wirefx.engine.bind.linux;

import io.wirefx.engine.bind.DatagramBatch;
import io.wirefx.engine.bind.UdpBind;
import io.wirefx.engine.bind.UdpBindContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LinuxUdpBindTest extends UdpBindContract {

    @BeforeAll
    static void available() {
        assumeTrue(LinuxUdpBind.isAvailable(), () -> "skipped: " + LinuxUdpBind.unavailabilityCause().orElse("?"));
    }

    @Override
    protected UdpBind open(int port) throws IOException {
        return LinuxUdpBind.open(port);
    }

    @Test
    void recvmmsgReturnsManyDatagramsPerCall() throws Exception {
        try (UdpBind x = open(0); UdpBind y = open(0)) {
            DatagramBatch out = new DatagramBatch(64, 16, 1500, 32);
            for (int i = 0; i < 64; i++) {
                out.add(new byte[]{(byte) i, 1, 2, 3}, 0, 4, new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        y.localPort()));
            }
            assertEquals(64, x.send(out), "one sendmmsg batch");
            DatagramBatch in = new DatagramBatch(64, 0, 1500, 0);
            int calls = 0;
            int got = 0;
            while (got < 64) {
                int n = y.receive(in);
                for (int i = 0; i < n; i++) {
                    assertEquals(got + i, in.array(i)[in.offset(i)], "order within the batch");
                }
                got += n;
                calls++;
            }
            // the 64 datagrams were all queued before the first receive: one recvmmsg takes them all
            assertEquals(1, calls, "datagrams per receive call: batching");
        }
    }

    @Test
    void equalSizedRunsToOneEndpointGoAsUdpSegmentMessagesAndArriveAsSeparateDatagrams() throws Exception {
        try (LinuxUdpBind x = LinuxUdpBind.open(0); UdpBind y = open(0); UdpBind z = open(0)) {
            assumeTrue(x.usesGso(), "skipped: no UDP_SEGMENT in this kernel");
            InetSocketAddress toY = new InetSocketAddress(InetAddress.getLoopbackAddress(), y.localPort());
            InetSocketAddress toZ = new InetSocketAddress(InetAddress.getLoopbackAddress(), z.localPort());
            DatagramBatch out = new DatagramBatch(128, 16, 1500, 32);
            // 70 equal datagrams to y (more than one UDP_SEGMENT message holds), a shorter one ending that run,
            // then a mixed tail: sizes that change, another endpoint in between
            for (int i = 0; i < 70; i++) {
                out.add(datagram(i, 1200), 0, 1200, toY);
            }
            out.add(datagram(70, 500), 0, 500, toY);
            out.add(datagram(71, 1200), 0, 1200, toY);
            out.add(datagram(0, 800), 0, 800, toZ);
            out.add(datagram(72, 1300), 0, 1300, toY);
            out.add(datagram(73, 1300), 0, 1300, toY);
            assertEquals(75, x.send(out));
            assertTrue(x.gsoMessages() >= 2, "segmented sends: " + x.gsoMessages());
            int[] sizes = new int[74];
            java.util.Arrays.fill(sizes, 0, 70, 1200);
            sizes[70] = 500;
            sizes[71] = 1200;
            sizes[72] = 1300;
            sizes[73] = 1300;
            DatagramBatch in = new DatagramBatch(128, 0, 1500, 0);
            int got = 0;
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (got < 74 && System.nanoTime() < deadline) {
                int n = y.receive(in);
                for (int i = 0; i < n; i++) {
                    int k = got + i;
                    assertEquals(sizes[k], in.length(i), "datagram " + k + " keeps its size");
                    assertEquals((byte) k, in.array(i)[in.offset(i)], "datagram " + k + " in order");
                    assertEquals((byte) (k + sizes[k] - 1), in.array(i)[in.offset(i) + sizes[k] - 1], "last byte");
                }
                got += n;
            }
            assertEquals(74, got);
            DatagramBatch inZ = new DatagramBatch(4, 0, 1500, 0);
            assertEquals(1, z.receive(inZ));
            assertEquals(800, inZ.length(0));
        }
    }

    private static byte[] datagram(int first, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }

    @Test
    void fwmarkIsSetOnBothSocketsAndReadBack() throws Exception {
        try (LinuxUdpBind b = LinuxUdpBind.open(0)) {
            try {
                b.setFwmark(0x51820);
            } catch (SocketException e) {
                assumeTrue(false, "skipped: SO_MARK needs CAP_NET_ADMIN (" + e.getMessage() + ")");
            }
            assertEquals(0x51820, b.kernelFwmark(false));
            assertEquals(0x51820, b.kernelFwmark(true));
            assertEquals(0x51820, b.fwmark());
            b.setFwmark(0xffffffff);
            assertEquals(0xffffffff, b.kernelFwmark(false));
            b.setFwmark(0);
            assertEquals(0, b.kernelFwmark(true));
        }
    }

    @Test
    void fwmarkWithoutPrivilegeFailsWithSocketException() throws Exception {
        // As root this cannot be provoked; the contract (SocketException, old mark kept) is checked on closed binds.
        LinuxUdpBind b = LinuxUdpBind.open(0);
        b.close();
        assertThrows(IOException.class, () -> b.setFwmark(1));
        assertEquals(0, b.fwmark());
    }

    @Test
    void socketBuffersAreEnlargedBeyondTheSysctlCapAsRoot() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "skipped: SO_RCVBUFFORCE needs CAP_NET_ADMIN");
        try (LinuxUdpBind b = LinuxUdpBind.open(0)) {
            // the kernel reports twice the size set (its bookkeeping overhead)
            assertEquals(2 * LinuxUdpBind.SOCKET_BUFFER, b.kernelReceiveBuffer());
        }
    }
}
