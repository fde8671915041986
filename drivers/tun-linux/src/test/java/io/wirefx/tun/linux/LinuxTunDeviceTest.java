package io.wirefx.tun.linux;

import io.wirefx.tun.PacketBatch;
import io.wirefx.tun.TunDriver;
import io.wirefx.tun.TunEvent;
import io.wirefx.tun.linux.testing.NetNs;
import io.wirefx.tun.testing.Ip4;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Linux specifics: naming, namespace placement, ioctls, outside changes, an ICMP round trip. Root only. */
@Tag("netns")
class LinuxTunDeviceTest {

    private static final long GUARD_SECONDS = 10; // hang guard only
    private static final LinuxTunDriver DRIVER = new LinuxTunDriver();
    private static NetNs ns;

    private final List<LinuxTunDevice> opened = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    @BeforeAll
    static void createNamespace() throws Exception {
        assumeTrue(DRIVER.isAvailable(), () -> "Linux TUN unavailable: " + DRIVER.unavailabilityCause().orElse(""));
        assumeTrue(NetNs.unavailabilityCause().isEmpty(),
                () -> "network namespaces unavailable: " + NetNs.unavailabilityCause().orElse(""));
        ns = TestNamespaces.create();
    }

    @AfterAll
    static void deleteNamespace() {
        if (ns != null) {
            ns.close();
        }
    }

