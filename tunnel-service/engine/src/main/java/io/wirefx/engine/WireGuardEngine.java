package io.wirefx.engine;

import io.wirefx.core.config.Config;
import io.wirefx.core.config.InetEndpoint;
import io.wirefx.core.config.Interface;
import io.wirefx.core.crypto.ChaChaPoly;
import io.wirefx.core.crypto.Key;
import io.wirefx.core.device.Datagram;
import io.wirefx.core.device.Device;
import io.wirefx.core.device.DropReason;
import io.wirefx.core.device.Peer;
import io.wirefx.core.net.IpPrefix;
import io.wirefx.core.timers.Timings;
import io.wirefx.engine.bind.DatagramBatch;
import io.wirefx.engine.bind.UdpBind;
import io.wirefx.engine.bind.UdpBinds;
import io.wirefx.tun.TunDevice;
import io.wirefx.tun.TunEvent;
import io.wirefx.tun.TunEventListener;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A running WireGuard device: a {@link TunDevice}, a {@link UdpBind} and a core {@link Device}, joined by threads
 * that move batches of packets between them.
 *
 * <h2>Threads (per engine)</h2>
 * <pre>
 *  send (SendPath):     tun-reader ──▶ [crypto workers] ──▶ sender        TUN ▶ route ▶ seal ▶ UDP, in order
 *  receive (ReceivePath): udp-receiver ──▶ [crypto workers] ──▶ deliverer  UDP ▶ open ▶ complete ▶ TUN, in order
 *                         udp-receiver ──▶ handshake                       types 1–3, bounded queue, one thread
 *  timer:               at the next timer deadline (≤ 5 s): setWallClock + Device.tick ▶ UDP
 * </pre>
 * Batches are pooled ({@code pipelineDepth} per direction) and move through bounded queues, so a slow side blocks the
 * stage before it and, finally, the kernel queues (TUN or socket buffer) drop, never the heap. Crypto for a batch is
 * split into chunks that the worker pool and the consuming stage thread share ({@link ParallelJob}); with
 * {@code cryptoThreads(0)} the sender/deliverer threads do it inline.
 *
 * <h2>Time</h2>
 * The engine owns the one clock: {@code System.nanoTime()} is the core's {@code now}; the wall clock is pushed into
 * the device with {@code setWallClock} at start and on every tick.
 *
 * <h2>Configuration</h2>
 * Every setter is thread-safe and may be called before {@link #start()} or while running; peer setters return false
 * for an unknown peer. {@link #applyConfig} applies a whole wg-quick {@link Config} like {@code wg syncconf}.
 */
public final class WireGuardEngine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WireGuardEngine.class.getName());

    public static final int DEFAULT_BATCH_SIZE = 64;
    public static final int DEFAULT_PIPELINE_DEPTH = 4;
    public static final int DEFAULT_HANDSHAKE_QUEUE = 1024;
    /** TUN slots hold at least this much, whatever the MTU (a packet larger than a slot is dropped by the read). */
    static final int MIN_TUN_CAPACITY = 1500;
    /** Receive slots hold at least a jumbo-frame datagram, so peers with a larger MTU than ours still get through. */
    static final int MIN_DATAGRAM_CAPACITY = 9000 + 32;
    /** Transport header before the packet; padding (≤ 15) and tag (16) after it. */
    static final int HEADROOM = 16;
    static final int TAILROOM = 32;
    /** The timer thread never spins, even with test timings scaled to nothing. */
    private static final long MIN_TIMER_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(3);

    private enum State { NEW, RUNNING, CLOSED }

    final Device device;
    final TunDevice tun;
    final Timings timings;
    final int batchSize;
    final int pipelineDepth;
    final int handshakeQueueSize;
    final String threadPrefix;
    final CryptoPool crypto;
    final boolean inlineWhenIdle;
    private final UdpBind.Factory bindFactory;
    private final AtomicLongArray counters = new AtomicLongArray(EngineStats.Counter.values().length);
    private final Object lifecycleLock = new Object();
    private final Object bindLock = new Object();
    private final ControlSender apiSender;
    private final TunEventListener tunListener = this::onTunEvent;
    private final java.util.concurrent.atomic.AtomicBoolean tunGone = new java.util.concurrent.atomic.AtomicBoolean();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    volatile UdpBind bind;
    volatile int mtu;
    private volatile State state = State.NEW;
    private int configuredPort;  // guarded by bindLock
    private int fwmark;          // guarded by bindLock
    private int pinIpv4;         // interface index the UDP sockets are pinned to (0 = none), guarded by bindLock
    private int pinIpv6;         // guarded by bindLock
    private long retiredOversize; // guarded by bindLock: counters of binds already closed
    private long retiredSendErrors;
    SendPath sendPath;       // set by start() (or driveManually)
    ReceivePath receivePath;
    private volatile Thread timerThread;
    private final EndpointReresolver reresolver;

    private WireGuardEngine(Builder b) {
        this.tun = b.tun;
        this.timings = b.timings;
        this.device = new Device(b.random, b.timings);
        this.bindFactory = b.bindFactory;
        this.batchSize = b.batchSize;
        this.pipelineDepth = b.pipelineDepth;
        this.handshakeQueueSize = b.handshakeQueueSize;
        this.threadPrefix = b.threadNamePrefix != null ? b.threadNamePrefix : "wirefx-" + tun.name() + "-";
        this.crypto = new CryptoPool(b.cryptoThreads, threadPrefix);
        this.inlineWhenIdle = b.inlineWhenIdle;
        this.configuredPort = b.listenPort;
        this.mtu = tun.mtu();
        this.device.setMtu(mtu);
        this.apiSender = new ControlSender(this);
        this.reresolver = new EndpointReresolver(this, b.timings);
        if (b.privateKey != null) {
            device.setPrivateKey(b.privateKey);
        }
        long now = now();
        device.setWallClock(wallClockNanos(), now);
    }

    /** Starts building an engine for {@code tun}; the engine owns the TUN device from then on (closes it). */
    public static Builder builder(TunDevice tun) {
        return new Builder(tun);
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Binds the UDP port and starts the threads.
     *
     * @throws java.net.BindException if the listen port is taken
     * @throws IllegalStateException  if already started or closed
     */
    public void start() throws IOException {
        synchronized (lifecycleLock) {
            if (state != State.NEW) {
                throw new IllegalStateException("engine already " + state.name().toLowerCase());
            }
            synchronized (bindLock) {
                UdpBind b = bindFactory.open(configuredPort);
                try {
                    if (fwmark != 0) {
                        b.setFwmark(fwmark);
                    }
                    applyPin(b);
                } catch (IOException e) {
                    b.close();
                    throw e;
                }
                bind = b;
            }
            state = State.RUNNING;
            tun.addListener(tunListener);
            onMtu(tun.mtu());
            sendPath = new SendPath(this);
            receivePath = new ReceivePath(this);
            timerThread = engineThread(threadPrefix + "timer", this::timerLoop);
            crypto.start();
            sendPath.start();
            receivePath.start();
            timerThread.start();
            LOG.log(System.Logger.Level.DEBUG, "engine {0} started on {1} ({2} crypto workers)", tun.name(), bind,
                    crypto.workers());
        }
    }

    /**
     * Completes once the engine has stopped: after {@link #close()}, including the close the engine does by itself
     * when its TUN device goes away (the daemon exits then, like wireguard-go).
     */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    /** True between {@link #start()} and {@link #close()} (or the TUN device going away). */
    public boolean isRunning() {
        return state == State.RUNNING;
    }

    /**
     * Stops the engine: closes the TUN device (waking its reader), closes the bind (waking the receiver), stops every
     * thread and waits a bounded time for them, then wipes the keys. Idempotent; never blocks for long; never throws.
     */
    @Override
    public void close() {
        synchronized (lifecycleLock) {
            if (state == State.CLOSED) {
                return;
            }
            boolean wasRunning = state == State.RUNNING;
            state = State.CLOSED;
            reresolver.close();
            tun.removeListener(tunListener);
            tun.close();
            UdpBind b;
            synchronized (bindLock) {
                b = bind;
            }
            if (b != null) {
                b.close();
            }
            if (wasRunning) {
                List<Thread> threads = new ArrayList<>();
                threads.addAll(sendPath.threads());
                threads.addAll(receivePath.threads());
                threads.add(timerThread);
                threads.addAll(crypto.threads());
                crypto.stop();
                for (Thread t : threads) {
                    if (t != Thread.currentThread()) {
                        t.interrupt();
                    }
                }
                long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
                for (Thread t : threads) {
                    if (t == Thread.currentThread()) {
                        continue;
                    }
                    try {
                        long left = deadline - System.nanoTime();
                        if (left > 0) {
                            t.join(Duration.ofNanos(left));
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                    if (t.isAlive()) {
                        LOG.log(System.Logger.Level.WARNING, "engine thread {0} did not stop in time", t.getName());
                    }
                }
            }
            device.removeAllPeers();
            device.setPrivateKey(null);
        }
        terminated.complete(null);
    }

    /**
     * Gives a never-started engine the bind {@code b} and its two paths, whose threads are never started, and returns
     * the handle that runs them on the caller's thread instead (a JIT trainer's private engines). An engine driven this
     * way is never started, only closed: {@link #close()} still closes the TUN device and the bind.
     *
     * @throws IllegalStateException if the engine was started, closed or already driven manually
     */
    public ManualDrive driveManually(UdpBind b) {
        Objects.requireNonNull(b, "bind");
        synchronized (lifecycleLock) {
            if (state != State.NEW || sendPath != null) {
                throw new IllegalStateException("not a fresh engine");
            }
            synchronized (bindLock) {
                bind = b;
            }
            sendPath = new SendPath(this);
            receivePath = new ReceivePath(this);
        }
        return new ManualDrive(this);
    }

    /**
     * A daemon platform thread for one of the engine's loops. Before its loop it creates its per-thread crypto state:
     * that first use takes branches the packet path never takes again, and compiled code that met them there would
     * trap back to the interpreter on the first packet of every new engine.
     */
    static Thread engineThread(String name, Runnable loop) {
        return Thread.ofPlatform().daemon().name(name).unstarted(() -> {
            ChaChaPoly.forCurrentThread();
            loop.run();
        });
    }

    /** {@link ManualDrive} only: puts a fresh bind in place of the attached one, which is returned (not closed). */
    UdpBind swapBind(UdpBind b) {
        synchronized (bindLock) {
            UdpBind old = bind;
            bind = b;
            return old;
        }
    }

    /** Called by the TUN reader when the device closed underneath us (removed by the OS). */
    void onTunGone() {
        if (state == State.RUNNING && tunGone.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.INFO, "TUN device {0} is gone; stopping the engine", tun.name());
            Thread.ofPlatform().daemon().name(threadPrefix + "closer").start(this::close);
        }
    }

    boolean running() {
        return state == State.RUNNING;
    }

    // ------------------------------------------------------------------ clock

    long now() {
        return System.nanoTime();
    }

    static long wallClockNanos() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /**
     * Runs the device's timers when they are due: it sleeps until {@link Device#nextTick} (the earliest armed
     * deadline, at most five seconds away in the standard timings, or a peer's persistent keepalive interval), so an
     * idle tunnel costs a wake-up every few seconds instead of a polling tick. A new persistent keepalive wakes it
     * ({@link #wakeTimer}).
     */
    private void timerLoop() {
        ControlSender sender = new ControlSender(this);
        while (running()) {
            long wait = Math.max(device.nextTick(now()) - now(), MIN_TIMER_SLEEP_NANOS);
            LockSupport.parkNanos(this, wait);
            if (Thread.interrupted() || !running()) {
                return;
            }
            timerRound(sender);
        }
    }

    /** Makes the timer thread look at the deadlines again (a spurious round is harmless). */
    private void wakeTimer() {
        Thread t = timerThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** One timer round: wall clock, due timers, their datagrams. Also run by {@link ManualDrive}. */
    void timerRound(ControlSender sender) {
        try {
            long now = now();
            device.setWallClock(wallClockNanos(), now);
            sender.send(device.tick(now));
        } catch (RuntimeException e) {
            internalError("timer", e);
        }
    }

    // ------------------------------------------------------------------ UDP plumbing

    /** Sends a batch through the current bind; retries once on a bind that a rebind just replaced. */
    void sendBatch(DatagramBatch batch) {
        UdpBind b = bind;
        for (int attempt = 0; attempt < 2; attempt++) {
            if (b == null) {
                break;
            }
            try {
                int n = b.send(batch);
                count(EngineStats.Counter.DATAGRAMS_SENT, n);
                return;
            } catch (ClosedChannelException e) {
                UdpBind now = bind;
                if (now == b) {
                    break;
                }
                b = now;
            } catch (IOException | RuntimeException e) {
                internalError("send", e);
                break;
            }
        }
        int pending = 0;
        for (int i = 0; i < batch.count(); i++) {
            if (batch.endpoint(i) != null) {
                pending++;
            }
        }
        count(EngineStats.Counter.SEND_ERRORS, pending);
    }

    /** Sends datagrams from an API thread (configuration calls). */
    private void sendFromApi(List<Datagram> datagrams) {
        if (datagrams.isEmpty() || !running()) {
            return;
        }
        synchronized (apiSender) {
            apiSender.send(datagrams);
        }
    }

    // ------------------------------------------------------------------ counters

    long counter(EngineStats.Counter c) {
        return counters.get(c.ordinal());
    }

    void count(EngineStats.Counter c) {
        counters.incrementAndGet(c.ordinal());
    }

    void count(EngineStats.Counter c, long n) {
        if (n != 0) {
            counters.addAndGet(c.ordinal(), n);
        }
    }

    void internalError(String where, Throwable t) {
        count(EngineStats.Counter.INTERNAL_ERRORS);
        LOG.log(System.Logger.Level.WARNING, "engine " + tun.name() + ": unexpected failure in " + where, t);
    }

    /** The engine's counters and the device's drop counters. */
    public EngineStats stats() {
        Map<EngineStats.Counter, Long> m = new EnumMap<>(EngineStats.Counter.class);
        for (EngineStats.Counter c : EngineStats.Counter.values()) {
            m.put(c, counters.get(c.ordinal()));
        }
        synchronized (bindLock) {
            long oversize = retiredOversize;
            long sendErrors = retiredSendErrors;
            UdpBind b = bind;
            if (b != null) {
                UdpBind.Stats s = b.stats();
                oversize += s.oversizeDrops();
                sendErrors += s.sendErrors();
            }
            m.merge(EngineStats.Counter.OVERSIZE_DROPS, oversize, Long::sum);
            m.merge(EngineStats.Counter.SEND_ERRORS, sendErrors, Long::sum);
        }
        Map<DropReason, Long> drops = EngineStats.emptyDrops();
        for (DropReason r : DropReason.values()) {
            drops.put(r, device.dropCount(r));
        }
        return new EngineStats(m, drops);
    }

    // ------------------------------------------------------------------ MTU

    private void onTunEvent(TunDevice d, TunEvent e) {
        switch (e) {
            case TunEvent.MtuChanged m -> onMtu(m.newMtu());
            case TunEvent.DeviceRemoved r -> onTunGone();
            case TunEvent.LinkStateChanged l -> {
                // wireguard-go takes the device down with the link; we keep serving (the OS drops traffic anyway)
            }
        }
    }

    private void onMtu(int newMtu) {
        mtu = newMtu;
        device.setMtu(newMtu);
    }

    /** Slot size for TUN reads at the current MTU. */
    int tunCapacity() {
        return Math.max(mtu, MIN_TUN_CAPACITY);
    }

    /** Slot size for UDP receives at the current MTU. */
    int datagramCapacity() {
        return Math.max(mtu + TAILROOM, MIN_DATAGRAM_CAPACITY);
    }

    /** The MTU used for padding (the TUN device's). */
    public int mtu() {
        return mtu;
    }

    /** Sets the TUN device's MTU (and the padding the device uses). */
    public void setMtu(int newMtu) throws IOException {
        tun.setMtu(newMtu);
        onMtu(newMtu);
    }

    // ------------------------------------------------------------------ device configuration

    /** The core device (peers, counters, allowed IPs); for reading state and advanced use. */
    public Device device() {
        return device;
    }

    public TunDevice tun() {
        return tun;
    }

    /** The current bind, or null before {@link #start()}. */
    public UdpBind bind() {
        return bind;
    }

    /** Sets (or with null removes) the private key. */
    public void setPrivateKey(Key privateKey) {
        device.setPrivateKey(privateKey);
    }

    public Optional<Key> publicKey() {
        return Optional.ofNullable(device.publicKey());
    }

    /**
     * Sets the listen port (0 = any free port). Before {@link #start()} it is only remembered; while running, the
     * engine opens a bind on the new port, moves to it and closes the old one (a failed bind leaves the old one in
     * place). Setting the port that is bound already does nothing.
     *
     * @return the port actually bound (or the configured one before start)
     * @throws java.net.BindException if the port is taken
     */
    public int setListenPort(int port) throws IOException {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        synchronized (bindLock) {
            UdpBind old = bind;
            if (old == null || !running()) {
                configuredPort = port;
                return port;
            }
            if (old.localPort() == port) {
                configuredPort = port;
                return port;
            }
            UdpBind nb = bindFactory.open(port);
            try {
                if (fwmark != 0) {
                    nb.setFwmark(fwmark);
                }
                applyPin(nb);
            } catch (IOException e) {
                nb.close();
                throw e;
            }
            configuredPort = port;
            bind = nb;
            UdpBind.Stats s = old.stats();
            retiredOversize += s.oversizeDrops();
            retiredSendErrors += s.sendErrors();
            old.close();
            LOG.log(System.Logger.Level.DEBUG, "engine {0} rebound to {1}", tun.name(), nb);
            return nb.localPort();
        }
    }

    /** The UDP port actually bound; before start, the configured one. */
    public int listenPort() {
        synchronized (bindLock) {
            UdpBind b = bind;
            return b != null && running() ? b.localPort() : configuredPort;
        }
    }

    /**
     * Sets the firewall mark on the UDP sockets (0 = none), kept across rebinds.
     *
     * @throws java.net.SocketException if the bind cannot set it (portable bind; no CAP_NET_ADMIN)
     */
    public void setFwmark(int mark) throws IOException {
        synchronized (bindLock) {
            UdpBind b = bind;
            if (b != null && running()) {
                b.setFwmark(mark);
            }
            fwmark = mark;
        }
    }

    /**
     * Pins the UDP sockets' outgoing datagrams to an interface per family (Windows full tunnel: the physical default
     * interface), kept across rebinds; 0 leaves that family as it is.
     *
     * @throws java.net.SocketException where the bind cannot pin ({@link UdpBind#bindToInterface})
     */
    public void bindToInterface(int ipv4IfIndex, int ipv6IfIndex) throws IOException {
        synchronized (bindLock) {
            UdpBind b = bind;
            if (b != null && running()) {
                b.bindToInterface(ipv4IfIndex, ipv6IfIndex);
            }
            if (ipv4IfIndex != 0) {
                pinIpv4 = ipv4IfIndex;
            }
            if (ipv6IfIndex != 0) {
                pinIpv6 = ipv6IfIndex;
            }
        }
    }

    private void applyPin(UdpBind b) throws IOException { // holds bindLock
        if (pinIpv4 != 0 || pinIpv6 != 0) {
            b.bindToInterface(pinIpv4, pinIpv6);
        }
    }

    public int fwmark() {
        synchronized (bindLock) {
            return fwmark;
        }
    }

    /** Adds a peer (or returns the existing one); null for our own public key, which is ignored. */
    public Peer addPeer(Key publicKey) {
        return device.addPeer(publicKey);
    }

    public Optional<Peer> peer(Key publicKey) {
        return Optional.ofNullable(device.peer(publicKey));
    }

    public Collection<Peer> peers() {
        return device.peers();
    }

    public boolean removePeer(Key publicKey) {
        return device.removePeer(publicKey);
    }

    public void removeAllPeers() {
        device.removeAllPeers();
    }

    /** Sets (or with null removes) a peer's preshared key. */
    public boolean setPresharedKey(Key peer, Key presharedKey) {
        Peer p = device.peer(peer);
        if (p == null) {
            return false;
        }
        p.setPresharedKey(presharedKey);
        return true;
    }

    public boolean setEndpoint(Key peer, InetSocketAddress endpoint) {
        Peer p = device.peer(peer);
        if (p == null) {
            return false;
        }
        p.setEndpoint(endpoint);
        return true;
    }

    /** Sets the persistent keepalive (0 = off); switching it on sends a keepalive at once, as wireguard-go does. */
    public boolean setPersistentKeepalive(Key peer, int seconds) {
        if (seconds < 0 || seconds > 0xffff) {
            throw new IllegalArgumentException("keepalive out of range: " + seconds);
        }
        Peer p = device.peer(peer);
        if (p == null) {
            return false;
        }
        sendFromApi(p.setPersistentKeepalive(seconds, now()));
        wakeTimer();
        return true;
    }

    /** Sends one keepalive to the peer now (if it has persistent keepalive on and an endpoint). */
    boolean sendKeepaliveNow(Key peer) {
        Peer p = device.peer(peer);
        if (p == null) {
            return false;
        }
        List<Datagram> out;
        synchronized (p) { // the core peer's own monitor: the off/on pair is atomic for other config calls
            int s = p.persistentKeepalive();
            if (s == 0) {
                return false;
            }
            long now = now();
            p.setPersistentKeepalive(0, now);
            out = p.setPersistentKeepalive(s, now); // off → on makes the keepalive
        }
        sendFromApi(out); // outside the peer's lock
        return true;
    }

    /** Routes {@code prefix} to the peer (moving it from another peer if needed). */
    public boolean addAllowedIp(Key peer, IpPrefix prefix) {
        Peer p = device.peer(peer);
        if (p == null) {
            return false;
        }
        device.allowedIps().insert(prefix, p);
        return true;
    }

    /** Removes {@code prefix} if the peer holds it. */
    public boolean removeAllowedIp(Key peer, IpPrefix prefix) {
        Peer p = device.peer(peer);
        return p != null && device.allowedIps().remove(prefix, p);
    }

    public boolean clearAllowedIps(Key peer) {
        Peer p = device.peer(peer);
        if (p == null) {
            return false;
        }
        device.allowedIps().removeByPeer(p);
        return true;
    }

    /** Makes the peer's prefixes exactly {@code prefixes}, without a moment where kept prefixes are unrouted. */
    public boolean replaceAllowedIps(Key peer, Collection<IpPrefix> prefixes) {
        Peer p = device.peer(peer);
        if (p == null) {
            return false;
        }
        Set<IpPrefix> wanted = new LinkedHashSet<>();
        for (IpPrefix x : prefixes) {
            wanted.add(x.masked());
        }
        for (IpPrefix old : device.allowedIps().prefixesOf(p)) {
            if (!wanted.contains(old)) {
                device.allowedIps().remove(old, p);
            }
        }
        for (IpPrefix x : wanted) {
            device.allowedIps().insert(x, p);
        }
        return true;
    }

    /** The peer's prefixes (masked), empty for an unknown peer. */
    public List<IpPrefix> allowedIps(Key peer) {
        Peer p = device.peer(peer);
        return p == null ? List.of() : device.allowedIps().prefixesOf(p);
    }

    /**
     * Applies a whole configuration like {@code wg syncconf}: the private key, the listen port (if given; otherwise
     * the current binding stays), the fwmark (absent = 0), the MTU (if given), and the peers: peers not in the config
     * are removed, the others keep their sessions and get their preshared key, endpoint (if given; otherwise the
     * current one stays), persistent keepalive and allowed IPs replaced. Endpoint host names are resolved here, before
     * anything changes, and again by {@link EndpointReresolver} when their peer stays silent.
     *
     * @throws java.net.UnknownHostException if an endpoint host name does not resolve (nothing is changed)
     * @throws IOException                   if the port cannot be bound, the fwmark or MTU cannot be set
     */
    public void applyConfig(Config config) throws IOException {
        Objects.requireNonNull(config, "config");
        Map<Key, InetSocketAddress> endpoints = new HashMap<>();
        Map<Key, InetEndpoint> named = new HashMap<>();
        for (io.wirefx.core.config.PeerConfig pc : config.peers()) {
            if (pc.endpoint().isPresent()) {
                endpoints.put(pc.publicKey(), EndpointReresolver.resolve(pc.endpoint().get()));
                named.put(pc.publicKey(), pc.endpoint().get());
            }
        }
        Interface iface = config.iface();
        setPrivateKey(iface.privateKey());
        if (iface.listenPort().isPresent()) {
            setListenPort(iface.listenPort().getAsInt());
        }
        setFwmark((int) iface.fwMark().orElse(0));
        if (iface.mtu().isPresent() && iface.mtu().getAsInt() != mtu) {
            setMtu(iface.mtu().getAsInt());
        }
        Set<Key> keep = new HashSet<>();
        for (io.wirefx.core.config.PeerConfig pc : config.peers()) {
            keep.add(pc.publicKey());
        }
        for (Peer p : device.peers()) {
            if (!keep.contains(p.publicKey())) {
                device.removePeer(p.publicKey());
            }
        }
        for (io.wirefx.core.config.PeerConfig pc : config.peers()) {
            Key k = pc.publicKey();
            if (addPeer(k) == null) {
                continue; // our own key
            }
            setPresharedKey(k, pc.presharedKey().orElse(null));
            InetSocketAddress ep = endpoints.get(k);
            if (ep != null) {
                setEndpoint(k, ep);
            }
            replaceAllowedIps(k, pc.allowedIps());
            setPersistentKeepalive(k, pc.persistentKeepalive().orElse(0));
        }
        reresolver.watch(named);
    }

    @Override
    public String toString() {
        return "WireGuardEngine[" + tun.name() + ", " + state.name().toLowerCase() + ", " + bind + "]";
    }

    // ------------------------------------------------------------------ builder

    /** Builds a {@link WireGuardEngine}. Only {@code tun} is required. */
    public static final class Builder {
        private final TunDevice tun;
        private Random random;
        private Timings timings = Timings.STANDARD;
        private UdpBind.Factory bindFactory = UdpBinds.defaultFactory();
        private int cryptoThreads = defaultCryptoThreads();
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int pipelineDepth = DEFAULT_PIPELINE_DEPTH;
        private int handshakeQueueSize = DEFAULT_HANDSHAKE_QUEUE;
        private int listenPort;
        private Key privateKey;
        private String threadNamePrefix;
        private boolean inlineWhenIdle = true;

        private Builder(TunDevice tun) {
            this.tun = Objects.requireNonNull(tun, "tun");
        }

        /** Randomness for keys, indices and jitter; a {@link SecureRandom} by default. */
        public Builder random(Random random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Protocol timings; {@link Timings#STANDARD} by default. Tests pass {@code Timings.STANDARD.scaled(f)} to
         * make rekeys happen in seconds; production code never should (it is not reachable from configuration).
         */
        public Builder timings(Timings timings) {
            this.timings = Objects.requireNonNull(timings, "timings");
            return this;
        }

        /** How UDP binds are opened (at start and on each listen-port change); {@link UdpBinds#open} by default. */
        public Builder bindFactory(UdpBind.Factory factory) {
            this.bindFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Crypto worker threads that help the sender and deliverer threads; 0 = those threads do the crypto inline.
         * Default: {@link #defaultCryptoThreads()}.
         */
        public Builder cryptoThreads(int n) {
            if (n < 0 || n > 254) {
                throw new IllegalArgumentException("cryptoThreads must be 0..254: " + n);
            }
            this.cryptoThreads = n;
            return this;
        }

        /**
         * When the sender (deliverer) thread is idle and a batch is small (≤ 16 packets: light traffic, pings, ACK
         * streams), let the TUN reader (UDP receiver) finish it itself instead of handing it over: no wake-up, no cache
         * transfer, same order. Big batches (load) still go through the pipeline so that stages overlap. Default true.
         */
        public Builder inlineWhenIdle(boolean inline) {
            this.inlineWhenIdle = inline;
            return this;
        }

        /** Packets per TUN read / UDP receive batch (default 64). */
        public Builder batchSize(int n) {
            if (n < 1 || n > 1024) {
                throw new IllegalArgumentException("batchSize must be 1..1024: " + n);
            }
            this.batchSize = n;
            return this;
        }

        /** Batches in flight per direction (default 4): bounds memory and queueing delay. */
        public Builder pipelineDepth(int n) {
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("pipelineDepth must be 1..64: " + n);
            }
            this.pipelineDepth = n;
            return this;
        }

        /** Capacity of the handshake queue (default 1024, as wireguard-go); fuller = drop + count. */
        public Builder handshakeQueueSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("handshakeQueueSize must be >= 1: " + n);
            }
            this.handshakeQueueSize = n;
            return this;
        }

        /** Initial listen port (0 = any free port, the default). */
        public Builder listenPort(int port) {
            if (port < 0 || port > 0xffff) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.listenPort = port;
            return this;
        }

        /** Initial private key. */
        public Builder privateKey(Key key) {
            this.privateKey = key;
            return this;
        }

        /** Prefix of thread names (default {@code wirefx-<tun name>-}). */
        public Builder threadNamePrefix(String prefix) {
            this.threadNamePrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        public WireGuardEngine build() {
            if (random == null) {
                random = new SecureRandom();
            }
            return new WireGuardEngine(this);
        }

        /**
         * The default number of crypto workers: one per available processor (as wireguard-go). Measured on 2 cores
         * (two engines in one JVM, {@code EngineThroughputMain}): 0 workers ≈ 0.8 Gbit/s, 1 ≈ 0.95, 2 ≈ 1.0–1.3, 3–4
         * no better; the workers fill the time the stage threads spend in system calls.
         */
        public static int defaultCryptoThreads() {
            return Math.min(254, Runtime.getRuntime().availableProcessors());
        }
    }
}
