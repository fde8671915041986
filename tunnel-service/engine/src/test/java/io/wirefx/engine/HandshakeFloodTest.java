package io.wirefx.engine;

import io.wirefx.core.crypto.KeyPair;
import io.wirefx.core.device.DropReason;
import io.wirefx.core.message.MessageType;
import io.wirefx.core.noise.CookieGenerator;
import io.wirefx.core.net.IpPrefix;
import io.wirefx.engine.bind.linux.LinuxUdpBind;
import io.wirefx.tun.linux.testing.NetNs;
import io.wirefx.tun.memory.MemoryTun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Handshake flood (docs/security.md, test 2). Three namespaces: the victim (this JVM's engine, MemoryTun side
 * 10.9.0.2), a legitimate peer (wireguard-go, 10.9.0.1) and an attacker with 64 source addresses. For
 * {@value #FLOOD_SECONDS} s the attacker sends initiations with a valid mac1 for the victim's key and fresh random
 * ephemerals, at ≥ 20,000 per second, plus random garbage; eight of its sources answer the cookie replies, so their
 * initiations carry a valid mac2 and meet the per-source rate limit. While this goes on, the legitimate peer must
 * complete a handshake within 10 s and its pings must be answered. Prints the victim's CPU and heap and its answers per
 * second. Root, wireguard-go and the native bind needed; heavy profile only.
 */
@Tag("heavy")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HandshakeFloodTest {
    private static final int FLOOD_SECONDS = 20;
    private static final int SOURCES = 64;
    private static final int SMART_SOURCES = 8;
    private static final int VICTIM_PORT = 51820;

    private final KeyPair victimKeys = KeyPair.generate(new java.util.Random(201));
    private final KeyPair goKeys = KeyPair.generate(new java.util.Random(202));
    private final String goIf = NetNs.uniqueInterfaceName("wgf");
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private NetNs victimNs;
    private NetNs goNs;
    private NetNs attackerNs;
    private WireGuardEngine engine;

    @BeforeAll
    static void requirements() {
        assumeTrue(NetNs.unavailabilityCause().isEmpty(), () -> "skipped: " + NetNs.unavailabilityCause().orElse(""));
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/wireguard-go")), "skipped: wireguard-go is not installed");
        assumeTrue(LinuxUdpBind.isAvailable(), "skipped: native bind unavailable");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (engine != null) {
            engine.close();
        }
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
        if (goNs != null) {
            goNs.ipResult("link", "del", goIf);
        }
        for (NetNs ns : new NetNs[]{attackerNs, goNs, victimNs}) {
            if (ns != null) {
                ns.close();
            }
        }
    }

    /** A veth pair from {@code a} (address {@code addrA}/24) to {@code b} ({@code addrB}/24). */
    private static void link(NetNs a, String addrA, NetNs b, String addrB) throws Exception {
        String va = NetNs.uniqueInterfaceName("wfv");
        String vb = NetNs.uniqueInterfaceName("wfv");
        a.ip("link", "add", va, "type", "veth", "peer", "name", vb, "netns", b.name());
        a.ip("addr", "add", addrA + "/24", "dev", va);
        b.ip("addr", "add", addrB + "/24", "dev", vb);
        a.ip("link", "set", va, "up");
        b.ip("link", "set", vb, "up");
        if (addrB.startsWith("10.211.")) {
            for (int i = 3; i < 3 + SOURCES; i++) {
                b.ip("addr", "add", "10.211.0." + i + "/24", "dev", vb);
            }
        }
    }

    @Test
    void aLegitimatePeerGetsThroughAFloodOfInitiationsAndGarbage() throws Exception {
        victimNs = NetNs.create("wfxflood-");
        goNs = NetNs.create("wfxflood-");
        attackerNs = NetNs.create("wfxflood-");
        for (NetNs ns : new NetNs[]{victimNs, goNs, attackerNs}) {
            ns.ip("link", "set", "lo", "up");
        }
        link(victimNs, "10.210.0.1", goNs, "10.210.0.2");
        link(victimNs, "10.211.0.1", attackerNs, "10.211.0.2");

        MemoryTun tun = new MemoryTun("flood", 1420);
        engine = WireGuardEngine.builder(tun).privateKey(victimKeys.privateKey()).bindFactory(LinuxUdpBind::open)
                .listenPort(VICTIM_PORT).threadNamePrefix("victim-").build();
        engine.addPeer(goKeys.publicKey());
        engine.addAllowedIp(goKeys.publicKey(), IpPrefix.parse("10.9.0.1/32"));
        victimNs.runInside(() -> {
            engine.start();
            return null;
        });
        AtomicBoolean stop = new AtomicBoolean();
        Thread responder = Thread.ofPlatform().daemon().name("flood-responder").start(() -> {
            while (!stop.get()) {
                try {
                    byte[] p = tun.takeWritten(100, TimeUnit.MILLISECONDS);
                    if (p != null && Icmp.type(p) == 8) {
                        tun.inject(Icmp.echoReplyTo(p));
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        cleanup.add(() -> {
            stop.set(true);
            responder.join(2000);
        });

        NetNs.ExecResult started = goNs.exec("env", "LOG_LEVEL=silent", "wireguard-go", goIf);
        assumeTrue(started.exitCode() == 0, () -> "skipped: wireguard-go did not start: " + started.output());
        Path key = Files.createTempFile("wfx-flood", ".key");
        try {
            Files.writeString(key, goKeys.privateKey().toBase64() + "\n");
            goNs.execChecked("wg", "set", goIf, "private-key", key.toString(), "peer",
                    victimKeys.publicKey().toBase64(), "endpoint", "10.210.0.1:" + VICTIM_PORT,
                    "allowed-ips", "10.9.0.2/32");
        } finally {
            Files.delete(key);
        }
        goNs.ip("addr", "add", "10.9.0.1/24", "dev", goIf);
        goNs.ip("link", "set", goIf, "up");

        // ---- the attacker
        Attack attack = attackerNs.runInside(() -> new Attack(victimKeys.publicKey().bytes()));
        cleanup.add(attack);
        long cpu0 = victimCpuNanos();
        long wall0 = System.nanoTime();
        attack.start();
        Thread.sleep(3000); // the victim is under load by now

        long t0 = System.nanoTime();
        boolean through = false;
        while (!through && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10)) {
            through = goNs.exec("ping", "-n", "-c", "1", "-W", "1", "10.9.0.2").exitCode() == 0;
        }
        long legitMillis = (System.nanoTime() - t0) / 1_000_000;
        NetNs.ExecResult pings = goNs.exec("ping", "-n", "-q", "-c", "10", "-i", "0.2", "-W", "1", "10.9.0.2");
        long remaining = TimeUnit.SECONDS.toMillis(FLOOD_SECONDS) - (System.nanoTime() - wall0) / 1_000_000;
        if (remaining > 0) {
            Thread.sleep(remaining);
        }
        attack.stop();
        double seconds = (System.nanoTime() - wall0) / 1e9;
        long cpu = victimCpuNanos() - cpu0;
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();

        EngineStats s = engine.stats();
        double initiationsPerSecond = attack.initiations.get() / seconds;
        String report = String.format(java.util.Locale.ROOT,
                "flood %.1f s: %.0f initiations/s (valid mac1) + %.0f garbage/s from %d sources; victim: "
                        + "%.0f cookie replies/s received by the attacker, CPU %.0f %% of one core (engine threads), "
                        + "heap after GC %d MiB (whole test JVM), drops: cookie required %d, rate limited %d, "
                        + "decryption failed %d, handshake queue full %d; legitimate handshake after %d ms",
                seconds, initiationsPerSecond, attack.garbage.get() / seconds, SOURCES,
                attack.cookieReplies.get() / seconds, 100.0 * cpu / (seconds * 1e9), heap >> 20,
                s.deviceDrops(DropReason.COOKIE_REQUIRED), s.deviceDrops(DropReason.RATE_LIMITED),
                s.deviceDrops(DropReason.HANDSHAKE_DECRYPTION_FAILED),
                s.get(EngineStats.Counter.HANDSHAKE_QUEUE_DROPS), legitMillis);
        System.out.println(report);

        assertTrue(initiationsPerSecond >= 20_000, report);
        assertTrue(through, "the legitimate peer did not get through within 10 s: " + report);
        assertEquals(0, pings.exitCode(), pings.output());
        assertTrue(attack.cookieReplies.get() > 0 && s.deviceDrops(DropReason.COOKIE_REQUIRED) > 0,
                "the victim answered with cookies under load: " + report);
        assertTrue(attack.smartSent.get() > 0 && s.deviceDrops(DropReason.RATE_LIMITED) > 0,
                "initiations with a valid mac2 met the per-source rate limit: " + report);
        assertEquals(1, engine.peers().size(), "no peer state for strangers");
        assertEquals(0, s.get(EngineStats.Counter.INTERNAL_ERRORS));
    }

    private static long victimCpuNanos() {
        var mx = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (var info : mx.dumpAllThreads(false, false)) {
            if (info.getThreadName().startsWith("victim-")) {
                total += Math.max(0, mx.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    /**
     * The attacker: {@value #SOURCES} UDP sockets on their own addresses, created inside the attacker namespace. Two
     * threads send initiations from the ordinary sources (random bytes with type, reserved bytes and a valid mac1) and
     * every eighth datagram garbage, paced in bursts; a selector thread counts the cookie replies. The first
     * {@value #SMART_SOURCES} sources are "smart": one thread asks each for a cookie (one initiation, then waits for
     * the reply) and then sends 100 initiations per second with a valid mac2, five times the per-source limit.
     */
    private static final class Attack implements AutoCloseable {
        final AtomicLong initiations = new AtomicLong();
        final AtomicLong garbage = new AtomicLong();
        final AtomicLong cookieReplies = new AtomicLong();
        final AtomicLong smartSent = new AtomicLong();
        private final DatagramChannel[] sockets = new DatagramChannel[SOURCES];
        private final CookieGenerator[] macs = new CookieGenerator[SOURCES];
        private final InetSocketAddress victim = new InetSocketAddress("10.211.0.1", VICTIM_PORT);
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        private final java.nio.channels.Selector selector;

        Attack(byte[] victimPublic) throws Exception {
            selector = java.nio.channels.Selector.open();
            for (int i = 0; i < SOURCES; i++) {
                sockets[i] = DatagramChannel.open(StandardProtocolFamily.INET);
                sockets[i].bind(new InetSocketAddress(InetAddress.getByName("10.211.0." + (3 + i)), 0));
                sockets[i].configureBlocking(false);
                macs[i] = new CookieGenerator(victimPublic);
                if (i >= SMART_SOURCES) {
                    sockets[i].register(selector, java.nio.channels.SelectionKey.OP_READ);
                }
            }
        }

        void start() {
            for (int t = 0; t < 2; t++) {
                int half = t;
                threads.add(Thread.ofPlatform().daemon().name("attacker-" + t).start(() -> flood(half)));
            }
            threads.add(Thread.ofPlatform().daemon().name("attacker-rx").start(this::receive));
            threads.add(Thread.ofPlatform().daemon().name("attacker-smart").start(this::smart));
        }

        private static void initiation(byte[] msg, SplittableRandom rnd, CookieGenerator mac) {
            rnd.nextBytes(msg);
            msg[0] = 1;
            msg[1] = msg[2] = msg[3] = 0;
            mac.addMacs(msg, 0, msg.length, System.nanoTime());
        }

        /** About 12,500 datagrams/s from this thread's half of the ordinary sources. */
        private void flood(int half) {
            SplittableRandom rnd = new SplittableRandom(half);
            byte[] msg = new byte[MessageType.INITIATION_SIZE];
            ByteBuffer buf = ByteBuffer.wrap(msg);
            int ordinary = SOURCES - SMART_SOURCES;
            long start = System.nanoTime();
            long sent = 0;
            while (!stop.get()) {
                int i = SMART_SOURCES + (int) ((half * ordinary / 2 + sent) % ordinary);
                try {
                    if (sent % 8 == 7) {
                        rnd.nextBytes(msg);
                        msg[0] = (byte) (1 + rnd.nextInt(4));
                        buf.clear().limit(16 + rnd.nextInt(msg.length - 16));
                        sockets[i].send(buf, victim);
                        garbage.incrementAndGet();
                    } else {
                        initiation(msg, rnd, macs[i]);
                        buf.clear();
                        sockets[i].send(buf, victim);
                        initiations.incrementAndGet();
                    }
                } catch (java.io.IOException e) {
                    // a full socket buffer: the next one
                }
                sent++;
                if (sent % 64 == 0) {
                    long ahead = start + sent * 80_000L - System.nanoTime();
                    if (ahead > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(ahead);
                    }
                }
            }
        }

        private void receive() {
            ByteBuffer in = ByteBuffer.allocate(256);
            while (!stop.get()) {
                try {
                    selector.select(100);
                    for (var k : selector.selectedKeys()) {
                        DatagramChannel ch = (DatagramChannel) k.channel();
                        in.clear();
                        while (ch.receive(in) != null) {
                            if (in.position() == MessageType.COOKIE_REPLY_SIZE && in.get(0) == 3) {
                                cookieReplies.incrementAndGet();
                            }
                            in.clear();
                        }
                    }
                    selector.selectedKeys().clear();
                } catch (java.io.IOException | java.nio.channels.ClosedSelectorException e) {
                    return;
                }
            }
        }

        /** The smart sources: get a cookie each, then send with a valid mac2 at 100 initiations/s per source. */
        private void smart() {
            SplittableRandom rnd = new SplittableRandom(7);
            byte[] msg = new byte[MessageType.INITIATION_SIZE];
            ByteBuffer in = ByteBuffer.allocate(256);
            while (!stop.get()) {
                for (int i = 0; i < SMART_SOURCES && !stop.get(); i++) {
                    try {
                        boolean cookie = macs[i].hasValidCookie(System.nanoTime());
                        initiation(msg, rnd, macs[i]);
                        sockets[i].send(ByteBuffer.wrap(msg), victim);
                        initiations.incrementAndGet();
                        if (cookie) {
                            smartSent.incrementAndGet();
                            continue;
                        }
                        long until = System.nanoTime() + 200_000_000L;
                        while (System.nanoTime() < until) {
                            in.clear();
                            if (sockets[i].receive(in) != null && in.position() == MessageType.COOKIE_REPLY_SIZE) {
                                cookieReplies.incrementAndGet();
                                if (macs[i].consumeReply(in.array(), 0, System.nanoTime())) {
                                    break;
                                }
                            }
                            Thread.sleep(1);
                        }
                    } catch (java.io.IOException e) {
                        // next
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                for (int i = 0; i < SMART_SOURCES; i++) { // drain answers to the mac2 initiations
                    try {
                        in.clear();
                        while (sockets[i].receive(in) != null) {
                            in.clear();
                        }
                    } catch (java.io.IOException e) {
                        // next
                    }
                }
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
            }
        }

        void stop() throws InterruptedException {
            stop.set(true);
            selector.wakeup();
            for (Thread t : threads) {
                t.join(5000);
            }
        }

        @Override
        public void close() throws Exception {
            stop();
            selector.close();
            for (DatagramChannel c : sockets) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }
}
