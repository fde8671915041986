package io.wirefx.warmup;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.crypto.KeyPair;
import io.wirefx.core.net.IpPrefix;
import io.wirefx.engine.EngineStats;
import io.wirefx.engine.ManualDrive;
import io.wirefx.engine.WireGuardEngine;
import io.wirefx.engine.bind.DatagramBatch;
import io.wirefx.engine.bind.UdpBind;
import io.wirefx.engine.bind.linux.LinuxUdpBind;
import io.wirefx.tun.PacketBatch;
import io.wirefx.tun.TunDevice;
import io.wirefx.tun.linux.LinuxTunDevice;
import io.wirefx.tun.linux.LinuxTunDriver;
import io.wirefx.tun.macos.UtunDevice;
import io.wirefx.tun.memory.MemoryTun;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ClosedChannelException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Warms the JIT for the light-traffic path, once per JVM, right before the first engine starts (the service's entry
 * points call {@link #once}; nothing else competes with it then, and the first real packets find compiled code): a
 * private pair of engines (fresh throw-away keys, loopback binds of the production bind class) does handshakes and a
 * few thousand ping-sized and full-sized round trips through exactly the code a lone packet takes — one round of
 * each path with the inline stage, the core's fast path, ChaCha20-Poly1305, the bind, the TUN driver — and timer
 * rounds, driven synchronously by the calling thread through {@link ManualDrive} (the pair's engine threads are
 * never started).
 *
 * <p>Why: interpreted, one hop (TUN read, seal, send; receive, open, complete, TUN write) costs about 0.5 ms, so the
 * first few hundred pings through a new tunnel took 2–4 ms where a warm engine takes well under one. Compiled code
 * is only as good as the profile it was compiled from: C2 turns branches never taken into traps and calls seen with
 * one class into inlined code guarded by that class, and a trap throws the method back to the interpreter, where a
 * ping every second keeps it for minutes. So the warm-up makes the profile look like production's:
 * <ul>
 *   <li>the TUN devices are of the production device's own class (the Linux and macOS drivers' loopback pairs, see
 *       {@link LoopbackPairs#ofDrivers()}; an in-memory stand-in only where the driver has no loopback mode);</li>
 *   <li>every so often both sides forget each other and handshake again, alternately initiating, with and without a
 *       preshared key, so the handshake's branches in shared crypto code are not "never taken";</li>
 *   <li>IPv6 packets ride along with IPv4 ones;</li>
 *   <li>some hops are delayed by a helper thread so that the TUN read and the UDP receive really block in
 *       {@code poll} and wake, as every packet of an idle tunnel does;</li>
 *   <li>classes that production loads later and that would invalidate compiled code (a virtual thread, for the UAPI
 *       and IPC servers) are loaded first.</li>
 * </ul>
 * The warm-up costs 0.3–2 s of start-up (bounded by {@code wirefx.engine.warmup.millis}, default 3000); it never
 * touches the real tunnel and never sends anything off the host (loopback only; if loopback UDP does not work,
 * in-memory binds are used instead).
 *
 * <p>Turned off with {@code -Dwirefx.engine.warmup=false}.
 */
public final class WarmUp {
    private static final System.Logger LOG = System.getLogger(WarmUp.class.getName());
    static final String PROPERTY = "wirefx.engine.warmup";
    /** Round trips (each: one packet A→B and one B→A); enough to get the hot methods past the interpreter. */
    static final int ROUND_TRIPS = Integer.getInteger(PROPERTY + ".roundTrips", 5000);
    /** Stops after this long, whatever was done (a loaded machine): bounds the start-up delay. */
    private static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong(PROPERTY + ".millis", 3000));
    /** At most this long after the budget for the JIT to finish what the warm-up queued. */
    private static final long SETTLE_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);
    /** If nothing moves for this long (a datagram lost on loopback), the pair is closed, which unblocks it. */
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** Round trips of the second pass, after the compiler's queue has drained. */
    static final int TAIL_ROUND_TRIPS = 600;
    /** A fresh handshake every this many round trips. */
    static final int HANDSHAKE_EVERY = Integer.getInteger(PROPERTY + ".handshakeEvery", 250);
    /** Every this many round trips, the two hops are delayed (TUN side, then UDP side) so that poll blocks. */
    static final int DELAYED_EVERY = 8;
    /** How long the helper waits before it acts: long enough for the pump to reach poll. */
    private static final long DELAY_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final int MTU = 1420;
    /** Inner packet sizes cycled through: ICMP echo (84), TCP ACK (52), small, full; negative = IPv6. */
    private static final int[] SIZES = {84, 52, -104, 140, MTU, 84, -72, 600, 84, -MTU};

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private WarmUp() {
    }

    /**
     * Runs the warm-up on the calling thread unless it ran in this JVM already (or is running) or is turned off by
     * the system property: over loopback native binds where available (production's), else in memory.
     * {@code production} is the TUN device of the engine about to start: the warm-up opens a loopback pair of its
     * class if it can. Call it before that engine's {@code start()}. Bounded by {@link #BUDGET_NANOS}; never throws.
     */
    public static void once(TunDevice production) {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true")) || !STARTED.compareAndSet(false, true)) {
            return;
        }
        try {
            loadLateClasses();
            Result r = run(true, production, LoopbackPairs.ofDrivers(), ROUND_TRIPS, BUDGET_NANOS);
            LOG.log(System.Logger.Level.DEBUG, "engine warm-up: {0}", r);
            if (Boolean.getBoolean(PROPERTY + ".print")) {
                System.err.println("wirefx engine warm-up: " + r);
            }
        } catch (RuntimeException | IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "engine warm-up failed", e);
        }
    }

    /**
     * Loads classes that the process loads later anyway and whose arrival would invalidate compiled hot code. The
     * first virtual thread (the UAPI and IPC servers use them) overrides {@code Thread} methods that blocking queues
     * call; loaded after the warm-up, it sent both pumps back to the interpreter on the first {@code wg set}.
     */
    private static void loadLateClasses() {
        try {
            Thread.ofVirtual().name("wirefx-warmup-vt").start(() -> { }).join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, "no virtual thread for the warm-up", e);
        }
    }

    /**
     * What a warm-up did: round trips and handshakes completed, over which binds and TUN class, how long the traffic
     * took and how long it all took (with the wait for the JIT).
     */
    record Result(int roundTrips, int handshakes, boolean nativeBind, String tunClass, long trafficNanos, long nanos) {
    }

    /**
     * Runs a warm-up on the calling thread: over loopback {@link LinuxUdpBind}s if {@code nativeBind} (falling back to
     * in-memory binds if loopback does not deliver), over a loopback pair of {@code production}'s class if
     * {@code pairs} has one (else {@link MemoryTun}s; {@code production} may be null).
     */
    static Result run(boolean nativeBind, TunDevice production, LoopbackPairs pairs, int roundTrips, long budgetNanos)
            throws IOException {
        long start = System.nanoTime();
        Tally t = null;
        if (nativeBind && LinuxUdpBind.isAvailable()) {
            t = runPair(true, production, pairs, roundTrips, start + budgetNanos);
        }
        if (t == null || t.roundTrips == 0) {
            t = runPair(false, production, pairs, roundTrips, start + budgetNanos);
        }
        awaitQuietJit(start + budgetNanos + SETTLE_MAX_NANOS);
        // A second, short pass once the compiler is idle: while its queue is long, C2 raises its thresholds, and
        // methods left at C1's profiling tier would only move on when real traffic calls them thousands of times
        // more (the TUN write, for one, stayed there through all the pings of a new tunnel).
        int tail = Math.min(roundTrips, TAIL_ROUND_TRIPS);
        if (t.roundTrips > 0 && tail > 0) {
            Tally second = runPair(t.nativeBind, production, pairs, tail, System.nanoTime() + budgetNanos / 4);
            t.roundTrips += second.roundTrips;
            t.handshakes += second.handshakes;
        }
        long traffic = System.nanoTime() - start;
        awaitQuietJit(System.nanoTime() + SETTLE_MAX_NANOS);
        return new Result(t.roundTrips, t.handshakes, t.nativeBind, t.tunClass, traffic, System.nanoTime() - start);
    }

    /**
     * Waits (bounded) until the JIT has compiled what the warm-up queued: otherwise its compiler threads keep both
     * cores of a small machine busy for a while after start-up, just when the first real packets arrive.
     */
    private static void awaitQuietJit(long deadline) {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long last = jit.getTotalCompilationTime();
        int quiet = 0;
        while (quiet < 2 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long t = jit.getTotalCompilationTime();
            quiet = t == last ? quiet + 1 : 0;
            last = t;
        }
    }

    private static final class Tally {
        int roundTrips;
        int handshakes;
        boolean nativeBind;
        String tunClass;
    }

    /** One side of the pair: an engine and its manual drive, its keys, its TUN port and its address. */
    private record Side(WireGuardEngine engine, ManualDrive drive, KeyPair keys, Port port, byte[] packet, int host) {
    }

    private static Tally runPair(boolean nativeBind, TunDevice production, LoopbackPairs pairs, int roundTrips,
                                 long deadline) throws IOException {
        SecureRandom rng = new SecureRandom();
        Tally tally = new Tally();
        tally.nativeBind = nativeBind;
        Port portA = null;
        Port portB = null;
        UdpBind bindA = null;
        UdpBind bindB = null;
        WireGuardEngine a = null;
        WireGuardEngine b = null;
        AtomicLong progress = new AtomicLong();
        AtomicBoolean finished = new AtomicBoolean();
        Thread watchdog = null;
        Helper helper = null;
        try {
            portA = Port.open(pairs, production, "warmup-a");
            portB = Port.open(pairs, production, "warmup-b");
            tally.tunClass = portA.device().getClass().getSimpleName();
            KeyPair ka = KeyPair.generate(rng);
            KeyPair kb = KeyPair.generate(rng);
            a = pairEngine(portA.device(), ka, rng, "a");
            b = pairEngine(portB.device(), kb, rng, "b");
            InetSocketAddress addrA;
            InetSocketAddress addrB;
            if (nativeBind) {
                bindA = LinuxUdpBind.open(0);
                bindB = LinuxUdpBind.open(0);
                InetAddress lo = InetAddress.getByName(bindA.hasIpv4() && bindB.hasIpv4() ? "127.0.0.1" : "::1");
                addrA = new InetSocketAddress(lo, bindA.localPort());
                addrB = new InetSocketAddress(lo, bindB.localPort());
            } else {
                MemoryBind ma = new MemoryBind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1));
                MemoryBind mb = new MemoryBind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 2));
                ma.peer = mb;
                mb.peer = ma;
                bindA = ma;
                bindB = mb;
                addrA = ma.address;
                addrB = mb.address;
            }
            Side sa = new Side(a, a.driveManually(bindA), ka, portA, new byte[MTU], 1);
            Side sb = new Side(b, b.driveManually(bindB), kb, portB, new byte[MTU], 2);

            // A stalled pump (a datagram lost on loopback) blocks in receive or TUN read: closing the pair and the
            // ports unblocks it.
            List<AutoCloseable> closeOnStall = List.of(a, b, portA, portB);
            watchdog = Thread.ofPlatform().daemon().name("wirefx-warmup-watchdog").start(() -> {
                long last = -1;
                long since = System.nanoTime();
                while (!finished.get()) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                    long p = progress.get();
                    long now = System.nanoTime();
                    if (p != last) {
                        last = p;
                        since = now;
                    } else if (now - since > STALL_NANOS || now - deadline > 0) {
                        closeOnStall.forEach(WarmUp::closeQuietly);
                        return;
                    }
                }
            });
            helper = new Helper();

            Random choice = new Random(1);
            int done = 0;
            while (done < roundTrips && System.nanoTime() - deadline < 0) {
                if (done % HANDSHAKE_EVERY == 0) {
                    int round = done / HANDSHAKE_EVERY;
                    // the rarer events every fourth round: each still shows up in the profile dozens of times
                    boolean rare = round % 4 == 1;
                    if (nativeBind && rare) {
                        // a rebind (wg set listen-port) under a receiver blocked in the old socket, then the new
                        // bind's first receive and send (lazy buffers, empty address cache)
                        bindA = rebindUnderReceiver(sa.drive(), helper);
                        bindB = rebindUnderReceiver(sb.drive(), helper);
                        if (bindA == null || bindB == null) {
                            break;
                        }
                        addrA = new InetSocketAddress(addrA.getAddress(), bindA.localPort());
                        addrB = new InetSocketAddress(addrB.getAddress(), bindB.localPort());
                    }
                    // forget each other and handshake again: alternately initiating, with and without a PSK
                    Key psk = round % 2 == 1 ? randomKey(rng) : null;
                    introduce(sa, sb, addrB, psk);
                    introduce(sb, sa, addrA, psk);
                    boolean aStarts = (round / 2) % 2 == 0;
                    if (!(aStarts ? handshake(sa, sb) : handshake(sb, sa))) {
                        break;
                    }
                    tally.handshakes++;
                    progress.incrementAndGet();
                    // what a real tunnel meets in its first seconds and the loop above never shows
                    helper.close();
                    helper = new Helper(); // a fresh thread: first use of the per-thread ciphers on it
                    if (!unroutable(sa) || !unroutable(sb) || round % 4 == 3 && !contendedExchange(sa, sb, helper)
                            || nativeBind && round % 4 == 2
                                && (!strangerDatagram(bindA, addrA, sa) || !strangerDatagram(bindB, addrB, sb))) {
                        break;
                    }
                }
                // the timer thread runs only ten times a second: without this it would stay interpreted for
                // half a minute, holding the peer's lock longer than the packets it delays
                sa.drive().timerRound();
                sb.drive().timerRound();
                int size = SIZES[done % SIZES.length];
                boolean delayed = done % DELAYED_EVERY == DELAYED_EVERY - 1;
                boolean ok;
                if (delayed) {
                    ok = hopTunDelayed(sa, sb, size, helper) && hopUdpDelayed(sb, sa, size, helper);
                } else if (done % 2 == 0) {
                    ok = hop(sa, sb, size) && hop(sb, sa, size);
                } else {
                    ok = done % 4 == 1 ? exchange(sa, sb, size) : exchange(sb, sa, size);
                }
                if (!ok) {
                    break;
                }
                if (choice.nextInt(64) == 0) {
                    // now and then two packets in one batch, as a busy TUN queue gives
                    if (!hopPair(sa, sb, size)) {
                        break;
                    }
                }
                done++;
                progress.incrementAndGet();
            }
            tally.roundTrips = done;
            return tally;
        } finally {
            finished.set(true);
            if (watchdog != null) {
                watchdog.interrupt();
            }
            if (helper != null) {
                helper.close();
            }
            closeQuietly(a); // closes its TUN and (once attached) its bind
            closeQuietly(b);
            closeQuietly(bindA); // idempotent; covers a failure before driveManually
            closeQuietly(bindB);
            closeQuietly(portA);
            closeQuietly(portB);
        }
    }

    private static Key randomKey(SecureRandom rng) {
        byte[] k = new byte[Key.LENGTH];
        rng.nextBytes(k);
        return Key.fromBytes(k);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "warm-up close", e);
            }
        }
    }

    /** {@code self} (re)learns {@code other} as a fresh peer: no session, its endpoint and addresses, the PSK. */
    private static void introduce(Side self, Side other, InetSocketAddress otherAddress, Key psk) {
        Key pk = other.keys().publicKey();
        WireGuardEngine e = self.engine();
        e.removePeer(pk);
        e.addPeer(pk);
        e.addAllowedIp(pk, IpPrefix.parse("10.255.0." + other.host() + "/32"));
        e.addAllowedIp(pk, IpPrefix.parse("fd00:255::" + other.host() + "/128"));
        e.setEndpoint(pk, otherAddress);
        if (psk != null) {
            e.setPresharedKey(pk, psk);
        }
    }

    /**
     * A handshake started by a packet from {@code init} (staged, then sent once the session is up); the handshake
     * messages are served on this thread. False if it did not complete.
     */
    private static boolean handshake(Side init, Side resp) throws IOException {
        packet(init, resp, SIZES[0]);
        return init.port().inject(init.packet(), SIZES[0])
                && init.drive().pumpSend()
                && resp.drive().pumpReceive()
                && resp.drive().serveHandshakes() == 1
                && init.drive().pumpReceive()
                && init.drive().serveHandshakes() == 1
                && resp.drive().pumpReceive()
                && resp.port().takeWritten(); // the staged packet arrived
    }

    /**
     * Packets without a peer (as the kernel sends when an interface comes up: IPv6 router solicitations, MLD): the
     * send path hands them to the core, which drops and counts them.
     */
    private static boolean unroutable(Side side) throws IOException {
        byte[] p = side.packet();
        int len = packet(side, side, 84);
        p[19] = 99; // 10.255.0.99: nobody's
        if (!side.port().inject(p, len) || !side.drive().pumpSend()) {
            return false;
        }
        len = packet(side, side, -72);
        p[24] = (byte) 0xff; // ff02::2, all routers
        p[25] = 0x02;
        java.util.Arrays.fill(p, 26, 39, (byte) 0);
        p[39] = 2;
        return side.port().inject(p, len) && side.drive().pumpSend();
    }

    /**
     * A junk datagram from a new source port (and over IPv6 where the bind has it): the receive path learns a new
     * source address and the core drops the datagram as malformed, as it does with scans from the internet.
     */
    private static boolean strangerDatagram(UdpBind bind, InetSocketAddress to, Side side) throws IOException {
        boolean ok = stranger(to, side);
        if (ok && bind.hasIpv6()) {
            try {
                InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), to.getPort());
                try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET6)) {
                    probe.connect(v6); // fails fast where IPv6 loopback is not configured
                }
                ok = stranger(v6, side);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "warm-up: no IPv6 loopback", e);
            }
        }
        return ok;
    }

    private static boolean stranger(InetSocketAddress to, Side side) throws IOException {
        try (DatagramChannel ch = DatagramChannel.open()) {
            if (ch.send(ByteBuffer.wrap(new byte[]{1, 0, 0, 0, 9}), to) != 5) {
                return false;
            }
        }
        return side.drive().pumpReceive(); // loopback delivers at once: it is there
    }

    /** One packet from {@code from}'s TUN to {@code to}'s TUN; false if it did not arrive. */
    private static boolean hop(Side from, Side to, int size) throws IOException {
        int len = packet(from, to, size);
        return from.port().inject(from.packet(), len)
                && from.drive().pumpSend()
                && to.drive().pumpReceive()
                && to.port().takeWritten();
    }

    /**
     * A request whose answer the far side's kernel queued while the request was written (an echo reply): the far
     * engine's receive path reads it at once and sends it back on its own thread.
     */
    private static boolean exchange(Side from, Side to, int size) throws IOException {
        int len = packet(from, to, size);
        int answer = packet(to, from, size);
        long before = to.drive().counter(EngineStats.Counter.TUN_PACKETS_READ_BY_RECEIVER);
        boolean ok = from.port().inject(from.packet(), len)
                && from.drive().pumpSend()
                && to.port().inject(to.packet(), answer) // queued before the write: readNow finds it after
                && to.drive().pumpReceive()
                && to.port().takeWritten();
        if (ok && to.drive().counter(EngineStats.Counter.TUN_PACKETS_READ_BY_RECEIVER) == before) {
            ok = to.drive().pumpSend(); // a device without readNow: the reader sends the answer
        }
        return ok
                && from.drive().pumpReceive()
                && from.port().takeWritten();
    }

    /**
     * Swaps a fresh bind in (closing the old one, as a rebind does) from the helper while this thread's receive pump
     * is blocked in the old bind. Returns the new bind, or null if that did not work out.
     */
    private static UdpBind rebindUnderReceiver(ManualDrive e, Helper helper) throws IOException {
        UdpBind fresh = LinuxUdpBind.open(0);
        InetSocketAddress freshAddress = new InetSocketAddress(
                InetAddress.getByName(fresh.hasIpv4() ? "127.0.0.1" : "::1"), fresh.localPort());
        long before = e.counter(EngineStats.Counter.DATAGRAMS_RECEIVED);
        Future<Boolean> swapped = helper.later(() -> {
            closeQuietly(e.swapBind(fresh));
            // if the pump had not reached the old socket yet, it now waits on the new one: this ends that wait
            try (DatagramChannel ch = DatagramChannel.open()) {
                return ch.send(ByteBuffer.wrap(new byte[]{1, 0, 0, 0, 9}), freshAddress) == 5;
            }
        });
        boolean ok = e.pumpReceive() && helper.await(swapped);
        if (ok && e.counter(EngineStats.Counter.DATAGRAMS_RECEIVED) == before) {
            ok = e.pumpReceive(); // the pump ended with the old socket: take the junk datagram now
        }
        if (!ok) {
            closeQuietly(fresh);
            return null;
        }
        return fresh;
    }

    /**
     * An exchange while the far engine's TUN reader holds its stage lock (it is taking packets itself): the receive
     * path leaves the answer to the reader, which sends it once it has the lock again.
     */
    private static boolean contendedExchange(Side from, Side to, Helper helper) throws IOException {
        java.util.concurrent.locks.Lock lock = to.drive().readerLock();
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Future<Boolean> holder = helper.later(() -> {
            lock.lock();
            try {
                held.countDown();
                return release.await(STALL_NANOS, TimeUnit.NANOSECONDS);
            } finally {
                lock.unlock();
            }
        });
        try {
            if (!held.await(STALL_NANOS, TimeUnit.NANOSECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        int len = packet(from, to, 84);
        int answer = packet(to, from, 84);
        boolean ok = from.port().inject(from.packet(), len)
                && from.drive().pumpSend()
                && to.port().inject(to.packet(), answer)
                && to.drive().pumpReceive() // pumpQueued finds the lock taken
                && to.port().takeWritten();
        release.countDown();
        return helper.await(holder)
                && ok
                && to.drive().pumpSend() // the reader sends the answer
                && from.drive().pumpReceive()
                && from.port().takeWritten();
    }

    /** Two packets queued before the TUN read, so that both paths see a batch of two. */
    private static boolean hopPair(Side from, Side to, int size) throws IOException {
        int len = packet(from, to, size);
        return from.port().inject(from.packet(), len)
                && from.port().inject(from.packet(), len)
                && from.drive().pumpSend()
                && to.drive().pumpReceive()
                && to.port().takeWritten()
                && (to.port().takeWritten() || to.drive().pumpReceive() && to.port().takeWritten());
    }

    /** A hop whose packet reaches the TUN only after the reader blocked in poll (the helper injects it). */
    private static boolean hopTunDelayed(Side from, Side to, int size, Helper helper) throws IOException {
        int len = packet(from, to, size);
        Future<Boolean> injected = helper.later(() -> from.port().inject(from.packet(), len));
        return from.drive().pumpSend()
                && to.drive().pumpReceive()
                && to.port().takeWritten()
                && helper.await(injected);
    }

    /** A hop whose datagram is sent only after the receiver blocked in poll (the helper runs the send side). */
    private static boolean hopUdpDelayed(Side from, Side to, int size, Helper helper) throws IOException {
        int len = packet(from, to, size);
        if (!from.port().inject(from.packet(), len)) {
            return false;
        }
        Future<Boolean> sent = helper.later(() -> from.drive().pumpSend());
        return to.drive().pumpReceive()
                && to.port().takeWritten()
                && helper.await(sent);
    }

    private static WireGuardEngine pairEngine(TunDevice tun, KeyPair keys, SecureRandom rng, String name) {
        return WireGuardEngine.builder(tun)
                .privateKey(keys.privateKey())
                .random(rng)
                // workers as in production (their threads are never started: batches this small stay inline), so
                // that the dispatch code is compiled for a pool that has them
                .cryptoThreads(WireGuardEngine.Builder.defaultCryptoThreads())
                .batchSize(ManualDrive.INLINE_MAX)
                .pipelineDepth(1)
                .threadNamePrefix("wirefx-warmup-" + name + "-")
                .build();
    }

    /**
     * Writes a minimal packet from {@code from} to {@code to} into {@code from.packet()}: IPv4 (protocol ICMP,
     * 10.255.0.x) for a positive size, IPv6 (next header ICMPv6, fd00:255::x) for a negative one. Returns its length.
     */
    private static int packet(Side from, Side to, int size) {
        byte[] p = from.packet();
        int len = Math.abs(size);
        java.util.Arrays.fill(p, 0, 40, (byte) 0);
        if (size > 0) {
            p[0] = 0x45;
            p[2] = (byte) (len >>> 8);
            p[3] = (byte) len;
            p[8] = 64;
            p[9] = 1;
            p[12] = 10;
            p[13] = (byte) 255;
            p[15] = (byte) from.host();
            p[16] = 10;
            p[17] = (byte) 255;
            p[19] = (byte) to.host();
        } else {
            p[0] = 0x60;
            int payload = len - 40;
            p[4] = (byte) (payload >>> 8);
            p[5] = (byte) payload;
            p[6] = 58;
            p[7] = 64;
            address6(p, 8, from.host());
            address6(p, 24, to.host());
        }
        return len;
    }

    /** fd00:255::host at {@code p[off..off+16)}. */
    private static void address6(byte[] p, int off, int host) {
        p[off] = (byte) 0xfd;
        p[off + 2] = 0x02;
        p[off + 3] = 0x55;
        p[off + 15] = (byte) host;
    }

    /**
     * Opens two connected devices of the production device's own implementation that carry packets only between each
     * other (no OS interface, no privilege), so that the code compiled before the first real packet is the code that
     * will carry it: an in-memory stand-in would have the JIT specialise for the wrong class.
     */
    @FunctionalInterface
    interface LoopbackPairs {
        /** A pair of {@code production}'s class (both closed by the caller), or empty if its driver has none. */
        Optional<TunDevice[]> open(TunDevice production) throws IOException;

        /** The drivers' own loopback pairs: Linux (an {@code AF_UNIX} socket pair) and macOS (a Unix socket pair). */
        static LoopbackPairs ofDrivers() {
            return production -> {
                if (production instanceof LinuxTunDevice) {
                    return Optional.of(LinuxTunDriver.openLoopbackPair(production.mtu()));
                }
                if (production instanceof UtunDevice utun) {
                    return Optional.of(utun.openLoopbackPair());
                }
                return Optional.empty();
            };
        }
    }

    /**
     * The warm-up's access to one engine's TUN: the device the engine reads and writes, and the other end of it (the
     * side a kernel would be on).
     */
    private interface Port extends AutoCloseable {
        TunDevice device();

        /** Queues one packet for the engine to read. */
        boolean inject(byte[] packet, int len) throws IOException;

        /** Takes one packet the engine wrote; false if there is none (or the port was closed). */
        boolean takeWritten() throws IOException;

        @Override
        void close();

        /** A loopback pair of {@code production}'s class if {@code pairs} has one, else a {@link MemoryTun}. */
        static Port open(LoopbackPairs pairs, TunDevice production, String name) throws IOException {
            Optional<TunDevice[]> pair = production == null ? Optional.empty() : pairs.open(production);
            if (pair.isPresent()) {
                return new PairPort(pair.get()[0], pair.get()[1]);
            }
            return new MemoryPort(new MemoryTun(name, MTU, 64));
        }
    }

    private record MemoryPort(MemoryTun tun) implements Port {
        @Override
        public TunDevice device() {
            return tun;
        }

        @Override
        public boolean inject(byte[] packet, int len) {
            return tun.inject(packet, 0, len);
        }

        @Override
        public boolean takeWritten() {
            return tun.pollWritten() != null;
        }

        @Override
        public void close() {
            tun.close();
        }
    }

    /** Over a loopback pair: {@code far} is written and read with the same driver code as the engine's end. */
    private static final class PairPort implements Port {
        private final TunDevice near;
        private final TunDevice far;
        private final PacketBatch out = new PacketBatch(1, MTU);
        private final PacketBatch in = new PacketBatch(1, MTU);

        PairPort(TunDevice near, TunDevice far) {
            this.near = near;
            this.far = far;
        }

        @Override
        public TunDevice device() {
            return near;
        }

        @Override
        public boolean inject(byte[] packet, int len) throws IOException {
            synchronized (out) { // the helper thread injects too, never at the same time as this thread
                out.clear();
                out.add(packet, 0, len);
                return far.write(out) == 1;
            }
        }

        @Override
        public boolean takeWritten() throws IOException {
            return far.read(in) > 0; // the engine's write was synchronous: the packet is there (or we were closed)
        }

        @Override
        public void close() {
            near.close();
            far.close();
        }
    }

    /** Runs one task at a time on its own thread after {@link #DELAY_NANOS}. */
    private static final class Helper implements AutoCloseable {
        private final ExecutorService executor = Executors.newSingleThreadExecutor(r ->
                Thread.ofPlatform().daemon().name("wirefx-warmup-helper").unstarted(r));

        Future<Boolean> later(Callable<Boolean> task) {
            return executor.submit(() -> {
                LockSupport.parkNanos(DELAY_NANOS);
                return task.call();
            });
        }

        boolean await(Future<Boolean> f) {
            try {
                return f.get(STALL_NANOS * 4, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException | TimeoutException e) {
                return false;
            }
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }

    /** In-memory bind pair for hosts where loopback UDP does not work. */
    private static final class MemoryBind implements UdpBind {
        private record Message(byte[] data, InetSocketAddress from) {
        }

        final InetSocketAddress address;
        final ArrayBlockingQueue<Message> inbox = new ArrayBlockingQueue<>(256);
        volatile MemoryBind peer;
        private volatile boolean closed;

        MemoryBind(InetSocketAddress address) {
            this.address = address;
        }

        @Override
        public int receive(DatagramBatch batch) {
            batch.clear();
            try {
                Message m = null;
                while (m == null) {
                    if (closed) {
                        return -1;
                    }
                    m = inbox.poll(50, TimeUnit.MILLISECONDS);
                }
                do {
                    batch.add(m.data(), 0, m.data().length, m.from());
                } while (!batch.isFull() && (m = inbox.poll()) != null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            return batch.count();
        }

        @Override
        public int send(DatagramBatch batch) throws IOException {
            if (closed) {
                throw new ClosedChannelException();
            }
            int n = 0;
            for (int i = 0; i < batch.count(); i++) {
                if (batch.endpoint(i) != null) {
                    byte[] copy = new byte[batch.length(i)];
                    System.arraycopy(batch.array(i), batch.offset(i), copy, 0, copy.length);
                    if (peer.inbox.offer(new Message(copy, address))) {
                        n++;
                    }
                }
            }
            return n;
        }

        @Override
        public int localPort() {
            return address.getPort();
        }

        @Override
        public boolean hasIpv6() {
            return false;
        }

        @Override
        public boolean hasIpv4() {
            return true;
        }

        @Override
        public void setFwmark(int mark) {
        }

        @Override
        public int fwmark() {
            return 0;
        }

        @Override
        public boolean supportsFwmark() {
            return false;
        }

        @Override
        public Stats stats() {
            return new Stats(0, 0, 0, 0);
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public boolean isOpen() {
            return !closed;
        }
    }
}
