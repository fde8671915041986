package io.wirefx.core.device;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.crypto.KeyPair;
import io.wirefx.core.message.MessageType;
import io.wirefx.core.message.TransportHeader;
import io.wirefx.core.noise.CookieChecker;
import io.wirefx.core.noise.Noise;
import io.wirefx.core.routing.AllowedIps;
import io.wirefx.core.timers.Timings;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A WireGuard device without I/O: one static identity, many peers, cryptokey routing. The three verbs take bytes
 * and a monotonic {@code now} (nanoseconds) and return what to do:
 * <ul>
 *   <li>{@link #encapsulate}: an IP packet from the TUN side → datagrams to send (or staged, or dropped);</li>
 *   <li>{@link #decapsulate}: a UDP payload from the network → a packet for the TUN side and/or datagrams;</li>
 *   <li>{@link #tick}: timers → datagrams.</li>
 * </ul>
 * The engine's batch path uses the same code split in steps, so that a batch can be sealed and opened in parallel:
 * {@link Peer#sendSession} → {@link #reserveCounter} (in order) → {@link #sealTransport} (parallel) →
 * {@link Peer#afterSend}; and {@link #openTransport} (parallel) → {@link #completeTransport} (in order). The simple
 * verbs are these steps run one after the other; counters, expiry, replay and rekey rules live only here and in
 * {@link Peer}.
 *
 * <p>Nothing here reads a clock, opens a socket or starts a thread. The wall clock (for TAI64N timestamps and the
 * "latest handshake" shown to users) is given as an offset with {@link #setWallClock}.
 *
 * <p>Thread-safety: the verbs may be called from many threads. Handshake processing is serialized on the device;
 * per-peer state on the peer; transport decryption runs outside any lock.
 */
public final class Device {
    /** Handshakes queued at or above this make the device "under load" (wireguard-go: 1/8 of 1024). */
    public static final int UNDER_LOAD_QUEUE_LENGTH = 128;
    private static final long UNDER_LOAD_AFTER = 1_000_000_000L;

    record Identity(byte[] privateKey, byte[] publicKey, Key publicKeyObject) {
    }

    private final Random random;
    private final Timings timings;
    private final IndexTable indexTable;
    private final AllowedIps<Peer> allowedIps = new AllowedIps<>();
    private final Map<Key, Peer> peers = new ConcurrentHashMap<>();
    private final RateLimiter rateLimiter = new RateLimiter();
    private final AtomicLongArray drops = new AtomicLongArray(DropReason.values().length);

    private volatile Identity identity;
    private volatile CookieChecker cookieChecker;
    private volatile int mtu = 1420;
    private volatile long wallClockOffset;
    private boolean underLoadSeen;
    private long underLoadUntil;

    /**
     * @param random  the source of ephemeral keys, indices, jitter and cookie secrets: a {@link java.security.SecureRandom}
     *                in production, a seeded one in tests
     * @param timings {@link Timings#STANDARD} in production
     */
    public Device(Random random, Timings timings) {
        this.random = random;
        this.timings = timings;
        this.indexTable = new IndexTable(random);
    }

    // ---------------------------------------------------------------- configuration

    /**
     * Sets (or with null clears) the static private key. A new key recomputes every peer's static-static DH and
     * expires every peer's sessions for sending and resets its handshake rate limit (see
     * {@link Peer#expireCurrentKeypairs}), as the kernel does: the next packet to a peer starts a handshake under the
     * new identity instead of going on under the old one. Setting the key already set changes nothing.
     */
    public synchronized void setPrivateKey(Key privateKey) {
        if (privateKey == null || privateKey.isZero()) {
            identity = null;
            cookieChecker = null;
            for (Peer p : peers.values()) {
                p.updateStaticStatic(null);
                p.expireCurrentKeypairs();
            }
            return;
        }
        KeyPair kp = KeyPair.fromPrivate(privateKey);
        byte[] priv = kp.privateKey().bytes();
        byte[] pub = kp.publicKey().bytes();
        Identity old = identity;
        if (old != null && java.security.MessageDigest.isEqual(old.privateKey, priv)) {
            return;
        }
        identity = new Identity(priv, pub, kp.publicKey());
        cookieChecker = new CookieChecker(pub);
        // A peer with our own public key would be talking to itself: wireguard-go drops it.
        Peer self = peers.remove(kp.publicKey());
        if (self != null) {
            removePeerLocked(self);
        }
        for (Peer p : peers.values()) {
            p.updateStaticStatic(priv);
            p.expireCurrentKeypairs();
        }
    }

    /** Our public key, or null when no private key is set. */
    public Key publicKey() {
        Identity id = identity;
        return id == null ? null : id.publicKeyObject();
    }

    /** The private key (for UAPI get by an authorized caller), or null. */
    public Key privateKey() {
        Identity id = identity;
        return id == null ? null : Key.fromBytes(id.privateKey());
    }

    public void setMtu(int mtu) {
        this.mtu = mtu;
    }

    public int mtu() {
        return mtu;
    }

    /** Declares how {@code now} relates to the wall clock: {@code epochNanos} is the wall time at {@code now}. */
    public void setWallClock(long epochNanos, long now) {
        this.wallClockOffset = epochNanos - now;
    }

    long epochNanos(long now) {
        return now + wallClockOffset;
    }

    public Timings timings() {
        return timings;
    }

    /** Adds a peer (or returns the existing one). Returns null for our own public key, which is ignored. */
    public synchronized Peer addPeer(Key publicKey) {
        Identity id = identity;
        if (id != null && id.publicKeyObject().equals(publicKey)) {
            return null;
        }
        Peer existing = peers.get(publicKey);
        if (existing != null) {
            return existing;
        }
        Peer p = new Peer(this, Key.fromBytes(publicKey.bytes()), timings);
        p.updateStaticStatic(id == null ? null : id.privateKey());
        peers.put(p.publicKey(), p);
        return p;
    }

    public Peer peer(Key publicKey) {
        return peers.get(publicKey);
    }

    public Collection<Peer> peers() {
        return List.copyOf(peers.values());
    }

    public synchronized boolean removePeer(Key publicKey) {
        Peer p = peers.remove(publicKey);
        if (p == null) {
            return false;
        }
        removePeerLocked(p);
        return true;
    }

    public synchronized void removeAllPeers() {
        for (Peer p : List.copyOf(peers.values())) {
            peers.remove(p.publicKey());
            removePeerLocked(p);
        }
    }

    private void removePeerLocked(Peer p) {
        allowedIps.removeByPeer(p);
        p.remove();
    }

    /** The cryptokey routing table (prefix → peer). */
    public AllowedIps<Peer> allowedIps() {
        return allowedIps;
    }

    // ---------------------------------------------------------------- load

    /** The engine reports its handshake queue length; at ≥ 128 the device is under load for the next second. */
    public synchronized void reportHandshakeBacklog(int queued, long now) {
        if (queued >= UNDER_LOAD_QUEUE_LENGTH) {
            underLoadSeen = true;
            underLoadUntil = now + UNDER_LOAD_AFTER;
        }
    }

    private boolean underLoad(long now) {
        return underLoadSeen && now - underLoadUntil < 0;
    }

    // ---------------------------------------------------------------- the three verbs

    /** An IP packet from the TUN device: route it by destination and send or stage it. Never throws. */
    public TunnelResult encapsulate(byte[] packet, int off, int len, long now) {
        try {
            Peer peer = allowedIps.lookupDestination(packet, off, len);
            if (peer == null) {
                return drop(DropReason.NO_ROUTE);
            }
            if (identity == null) {
                return drop(DropReason.NO_PRIVATE_KEY);
            }
            return TunnelResult.sendOrDone(peer.send(packet, off, len, now));
        } catch (RuntimeException e) {
            return drop(DropReason.INTERNAL_ERROR);
        }
    }

    public TunnelResult encapsulate(byte[] packet, long now) {
        return encapsulate(packet, 0, packet.length, now);
    }

    /**
     * A UDP payload from {@code from}. Transport messages are decrypted in place: a {@link TunnelResult.Deliver}
     * points into {@code datagram}. Never throws.
     */
    public TunnelResult decapsulate(byte[] datagram, int off, int len, InetSocketAddress from, long now) {
        try {
            return switch (MessageType.typeOf(datagram, off, len)) {
                case 1 -> handshake(datagram, off, len, from, now, true);
                case 2 -> handshake(datagram, off, len, from, now, false);
                case 3 -> cookieReply(datagram, off, now);
                case 4 -> transport(datagram, off, len, from, now);
                default -> drop(DropReason.MALFORMED);
            };
        } catch (RuntimeException e) {
            return drop(DropReason.INTERNAL_ERROR);
        }
    }

    public TunnelResult decapsulate(byte[] datagram, InetSocketAddress from, long now) {
        return decapsulate(datagram, 0, datagram.length, from, now);
    }

    /**
     * When {@link #tick} should run next: the earliest armed timer of any peer, but no later than the shortest delay
     * at which a packet may arm a timer meanwhile ({@link Timings#shortestTimer()}, or a peer's shorter persistent
     * keepalive). The rate limiter's table is purged on ticks as well. A caller that sleeps until then must also wake
     * when a persistent keepalive is shortened.
     */
    public long nextTick(long now) {
        long horizon = timings.shortestTimer();
        long next = Long.MAX_VALUE;
        boolean any = false;
        for (Peer p : peers.values()) {
            int keepalive = p.persistentKeepalive();
            if (keepalive > 0) {
                horizon = Math.min(horizon, keepalive * 1_000_000_000L);
            }
            java.util.OptionalLong d = p.nextTimerDeadline();
            if (d.isPresent() && (!any || d.getAsLong() - next < 0)) {
                next = d.getAsLong();
                any = true;
            }
        }
        return any && next - (now + horizon) < 0 ? next : now + horizon;
    }

    /** Runs every peer's due timers; returns what to send. Never throws. */
    public List<Datagram> tick(long now) {
        List<Datagram> out = new ArrayList<>();
        for (Peer p : peers.values()) {
            try {
                out.addAll(p.tick(now));
            } catch (RuntimeException e) {
                count(DropReason.INTERNAL_ERROR);
            }
        }
        synchronized (this) {
            rateLimiter.purge(now);
        }
        return out;
    }

    // ---------------------------------------------------------------- receive paths

    private TunnelResult handshake(byte[] msg, int off, int len, InetSocketAddress from, long now, boolean initiation) {
        Identity id = identity;
        CookieChecker checker = cookieChecker;
        if (id == null || checker == null) {
            return drop(DropReason.NO_PRIVATE_KEY);
        }
        if (!checker.checkMac1(msg, off, len)) {
            return drop(DropReason.BAD_MAC1);
        }
        synchronized (this) {
            if (underLoad(now)) {
                if (!checker.checkMac2(msg, off, len, from, now)) {
                    count(DropReason.COOKIE_REQUIRED);
                    byte[] reply = checker.createReply(msg, off, len, from, now, random);
                    return new TunnelResult.Send(List.of(new Datagram(from, reply)));
                }
                if (!rateLimiter.allow(from.getAddress(), now)) {
                    return drop(DropReason.RATE_LIMITED);
                }
            }
        }
        if (initiation) {
            Noise.ConsumedInitiation ci = Noise.consumeInitiationStatic(id.privateKey(), id.publicKey(), msg, off);
            if (ci == null) {
                return drop(DropReason.HANDSHAKE_DECRYPTION_FAILED);
            }
            Peer peer = peers.get(Key.fromBytes(ci.remoteStatic()));
            if (peer == null) {
                ci.wipe();
                return drop(DropReason.UNKNOWN_PEER);
            }
            return peer.consumeInitiation(ci, msg, off, from, now);
        }
        int receiver = Noise.receiverIndex(msg, off);
        if (!(indexTable.get(receiver) instanceof Peer peer)) {
            return drop(DropReason.UNEXPECTED_RESPONSE);
        }
        return peer.consumeResponse(receiver, msg, off, from, now);
    }

    private TunnelResult cookieReply(byte[] msg, int off, long now) {
        Object owner = indexTable.get(Noise.receiverIndex(msg, off));
        Peer peer = owner instanceof Peer p ? p : owner instanceof Keypair kp ? kp.peer() : null;
        if (peer == null) {
            return drop(DropReason.UNKNOWN_RECEIVER_INDEX);
        }
        return peer.consumeCookieReply(msg, off, now) ? TunnelResult.Done.NOTHING : drop(DropReason.BAD_COOKIE_REPLY);
    }

    // ---------------------------------------------------------------- transport (the batch path)

    /**
     * Sending, step 2 (in packet order, one thread per peer): reserves the next counter on a session from
     * {@link Peer#sendSession}. Returns -1 when the session may not send any more (REJECT_AFTER_MESSAGES): this
     * packet and the peer's later ones then go through {@link #encapsulate}, which starts a handshake.
     */
    public long reserveCounter(Keypair session) {
        return session.nextCounter();
    }

    /**
     * Sending, step 3 (any thread, in parallel): seals a packet in place. The IP packet is at
     * {@code buf[off+16, off+16+len)}; it is zero-padded for {@code mtu}, encrypted with {@code counter} (from
     * {@link #reserveCounter}) and the transport header written at {@code off}. The buffer needs
     * {@link #sealedLength} bytes from {@code off}. Returns the datagram length, or -1 when the session was destroyed
     * meanwhile (drop the packet). Report the batch with {@link Peer#afterSend}.
     */
    public int sealTransport(Keypair session, long counter, byte[] buf, int off, int len, int mtu) {
        return session.seal(counter, buf, off, len, TransportHeader.paddedLength(len, mtu));
    }

    /** The length of the transport message that carries an IP packet of {@code len} bytes at {@code mtu}. */
    public static int sealedLength(int len, int mtu) {
        return Keypair.HEADER + TransportHeader.paddedLength(len, mtu) + Keypair.TAG;
    }

    private static final Opening.Dropped[] DROPPED = new Opening.Dropped[DropReason.values().length];

    static {
        for (DropReason r : DropReason.values()) {
            DROPPED[r.ordinal()] = new Opening.Dropped(r);
        }
    }

    private Opening dropOpening(DropReason reason) {
        count(reason);
        return DROPPED[reason.ordinal()];
    }

    /**
     * Receiving, phase 1 (any thread, in parallel): finds the session of a transport message, checks its age and
     * decrypts in place (the plaintext lands at {@code buf[off+16, ...)}). Call {@link #completeTransport} with an
     * {@link Opening.Opened} next, in arrival order per peer. Never throws.
     */
    public Opening openTransport(byte[] buf, int off, int len, long now) {
        try {
            if (MessageType.typeOf(buf, off, len) != MessageType.TRANSPORT) {
                return dropOpening(DropReason.MALFORMED);
            }
            if (!(indexTable.get(TransportHeader.receiver(buf, off)) instanceof Keypair kp)) {
                return dropOpening(DropReason.UNKNOWN_RECEIVER_INDEX);
            }
            if (now - kp.created() >= timings.rejectAfterTime()) {
                return dropOpening(DropReason.KEYPAIR_EXPIRED);
            }
            int n = kp.open(buf, off, len);
            if (n < 0) {
                return dropOpening(DropReason.DECRYPTION_FAILED);
            }
            return new Opening.Opened(kp, n);
        } catch (RuntimeException e) {
            return dropOpening(DropReason.INTERNAL_ERROR);
        }
    }

    /**
     * Receiving, phase 2 (serialized per peer, in arrival order): replay check, key rotation, roaming, timers,
     * inner-packet and source-address checks. {@code buf[off, off+len)} is the datagram {@code opened} came from;
     * the counter is read back from its (still intact) header. Never throws.
     */
    public TunnelResult completeTransport(Opening.Opened opened, byte[] buf, int off, int len,
                                          InetSocketAddress from, long now) {
        try {
            Keypair kp = opened.session();
            long counter = TransportHeader.counter(buf, off);
            return kp.peer().receivedTransport(kp, counter, len, buf, off + Keypair.HEADER, opened.plainLength(), from, now);
        } catch (RuntimeException e) {
            return drop(DropReason.INTERNAL_ERROR);
        }
    }

    private TunnelResult transport(byte[] buf, int off, int len, InetSocketAddress from, long now) {
        return switch (openTransport(buf, off, len, now)) {
            case Opening.Opened o -> completeTransport(o, buf, off, len, from, now);
            case Opening.Dropped d -> new TunnelResult.Drop(d.reason());
        };
    }

    // ---------------------------------------------------------------- counters

    TunnelResult drop(DropReason reason) {
        count(reason);
        return new TunnelResult.Drop(reason);
    }

    void count(DropReason reason) {
        drops.incrementAndGet(reason.ordinal());
    }

    /** How many packets were dropped for {@code reason} since the device was made. */
    public long dropCount(DropReason reason) {
        return drops.get(reason.ordinal());
    }

    Identity identity() {
        return identity;
    }

    Random random() {
        return random;
    }

    IndexTable indexTable() {
        return indexTable;
    }
}
