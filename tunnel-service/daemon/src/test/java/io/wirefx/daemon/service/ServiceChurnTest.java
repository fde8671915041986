package io.wirefx.daemon.service;

import io.wirefx.core.crypto.KeyPair;
import io.wirefx.daemon.log.LogRing;
import io.wirefx.ipc.ErrorCode;
import io.wirefx.ipc.Event;
import io.wirefx.ipc.EventKind;
import io.wirefx.ipc.IpcClient;
import io.wirefx.ipc.IpcException;
import io.wirefx.ipc.LogEntry;
import io.wirefx.ipc.TunnelState;
import io.wirefx.tun.linux.LinuxTunDriver;
import io.wirefx.tun.linux.testing.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Root only, heavy: the real service in a namespace of its own brings a full tunnel (both default routes, the
 * policy rules and the nft table) up and down {@value #CYCLES} times through IPC while {@value #SUBSCRIBERS} other
 * clients connect, subscribe to state and stats events and go away, over and over. After a warm-up of
 * {@value #WARM_UP} cycles the service's open file descriptors, threads, live objects and resident memory outside
 * the Java heap are taken as the baseline (with the tunnel down and no subscriber connected, after a full GC and a C
 * heap trim requested through {@code jcmd}), and measured the same way half-way and after the churn. At the end fds
 * and threads have grown by 10 % at most and no WireFX class has gained anything like an instance per cycle; the
 * memory outside the heap grew by at most 5 % of the baseline over the second half (the JIT's warm-up slows down, a
 * leak would not). The namespace's
 * links, addresses, routes, rules and nft tables equal the snapshot taken before the service started, no journal and
 * no UAPI socket is left, and after SIGTERM the IPC socket is gone too.
 *
 * <p>The peer's endpoint is an address behind a veth whose other end has no address: nothing answers, so every cycle
 * sends handshake initiations that go nowhere (the churn is the service's, not a peer's).
 */
@Tag("heavy")
@Timeout(1800)
class ServiceChurnTest {
    static final int CYCLES = 500;
    static final int WARM_UP = 50;
    static final int MIDDLE = (WARM_UP + CYCLES) / 2;
    static final int SUBSCRIBERS = 20;

    @TempDir
    Path tmp;

    NetNs ns;
    String iface;
    ServiceProcess service;
    final List<Thread> subscribers = new ArrayList<>();
    final AtomicBoolean stopSubscribers = new AtomicBoolean();

    @BeforeEach
    void setUp() throws Exception {
        Optional<String> cause = NetNs.unavailabilityCause().or(() -> new LinuxTunDriver().unavailabilityCause())
                .or(() -> Files.isExecutable(Path.of("/usr/sbin/nft")) ? Optional.empty()
                        : Optional.of("nft is not installed"))
                .or(() -> jcmd() != null ? Optional.empty() : Optional.of("no jcmd next to this java"));
        assumeTrue(cause.isEmpty(), () -> "service churn test skipped: " + cause.orElse(""));
        ns = NetNs.create("wfxchurn-");
        iface = NetNs.uniqueInterfaceName("wfc");
        ns.ip("link", "set", "lo", "up");
        ns.execChecked("sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
        ns.ip("link", "add", "d0", "type", "veth", "peer", "name", "d1"); // no dummy module on every kernel
        ns.ip("link", "set", "d1", "up");
        ns.ip("address", "add", "192.168.78.2/24", "dev", "d0");
        ns.ip("link", "set", "d0", "up");
    }

    @AfterEach
    void tearDown() throws Exception {
        stopSubscribers.set(true);
        for (Thread t : subscribers) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        if (service != null) {
            service.process.destroyForcibly();
            service.process.waitFor(30, TimeUnit.SECONDS);
        }
        if (ns != null) {
            ns.close();
        }
    }

    private static String jcmd() {
        Path p = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        return Files.isExecutable(p) ? p.toString() : null;
    }

    Path socket() {
        return tmp.resolve("sock/wirefx.sock");
    }

    Path uapiDir() {
        return tmp.resolve("uapi");
    }

    /**
     * Open fds, threads and memory of the service's JVM, after a full GC, a moment for the cleaners that free what
     * unreachable objects held natively, and a trim of the C heap: the live objects of each WireFX class and of the
     * whole Java heap, the resident pages outside the Java heap (C heap, native buffers, code cache, metaspace,
     * stacks), and the whole resident set. The Java heap's own resident pages are not a leak measure: which of them
     * are touched depends on where the collector last allocated, not on what is live; the live objects say that.
     */
    record Usage(int fds, int threads, Map<String, Long> wirefxInstances, long heapLiveKiB, long outsideHeapKiB,
                 long rssKiB, Map<String, Long> residentKiBByKind) {
        private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+(\\S+)");
        private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("^Total\\s+\\d+\\s+(\\d+)");

        static Usage of(long pid) throws Exception {
            Map<String, Long> instances = new TreeMap<>();
            long heapLive = -1;
            for (String line : jcmd(pid, "GC.class_histogram").lines().toList()) { // a full GC first
                Matcher row = HISTOGRAM_ROW.matcher(line);
                Matcher total = HISTOGRAM_TOTAL.matcher(line);
                if (row.find() && row.group(2).startsWith("io.wirefx.")) {
                    instances.put(row.group(2), Long.parseLong(row.group(1)));
                } else if (total.find()) {
                    heapLive = Long.parseLong(total.group(1)) / 1024;
                }
            }
            Thread.sleep(1000);
            jcmd(pid, "System.trim_native_heap");
            int fds;
            try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                fds = (int) s.count();
            }
            int threads = -1;
            long rss = -1;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.substring(8).trim());
                } else if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
            // System.map: range, size, protection, resident bytes, hugetlb, page size, notes, what the JVM mapped
            // it for (JAVAHEAP, CODE, META, CLASS, CDS, STACK-tid-name, ... or "-"), file (or "-")
            Map<String, Long> byKind = new TreeMap<>();
            for (String line : jcmd(pid, "System.map").lines().filter(l -> l.startsWith("0x")).toList()) {
                String[] f = line.trim().split("\\s+");
                String kind = f[7].startsWith("STACK") ? "STACK" : !f[7].equals("-") ? f[7]
                        : f[8].equals("-") || f[8].equals("[heap]") ? "malloc" : "files";
                byKind.merge(kind, Long.parseLong(f[3]) / 1024, Long::sum);
            }
            long heapResident = byKind.getOrDefault("JAVAHEAP", 0L);
            assertTrue(heapResident > 0 && heapLive > 0 && !instances.isEmpty(), "the Java heap found in jcmd's output");
            return new Usage(fds, threads, instances, heapLive, rss - heapResident, rss, byKind);
        }

        private static String jcmd(long pid, String command) throws Exception {
            Process p = new ProcessBuilder(ServiceChurnTest.jcmd(), Long.toString(pid), command)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "jcmd " + command + ": " + out);
            return out;
        }

        @Override
        public String toString() {
            return fds + " fds, " + threads + " threads, " + wirefxInstances.values().stream().mapToLong(n -> n).sum()
                    + " WireFX objects in " + heapLiveKiB / 1024 + " MiB of live Java heap, " + outsideHeapKiB / 1024
                    + " MiB resident outside the Java heap, RSS " + rssKiB / 1024 + " MiB; resident MiB by kind: "
                    + residentKiBByKind.entrySet().stream().filter(e -> e.getValue() >= 1024)
                            .map(e -> e.getKey() + " " + e.getValue() / 1024).toList();
        }
    }

    /** The five WireFX classes whose instance counts grew most, with their growth. */
    private static String mostGained(Usage baseline, Usage after) {
        return after.wirefxInstances().entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - baseline.wirefxInstances().getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                .map(e -> e.getKey() + " +" + e.getValue()).toList().toString();
    }

    private static void assertAtMostTenPercentMore(String what, long baseline, long after) {
        assertTrue(after <= baseline * 1.1, what + ": baseline " + baseline + ", after the churn " + after);
    }

    /**
     * No WireFX class gains an instance per cycle or so: a tunnel, a connection, a listener or a buffer kept after
     * its use would add one each time. The log's lines are bounded by its ring instead.
     */
    private static void assertNoObjectsKeptPerCycle(Usage baseline, Usage after, int cycles) {
        after.wirefxInstances().forEach((type, n) -> {
            if (type.equals(LogEntry.class.getName())) {
                assertTrue(n < LogRing.DEFAULT_CAPACITY + cycles / 4, "log lines kept: " + n);
            } else {
                long gained = n - baseline.wirefxInstances().getOrDefault(type, 0L);
                assertTrue(gained < cycles / 4, type + ": " + gained + " more instances after " + cycles
                        + " cycles");
            }
        });
    }

    private String config() {
        KeyPair self = KeyPair.generate(new SecureRandom());
        KeyPair peer = KeyPair.generate(new SecureRandom());
        return "[Interface]\nPrivateKey = " + self.privateKey().toBase64() + "\nAddress = 10.78.0.2/24, fd78::2/64\n"
                + "\n[Peer]\nPublicKey = " + peer.publicKey().toBase64() + "\nAllowedIPs = 0.0.0.0/0, ::/0\n"
                + "Endpoint = 192.168.78.1:51820\nPersistentKeepalive = 1\n";
    }

    /** Up until RUNNING, then down until STOPPED; fails on FAILED. */
    private void cycle(IpcClient c, LinkedBlockingQueue<Event> events, int n) throws Exception {
        c.start(iface);
        awaitState(events, TunnelState.RUNNING, n);
        c.stop(iface);
        awaitState(events, TunnelState.STOPPED, n);
    }

    private void awaitState(LinkedBlockingQueue<Event> events, TunnelState wanted, int n) throws Exception {
        while (true) {
            Event e = events.poll(120, TimeUnit.SECONDS);
            if (e == null) {
                fail("cycle " + n + ": no " + wanted + " event; service output:\n" + service.output());
            }
            if (e instanceof Event.TunnelStateChanged s && s.name().equals(iface)) {
                if (s.state() == TunnelState.FAILED) {
                    fail("cycle " + n + ": " + s + "\n" + service.output());
                }
                if (s.state() == wanted) {
                    return;
                }
            }
        }
    }

    @Test
    void fiveHundredUpDownCyclesWithSubscribersComingAndGoingLeakNothing() throws Exception {
        Map<String, String> before = ServiceProcess.snapshot(ns);
        service = new ServiceProcess(ns, tmp.resolve("state"), socket(), tmp.resolve("run"),
                "--uapi-dir", uapiDir().toString());
        long pid = service.process.pid();
        assertEquals("java", Files.readString(Path.of("/proc/" + pid + "/comm")).trim(),
                "ip netns exec replaced itself with the JVM");

        AtomicBoolean paused = new AtomicBoolean(true);
        AtomicInteger connected = new AtomicInteger();
        AtomicLong sessions = new AtomicLong();
        AtomicLong eventsSeen = new AtomicLong();
        AtomicReference<Throwable> subscriberFailure = new AtomicReference<>();
        AtomicLong busyRefusals = new AtomicLong();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            subscribers.add(Thread.ofPlatform().name("subscriber-" + i).start(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (!stopSubscribers.get()) {
                    if (paused.get()) {
                        sleep(20);
                        continue;
                    }
                    connected.incrementAndGet();
                    try (IpcClient c = IpcClient.connect(socket(), "churn", e -> eventsSeen.incrementAndGet(),
                            Duration.ofSeconds(60))) {
                        c.subscribe(EnumSet.of(EventKind.TUNNEL_STATE, EventKind.STATS, EventKind.LOG));
                        sessions.incrementAndGet();
                        sleep(rnd.nextInt(10, 300));
                    } catch (IpcException e) {
                        if (e.code() == ErrorCode.BUSY) {
                            // The per-user limit counts connections the service has not yet seen close (it lags
                            // under load); the refusal says "try again later", as a client should.
                            busyRefusals.incrementAndGet();
                            sleep(100);
                        } else {
                            subscriberFailure.compareAndSet(null, e);
                        }
                    } catch (Exception e) {
                        subscriberFailure.compareAndSet(null, e);
                    } finally {
                        connected.decrementAndGet();
                    }
                }
            }));
        }

        LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
        try (IpcClient driver = IpcClient.connect(socket(), "driver", events::add, Duration.ofSeconds(120))) {
            driver.subscribe(EnumSet.of(EventKind.TUNNEL_STATE));
            driver.create(iface, config());
            paused.set(false);
            for (int n = 0; n < WARM_UP; n++) {
                cycle(driver, events, n);
            }
            Usage baseline = quiet(paused, connected, pid);
            Usage middle = null;
            paused.set(false);
            long started = System.nanoTime();
            for (int n = WARM_UP; n < CYCLES; n++) {
                cycle(driver, events, n);
                if (subscriberFailure.get() != null) {
                    throw new AssertionError("a subscriber failed at cycle " + n, subscriberFailure.get());
                }
                if (n + 1 == MIDDLE) {
                    middle = quiet(paused, connected, pid);
                    paused.set(false);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Usage after = quiet(paused, connected, pid);
            System.out.printf("service churn: %d cycles (%d measured in %.1f s, %.0f ms each), %d subscriber "
                            + "sessions (%d refused as busy), %d events delivered to them; after %d cycles: %s; "
                            + "after %d: %s; after %d: %s; most gained: %s%n",
                    CYCLES, CYCLES - WARM_UP, seconds, seconds * 1000 / (CYCLES - WARM_UP), sessions.get(),
                    busyRefusals.get(), eventsSeen.get(), WARM_UP, baseline, MIDDLE, middle, CYCLES, after,
                    mostGained(baseline, after));
            assertNull(subscriberFailure.get(), () -> "a subscriber failed: " + subscriberFailure.get());
            assertTrue(sessions.get() >= CYCLES, "subscribers came and went: " + sessions.get());
            assertAtMostTenPercentMore("open file descriptors", baseline.fds(), after.fds());
            assertAtMostTenPercentMore("threads", baseline.threads(), after.threads());
            assertNoObjectsKeptPerCycle(baseline, after, CYCLES - WARM_UP);
            // The JIT's code and class metadata still grow after the warm-up, more and more slowly; memory kept per
            // cycle would grow as much in the second half of the churn as in the first.
            assertTrue(after.outsideHeapKiB() - middle.outsideHeapKiB() <= baseline.outsideHeapKiB() / 20,
                    "resident KiB outside the Java heap grew by more than 5 % of the baseline in the second half: "
                            + baseline.outsideHeapKiB() + ", " + middle.outsideHeapKiB() + ", "
                            + after.outsideHeapKiB());

            assertEquals(before, ServiceProcess.snapshot(ns), "nothing left in the namespace");
            assertFalse(Files.exists(tmp.resolve("run").resolve(iface + ".state")), "no journal left");
            try (Stream<Path> s = Files.list(uapiDir())) {
                assertEquals(List.of(), s.toList(), "no UAPI socket left");
            }
        }
        assertEquals(0, service.sigtermAndWait(), service.output());
        assertFalse(Files.exists(socket()), "IPC socket removed at exit");
        assertEquals(before, ServiceProcess.snapshot(ns), "nothing left after the service stopped");
    }

    /** Pauses the subscribers, waits until none is connected, and measures. */
    private static Usage quiet(AtomicBoolean paused, AtomicInteger connected, long pid) throws Exception {
        paused.set(true);
        ServiceProcess.waitFor(() -> connected.get() == 0, "subscribers to disconnect");
        Thread.sleep(1000); // the service notices the closed connections
        return Usage.of(pid);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
