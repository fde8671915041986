package io.wirefx.tun.linux;

import io.wirefx.tun.PacketBatch;
import io.wirefx.tun.linux.testing.NetNs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TUN offloads against the real kernel: two namespaces, each with a TUN, joined by a forwarder that reads a batch
 * from one device and writes it to the other (a wire made of this driver). TCP transfers both ways over IPv4 and
 * IPv6 must arrive intact, with every combination of offload on/off at either end: the reading side splits the
 * kernel's TSO super-packets, the writing side coalesces segments, and the receiving kernel checks every checksum
 * (its {@code InCsumErrors} counters must stay 0). Root only.
 */
@Tag("netns")
class LinuxTunOffloadTest {

    private static final int BYTES = 6 << 20;
    private static final int PORT = 45001;

    @ParameterizedTest(name = "offload {0}/{1}, IPv{2}")
    @CsvSource({
            "true, true, 4", "true, false, 4", "false, true, 4", "false, false, 4",
            "true, true, 6", "true, false, 6"})
    void tcpBothWaysArrivesIntactWithKernelCheckedChecksums(boolean offloadA, boolean offloadB, int family)
            throws Exception {
        LinuxTunDriver driverA = new LinuxTunDriver(offloadA);
        assumeTrue(driverA.isAvailable(), () -> "Linux TUN unavailable: " + driverA.unavailabilityCause().orElse(""));
        assumeTrue(NetNs.unavailabilityCause().isEmpty(), "network namespaces unavailable");
        try (NetNs nsA = namespace(); NetNs nsB = namespace()) {
            LinuxTunDevice a = NsTunHarness.openInside(nsA, driverA, NetNs.uniqueInterfaceName("wfxo"), 1420);
            LinuxTunDevice b = NsTunHarness.openInside(nsB, new LinuxTunDriver(offloadB),
                    NetNs.uniqueInterfaceName("wfxo"), 1420);
            List<Thread> wires = new ArrayList<>();
            try {
                if (offloadA) {
                    assertTrue((a.offloads() & VirtioNetHdr.TUN_F_TSO4) != 0, "TSO4 accepted: " + a.offloads());
                } else {
                    assertEquals(-1, a.offloads());
                }
                configure(nsA, a, "10.93.0.1/24", "fd00:93::1/64");
                configure(nsB, b, "10.93.0.2/24", "fd00:93::2/64");
                AtomicLong forwarded = new AtomicLong();
                wires.add(wire(a, b, forwarded));
                wires.add(wire(b, a, forwarded));
                String server = family == 4 ? "10.93.0.2" : "fd00:93::2";
                transfer(nsA, nsB, InetAddress.getByName(server));
                assertEquals(0, checksumErrors(nsA), "checksum errors seen by the kernel in A");
                assertEquals(0, checksumErrors(nsB), "checksum errors seen by the kernel in B");
                assertTrue(forwarded.get() > BYTES / 1500, "packets went through the wire: " + forwarded.get());
                if (offloadB) {
                    assertTrue(b.superPacketsWritten() > 0, "B wrote coalesced super-packets");
                }
                if (offloadA) {
                    assertTrue(a.superPacketsWritten() > 0, "A wrote coalesced super-packets");
                    assertTrue(a.superPacketsRead() > 0, "A split the kernel's TSO super-packets");
                }
                assertEquals(0, a.droppedOversizeReads() + b.droppedOversizeReads(), "frames refused");
            } finally {
                a.close();
                b.close();
                for (Thread t : wires) {
                    t.join(5000);
                }
            }
        }
    }

    private static NetNs namespace() throws Exception {
        NetNs ns = NetNs.create();
        try {
            ns.execChecked("sysctl", "-q", "-w", "net.ipv6.conf.default.accept_dad=0");
            ns.execChecked("sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0");
            ns.ip("link", "set", "lo", "up");
            return ns;
        } catch (Exception e) {
            ns.close();
            throw e;
        }
    }

    private static void configure(NetNs ns, LinuxTunDevice dev, String v4, String v6) throws IOException {
        ns.ip("addr", "add", v4, "dev", dev.name());
        ns.ip("-6", "addr", "add", v6, "dev", dev.name(), "nodad");
        ns.ip("link", "set", dev.name(), "up");
    }

    /** Copies every batch read from {@code from} to {@code to} until {@code from} closes. */
    private static Thread wire(LinuxTunDevice from, LinuxTunDevice to, AtomicLong forwarded) {
        Thread t = Thread.ofPlatform().daemon().name("wire-" + from.name()).start(() -> {
            PacketBatch batch = new PacketBatch(64, 16, 1500, 32);
            try {
                while (from.read(batch) > 0) {
                    forwarded.addAndGet(batch.count());
                    if (to.isOpen()) {
                        to.write(batch);
                    }
                }
            } catch (IOException e) {
                // closed under us at the end of the test
            }
        });
        return t;
    }

    /** Client in A sends BYTES to the server in B, which answers with BYTES of its own; both digests must match. */
    private static void transfer(NetNs nsA, NetNs nsB, InetAddress server) throws Exception {
        byte[] up = random(1);
        byte[] down = random(2);
        try (ServerSocket ss = nsB.runInside(() -> new ServerSocket(PORT, 1, server));
             ExecutorService pool = Executors.newCachedThreadPool()) {
            CompletableFuture<byte[]> served = CompletableFuture.supplyAsync(() -> {
                try (Socket s = ss.accept()) {
                    byte[] got = readAll(s.getInputStream(), BYTES);
                    OutputStream out = s.getOutputStream();
                    out.write(down);
                    out.flush();
                    s.shutdownOutput();
                    new DataInputStream(s.getInputStream()).readByte(); // client's done
                    return got;
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, pool);
            try (Socket c = nsA.runInside(() -> {
                Socket s = new Socket(); // the fd is made by connect: inside the namespace
                s.connect(new InetSocketAddress(server, PORT), 5000);
                return s;
            })) {
                c.setSoTimeout(20000);
                CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                    try {
                        OutputStream out = c.getOutputStream();
                        for (int i = 0; i < BYTES; i += 50_000) {
                            out.write(up, i, Math.min(50_000, BYTES - i)); // various write sizes: PSH in the stream
                        }
                        out.flush();
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }, pool);
                byte[] got = readAll(c.getInputStream(), BYTES);
                sending.get(30, TimeUnit.SECONDS);
                new DataOutputStream(c.getOutputStream()).writeByte(1);
                assertArrayEquals(digest(down), digest(got), "server to client");
                assertArrayEquals(digest(up), digest(served.get(30, TimeUnit.SECONDS)), "client to server");
            }
        }
    }

    private static byte[] readAll(InputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        new DataInputStream(in).readFully(b);
        return b;
    }

    private static byte[] random(long seed) {
        byte[] b = new byte[BYTES];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] digest(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    /** Sum of the TCP and UDP InCsumErrors counters of the namespace ({@code /proc/net/snmp}). */
    private static long checksumErrors(NetNs ns) throws IOException {
        String[] lines = ns.execChecked("cat", "/proc/net/snmp").split("\n");
        long sum = 0;
        for (int i = 0; i + 1 < lines.length; i++) {
            String[] names = lines[i].trim().split("\\s+");
            String[] values = lines[i + 1].trim().split("\\s+");
            if (!names[0].equals(values[0]) || !(names[0].equals("Tcp:") || names[0].equals("Udp:"))) {
                continue;
            }
            int k = Arrays.asList(names).indexOf("InCsumErrors");
            if (k > 0) {
                sum += Long.parseLong(values[k]);
            }
        }
        return sum;
    }
}
