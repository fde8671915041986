package io.wirefx.engine;

import io.wirefx.core.crypto.KeyPair;
import io.wirefx.core.routing.Prefix;
import io.wirefx.engine.bind.DatagramBatch;
import io.wirefx.engine.bind.UdpBind;
import io.wirefx.engine.bind.linux.LinuxUdpBind;
import io.wirefx.tun.memory.MemoryTun;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.security.SecureRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Warms the JIT for the light-traffic path, once per JVM, inside the first {@code start()} before the engine's
 * threads exist (so nothing competes with it and the first real packets find compiled code): a private pair of engines (fresh
 * throw-away keys, {@link MemoryTun}s, loopback binds of the production bind class) does a handshake and a few
 * thousand ping-sized and full-sized round trips through exactly the code a lone packet takes — {@code pumpOnce} of
 * both paths with the inline stage, the core's fast path, ChaCha20-Poly1305, the bind — and timer rounds, driven
 * synchronously by the calling thread (the pair's engine threads are never started).
 *
 * <p>Why: interpreted, one hop (TUN read, seal, send; receive, open, complete, TUN write) costs about 0.5 ms, so the
 * first few hundred pings through a new tunnel took 2–4 ms where a warm engine takes about one. The warm-up costs
 * 0.3–2 s of start-up (bounded by {@code wirefx.engine.warmup.millis}, default 3000); it never touches the real tunnel and never
 * sends anything off the host (loopback only; if loopback UDP does not work, in-memory binds are used instead).
 *
 * <p>Turned off with {@code -Dwirefx.engine.warmup=false} or {@link WireGuardEngine.Builder#warmUp(boolean)}.
 */
final class WarmUp {
    private static final System.Logger LOG = System.getLogger(WarmUp.class.getName());
    static final String PROPERTY = "wirefx.engine.warmup";
    /** Round trips (each: one packet A→B and one B→A); enough to get the hot methods past the interpreter. */
    static final int ROUND_TRIPS = Integer.getInteger(PROPERTY + ".roundTrips", 6000);
    /** Stops after this long, whatever was done (a loaded machine): bounds the start-up delay. */
    private static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong(PROPERTY + ".millis", 3000));
    /** At most this long after the budget for the JIT to finish what the warm-up queued. */
    private static final long SETTLE_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);
    /** If nothing moves for this long (a datagram lost on loopback), the pair is closed, which unblocks it. */
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int MTU = 1420;
    /** Inner packet sizes cycled through: ICMP echo (84), TCP ACK (52), small, full. */
    private static final int[] SIZES = {84, 52, 84, 140, MTU, 84, 52, 600};

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private WarmUp() {
    }

    /**
     * Runs the warm-up on the calling thread unless it ran in this JVM already (or is running) or is turned off by
     * the system property. Bounded by {@link #BUDGET_NANOS}; never throws.
     */
    static void once(boolean nativeBind) {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true")) || !STARTED.compareAndSet(false, true)) {
            return;
        }
        try {
            Result r = run(nativeBind, ROUND_TRIPS, BUDGET_NANOS);
            LOG.log(System.Logger.Level.DEBUG, "engine warm-up: {0}", r);
            if (Boolean.getBoolean(PROPERTY + ".print")) {
                System.err.println("wirefx engine warm-up: " + r);
            }
        } catch (RuntimeException | IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "engine warm-up failed", e);
        }
    }

    /** What a warm-up did: round trips completed, over which binds, in how long. */
    record Result(int roundTrips, boolean nativeBind, long nanos) {
    }

    /**
     * Runs a warm-up on the calling thread: over loopback {@link LinuxUdpBind}s if {@code nativeBind} (falling back to
     * in-memory binds if loopback does not deliver), else in memory.
     */
    static Result run(boolean nativeBind, int roundTrips, long budgetNanos) throws IOException {
        long start = System.nanoTime();
        boolean overNative = false;
        int done = 0;
        if (nativeBind && LinuxUdpBind.isAvailable()) {
            done = runPair(true, roundTrips, start + budgetNanos);
            overNative = done > 0;
        }
        if (!overNative) {
            done = runPair(false, roundTrips, start + budgetNanos);
        }
        awaitQuietJit(start + budgetNanos + SETTLE_MAX_NANOS);
        return new Result(done, overNative, System.nanoTime() - start);
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

    /** Returns the round trips completed; 0 if the handshake did not complete. */
    private static int runPair(boolean nativeBind, int roundTrips, long deadline) throws IOException {
        SecureRandom rng = new SecureRandom();
        KeyPair ka = KeyPair.generate(rng);
        KeyPair kb = KeyPair.generate(rng);
        MemoryTun tunA = new MemoryTun("warmup-a", MTU, 64);
        MemoryTun tunB = new MemoryTun("warmup-b", MTU, 64);
        WireGuardEngine a = pairEngine(tunA, ka, rng, "a");
        WireGuardEngine b = pairEngine(tunB, kb, rng, "b");
        UdpBind bindA = null;
        UdpBind bindB = null;
        AtomicLong progress = new AtomicLong();
        AtomicBoolean finished = new AtomicBoolean();
        Thread watchdog = null;
        try {
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
            a.attachForWarmUp(bindA);
            b.attachForWarmUp(bindB);
            a.addPeer(kb.publicKey());
            a.addAllowedIp(kb.publicKey(), Prefix.parse("10.255.0.2/32"));
            a.setEndpoint(kb.publicKey(), addrB);
            b.addPeer(ka.publicKey());
            b.addAllowedIp(ka.publicKey(), Prefix.parse("10.255.0.1/32"));
            b.setEndpoint(ka.publicKey(), addrA);

            // A stalled pump (a datagram lost on loopback) blocks in receive: closing the pair unblocks it.
            WireGuardEngine ea = a;
            WireGuardEngine eb = b;
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
                        ea.close();
                        eb.close();
                        return;
                    }
                }
            });

            byte[] ab = new byte[MTU];
            byte[] ba = new byte[MTU];
            // Handshake: A's first packet is staged and starts it; the handshake messages are served here.
            ipv4(ab, SIZES[0], 1, 2);
            if (!tunA.inject(ab, 0, SIZES[0]) || !a.sendPath.pumpOnce()) {
                return 0;
            }
            if (!b.receivePath.pumpOnce() || b.receivePath.serveQueuedHandshakes(new ControlSender(b)) != 1) {
                return 0;
            }
            if (!a.receivePath.pumpOnce() || a.receivePath.serveQueuedHandshakes(new ControlSender(a)) != 1) {
                return 0;
            }
            if (!b.receivePath.pumpOnce() || tunB.pollWritten() == null) {
                return 0; // the staged packet did not arrive
            }
            progress.incrementAndGet();
            ControlSender timerA = new ControlSender(a);
            ControlSender timerB = new ControlSender(b);
            int done = 0;
            while (done < roundTrips && System.nanoTime() - deadline < 0) {
                // the timer thread runs only ten times a second: without this it would stay interpreted for
                // half a minute, holding the peer's lock longer than the packets it delays
                a.timerRound(timerA);
                b.timerRound(timerB);
                int size = SIZES[done % SIZES.length];
                ipv4(ab, size, 1, 2);
                ipv4(ba, size, 2, 1);
                if (!hop(tunA, a, b, tunB, ab, size) || !hop(tunB, b, a, tunA, ba, size)) {
                    break;
                }
                done++;
                progress.incrementAndGet();
            }
            return done;
        } finally {
            finished.set(true);
            if (watchdog != null) {
                watchdog.interrupt();
            }
            a.close(); // closes its TUN and (once attached) its bind
            b.close();
            if (bindA != null) {
                bindA.close(); // idempotent; covers a failure before attachForWarmUp
            }
            if (bindB != null) {
                bindB.close();
            }
        }
    }

    /** One packet from {@code from}'s TUN to {@code to}'s TUN; false if it did not arrive. */
    private static boolean hop(MemoryTun fromTun, WireGuardEngine from, WireGuardEngine to, MemoryTun toTun,
            byte[] packet, int len) {
        return fromTun.inject(packet, 0, len)
                && from.sendPath.pumpOnce()
                && to.receivePath.pumpOnce()
                && toTun.pollWritten() != null;
    }

    private static WireGuardEngine pairEngine(MemoryTun tun, KeyPair keys, SecureRandom rng, String name) {
        return WireGuardEngine.builder(tun)
                .privateKey(keys.privateKey())
                .random(rng)
                .cryptoThreads(0)
                .batchSize(SendPath.INLINE_MAX)
                .pipelineDepth(1)
                .warmUp(false)
                .threadNamePrefix("wirefx-warmup-" + name + "-")
                .build();
    }

    /** A minimal IPv4 header (protocol ICMP) from 10.255.0.{src} to 10.255.0.{dst}, total length {@code len}. */
    private static void ipv4(byte[] p, int len, int src, int dst) {
        p[0] = 0x45;
        p[2] = (byte) (len >>> 8);
        p[3] = (byte) len;
        p[8] = 64;
        p[9] = 1;
        p[12] = 10;
        p[13] = (byte) 255;
        p[14] = 0;
        p[15] = (byte) src;
        p[16] = 10;
        p[17] = (byte) 255;
        p[18] = 0;
        p[19] = (byte) dst;
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