    @AfterEach
    void closeDevices() throws InterruptedException {
        opened.forEach(LinuxTunDevice::close);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(GUARD_SECONDS));
        }
    }

    private LinuxTunDevice open(String name) throws Exception {
        LinuxTunDevice d = NsTunHarness.openInside(ns, DRIVER, name, 1420);
        opened.add(d);
        return d;
    }

    private LinkedBlockingQueue<TunEvent> listen(LinuxTunDevice d) {
        LinkedBlockingQueue<TunEvent> q = new LinkedBlockingQueue<>();
        d.addListener((dev, e) -> q.add(e));
        return q;
    }

    /** Keeps a reader in read() (which also drives the periodic state check) until the device closes. */
    private CompletableFuture<Integer> backgroundReader(LinuxTunDevice d) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                PacketBatch b = new PacketBatch(8, 2048);
                int n;
                do {
                    n = d.read(b);
                } while (n > 0);
                f.complete(n);
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "tun-reader");
        t.setDaemon(true);
        threads.add(t);
        t.start();
        return f;
    }

    private static TunEvent awaitEvent(LinkedBlockingQueue<TunEvent> q, Class<? extends TunEvent> type)
            throws InterruptedException {
        while (true) {
            TunEvent e = q.poll(GUARD_SECONDS, TimeUnit.SECONDS);
            assertNotNull(e, "no " + type.getSimpleName() + " event");
            if (type.isInstance(e)) {
                return e;
            }
        }
    }

    // ------------------------------------------------------------------ driver

    @Test
    void driverIsAvailableAndDiscoverable() {
        assertTrue(DRIVER.isAvailable());
        assertTrue(DRIVER.unavailabilityCause().isEmpty());
        assertEquals("linux-tun", DRIVER.id());
        List<TunDriver> found = ServiceLoader.load(TunDriver.class).stream().map(ServiceLoader.Provider::get).toList();
        assertTrue(found.stream().anyMatch(d -> d instanceof LinuxTunDriver), found.toString());
    }

    @Test
    void openRejectsInvalidNamesAndMtusBeforeTouchingTheKernel() {
        for (String bad : new String[]{"a/b", "a b", "a:b", "0123456789abcdef", ".", "..", "x%d%d", "x%s", "tün"}) {
            assertThrows(IllegalArgumentException.class, () -> DRIVER.open(bad, 1420), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> DRIVER.open("wfx0", 67));
        assertThrows(IllegalArgumentException.class, () -> DRIVER.open("wfx0", 65536));
    }

    // ------------------------------------------------------------------ naming and placement

    @Test
    void aTemplateIsResolvedAndTheInterfaceLivesOnlyInTheNamespace() throws Exception {
        String prefix = NetNs.uniqueInterfaceName("w").substring(0, 10);
        LinuxTunDevice d = open(prefix + "%d");
        assertTrue(d.name().matches(prefix + "\\d+"), d.name());
        String link = ns.ip("-o", "link", "show", "dev", d.name());
        assertTrue(link.contains("mtu 1420"), link);
        // Read-only look at the host namespace: the interface must not be there.
        assertNotEquals(0, new ProcessBuilder("ip", "link", "show", "dev", d.name()).start().waitFor());
    }

    @Test
    void closingTheDeviceDeletesTheInterface() throws Exception {
        LinuxTunDevice d = open(NetNs.uniqueInterfaceName("wfx"));
        assertEquals(0, ns.ipResult("link", "show", "dev", d.name()).exitCode());
        d.close();
        assertNotEquals(0, ns.ipResult("link", "show", "dev", d.name()).exitCode());
    }

    @Test
    void aNameInUseIsRefused() throws Exception {
        LinuxTunDevice d = open(NetNs.uniqueInterfaceName("wfx"));
        IOException e = assertThrows(IOException.class, () -> ns.runInside(() -> DRIVER.open(d.name(), 1420)));
        assertTrue(e.getMessage().contains("EBUSY"), e.getMessage());
        assertTrue(d.isOpen());
    }

    // ------------------------------------------------------------------ ioctls and outside changes

    @Test
    void setUpTogglesTheLinkAndNotifies() throws Exception {
        LinuxTunDevice d = open(NetNs.uniqueInterfaceName("wfx"));
        LinkedBlockingQueue<TunEvent> events = listen(d);
        assertFalse(d.isUp());
        d.setUp(true);
        assertTrue(d.isUp());
        assertTrue(ns.ip("-o", "link", "show", "dev", d.name()).matches("(?s).*<[^>]*\\bUP\\b.*"));
        assertEquals(new TunEvent.LinkStateChanged(true), events.poll());
        d.setUp(false);
        assertFalse(d.isUp());
        assertEquals(new TunEvent.LinkStateChanged(false), events.poll());
        d.close();
        assertThrows(io.wirefx.tun.TunClosedException.class, () -> d.setUp(true));
    }

    @Test
    void setMtuIsVisibleToTheSystem() throws Exception {
        LinuxTunDevice d = open(NetNs.uniqueInterfaceName("wfx"));
        d.setMtu(1280);
        assertTrue(ns.ip("-o", "link", "show", "dev", d.name()).contains("mtu 1280"));
    }

    @Test
    void outsideMtuAndLinkChangesAreReportedWhileReading() throws Exception {
        LinuxTunDevice d = open(NetNs.uniqueInterfaceName("wfx"));
        LinkedBlockingQueue<TunEvent> events = listen(d);
        CompletableFuture<Integer> reader = backgroundReader(d);
        ns.ip("link", "set", d.name(), "mtu", "1300", "up");
        assertEquals(new TunEvent.MtuChanged(1420, 1300), awaitEvent(events, TunEvent.MtuChanged.class));
        assertEquals(new TunEvent.LinkStateChanged(true), awaitEvent(events, TunEvent.LinkStateChanged.class));
        ns.ip("link", "set", d.name(), "down");
        assertEquals(new TunEvent.LinkStateChanged(false), awaitEvent(events, TunEvent.LinkStateChanged.class));
        assertEquals(1300, d.mtu());
        d.close();
        assertEquals(-1, reader.get(GUARD_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void mtuNoticesAnOutsideChange() throws Exception {
        LinuxTunDevice d = open(NetNs.uniqueInterfaceName("wfx"));
        LinkedBlockingQueue<TunEvent> events = listen(d);
        ns.ip("link", "set", d.name(), "mtu", "1400");
        assertEquals(1400, d.mtu());
        assertEquals(new TunEvent.MtuChanged(1420, 1400), events.poll());
    }

    /**
     * The kernel's link notification reaches the listeners before the batch read after it is returned, in both read
     * paths, so the engine pads and sizes the very next packet for the new MTU (the periodic check alone would take
     * up to a second, or five for a busy reader).
     */
    @Test
    void anOutsideMtuChangeIsReportedBeforeTheNextBatchIsReturned() throws Exception {
        try (NsTunHarness h = NsTunHarness.open(ns, DRIVER)) {
            LinuxTunDevice d = h.linuxDevice();
            LinkedBlockingQueue<TunEvent> events = listen(d);
            PacketBatch b = new PacketBatch(4, 2048);
            int mtu = 1420;
            for (int round = 0; round < 3; round++) {
                mtu -= 20;
                ns.ip("link", "set", d.name(), "mtu", Integer.toString(mtu));
                h.inject(new byte[10]);
                int n;
                if (round % 2 == 0) {
                    n = CompletableFuture.supplyAsync(() -> {
                        try {
                            return d.read(b);
                        } catch (IOException e) {
                            throw new RuntimeException(e);
                        }
                    }).get(GUARD_SECONDS, TimeUnit.SECONDS);
                } else {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GUARD_SECONDS);
                    do {
                        n = d.readNow(b);
                    } while (n == 0 && System.nanoTime() < deadline);
                }
                assertEquals(1, n);
                List<TunEvent> already = new ArrayList<>();
                events.drainTo(already); // without waiting: what the listeners saw before the batch came back
                assertTrue(already.contains(new TunEvent.MtuChanged(mtu + 20, mtu)), "round " + round + ": " + already);
            }
        }
    }

    @Test
    void closeWakesAReaderThatWouldOtherwiseWaitForever() throws Exception {
        LinuxTunDevice d = open(NetNs.uniqueInterfaceName("wfx"));
        d.readPollTimeoutMillis(-1); // no periodic wake-up: only the eventfd can end the poll
        CompletableFuture<Integer> reader = backgroundReader(d);
        Thread.sleep(100);
        assertFalse(reader.isDone());
        d.close();
        assertEquals(-1, reader.get(GUARD_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void removalWakesAReaderThatWouldOtherwiseWaitForever() throws Exception {
        LinuxTunDevice d = open(NetNs.uniqueInterfaceName("wfx"));
        LinkedBlockingQueue<TunEvent> events = listen(d);
        d.readPollTimeoutMillis(-1); // detection must come from the fd or the link notification, not a periodic check
        CompletableFuture<Integer> reader = backgroundReader(d);
        Thread.sleep(100);
        ns.ip("link", "del", d.name());
        assertEquals(-1, reader.get(GUARD_SECONDS, TimeUnit.SECONDS));
        TunEvent.DeviceRemoved removed = (TunEvent.DeviceRemoved) awaitEvent(events, TunEvent.DeviceRemoved.class);
        // POLLERR makes the read fail; the kernel's RTM_DELLINK, if it wakes the reader first, makes TUNGETIFF fail:
        // either way the TUN fd itself says EBADFD.
        assertTrue(removed.detail().startsWith("read: EBADFD") || removed.detail().startsWith("TUNGETIFF: EBADFD"),
                removed.detail());
    }

    @Test
    void writesWhileTheLinkIsDownAreDroppedNotFatal() throws Exception {
        LinuxTunDevice d = open(NetNs.uniqueInterfaceName("wfx"));
        PacketBatch b = new PacketBatch(2, 2048);
        b.add(Ip4.udp(NsTunHarness.PEER, 1, NsTunHarness.LOCAL, 2, new byte[10]));
        b.add(Ip4.udp(NsTunHarness.PEER, 1, NsTunHarness.LOCAL, 2, new byte[20]));
        assertEquals(0, d.write(b), "a down TUN refuses packets (EIO)");
        assertEquals(2, d.droppedWrites());
        assertTrue(d.isOpen());
    }

    @Test
    void oversizeReadsAreCounted() throws Exception {
        try (NsTunHarness h = NsTunHarness.open(ns, DRIVER)) {
            h.inject(new byte[500]);
            h.inject(new byte[5]);
            PacketBatch b = new PacketBatch(4, 100);
            int n = CompletableFuture.supplyAsync(() -> {
                try {
                    return h.linuxDevice().read(b);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }).get(GUARD_SECONDS, TimeUnit.SECONDS);
            assertEquals(1, n);
            assertEquals(Ip4.HEADER + Ip4.UDP_HEADER + 5, b.length(0));
            assertEquals(1, h.linuxDevice().droppedOversizeReads());
        }
    }

    // ------------------------------------------------------------------ end to end

    @Test
    void answersAPingFromInsideTheNamespace() throws Exception {
        try (NsTunHarness h = NsTunHarness.open(ns, DRIVER)) {
            LinuxTunDevice d = h.linuxDevice();
            Thread responder = new Thread(() -> {
                PacketBatch in = new PacketBatch(16, 2048);
                PacketBatch out = new PacketBatch(16, 2048);
                try {
                    while (d.read(in) > 0) {
                        out.clear();
                        for (int i = 0; i < in.count(); i++) {
                            byte[] reply = Ip4.echoReplyFor(in.array(i), in.offset(i), in.length(i));
                            if (reply != null) {
                                out.add(reply);
                            }
                        }
                        d.write(out);
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, "echo-responder");
            responder.setDaemon(true);
            threads.add(responder);
            responder.start();
            // As root the JDK pings with ICMP echo; the socket lives in the namespace because of runInside.
            boolean reachable = ns.runInside(
                    () -> InetAddress.getByName("10.77.0.2").isReachable((int) TimeUnit.SECONDS.toMillis(GUARD_SECONDS)));
            assertTrue(reachable, "echo reply written to the TUN did not reach the pinging socket");
        }
    }
}
