package io.wirefx.core.device;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.crypto.Tai64n;
import io.wirefx.core.crypto.X25519;
import io.wirefx.core.noise.CookieGenerator;
import io.wirefx.core.noise.Noise;
import io.wirefx.core.timers.PeerTimers;
import io.wirefx.core.timers.Timings;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One remote peer of a {@link Device}: its handshake, keypair slots (previous/current/next), staged packets, timers,
 * endpoint and counters. Control state is guarded by the peer's monitor; the fast path only reads the volatile
 * {@code current} keypair.
 *
 * <p>The code is laid out in flow order: sending (staged packets, handshake initiation), then receiving (initiation,
 * response, transport), then timers.
 */
public final class Peer {
    public static final int MAX_STAGED = 128;

    private final Device device;
    private final Key publicKey;
    private final byte[] publicKeyBytes;
    private final CookieGenerator cookies;
    private final PeerTimers timers;

    private byte[] presharedKey = new byte[32];
    private byte[] staticStatic; // DH(our static, their static), null when ours is unset or the result is zero
    private volatile InetSocketAddress endpoint;

    // Handshake state (reference §2.3–2.6).
    private enum HandshakeState { NONE, INITIATION_CREATED }

    private HandshakeState handshakeState = HandshakeState.NONE;
    private final Noise.InitiatorState initiator = new Noise.InitiatorState();
    private int handshakeIndex; // our index for the pending initiation, 0 when none
    private byte[] lastTimestamp;
    private boolean initiationConsumed;
    private long lastInitiationConsumed;
    private boolean sentHandshake;
    private long lastSentHandshake;
    private boolean sentLastMinuteHandshake;

    // Keypair slots (reference §4.3).
    private Keypair previous;
    private volatile Keypair current;
    private Keypair next;

    private final ArrayDeque<byte[]> staged = new ArrayDeque<>();

    private final AtomicLong rxBytes = new AtomicLong();
    private final AtomicLong txBytes = new AtomicLong();
    private volatile long lastHandshakeEpochNanos; // 0 = never
    private volatile boolean removed;

    Peer(Device device, Key publicKey, Timings timings) {
        this.device = device;
        this.publicKey = publicKey;
        this.publicKeyBytes = publicKey.bytes();
        this.cookies = new CookieGenerator(publicKeyBytes);
        this.timers = new PeerTimers(timings);
    }

    // ---------------------------------------------------------------- configuration

    public Key publicKey() {
        return publicKey;
    }

    public InetSocketAddress endpoint() {
        return endpoint;
    }

    public void setEndpoint(InetSocketAddress endpoint) {
        this.endpoint = endpoint;
    }

    public synchronized void setPresharedKey(Key psk) {
        Arrays.fill(presharedKey, (byte) 0);
        presharedKey = psk == null ? new byte[32] : psk.bytes();
    }

    public synchronized boolean hasPresharedKey() {
        return !isZero(presharedKey);
    }

    public synchronized Key presharedKey() {
        return isZero(presharedKey) ? null : Key.fromBytes(presharedKey);
    }

    /** Sets the persistent keepalive; turning it on from 0 sends a keepalive at once (returned). */
    public synchronized List<Datagram> setPersistentKeepalive(int seconds, long now) {
        int old = timers.persistentKeepalive();
        timers.setPersistentKeepalive(seconds);
        if (old == 0 && seconds > 0 && endpoint != null && !removed) {
            return sendKeepalive(now);
        }
        return List.of();
    }

    public synchronized int persistentKeepalive() {
        return timers.persistentKeepalive();
    }

    public long rxBytes() {
        return rxBytes.get();
    }

    public long txBytes() {
        return txBytes.get();
    }

    /** Wall-clock time of the last completed handshake in epoch nanoseconds, or 0 if none. */
    public long lastHandshakeEpochNanos() {
        return lastHandshakeEpochNanos;
    }

    public synchronized int stagedCount() {
        return staged.size();
    }

    public synchronized PeerTimers timers() {
        return timers;
    }

    /** The keypair used for sending now, if any (the fast path reads it without the lock). */
    public Keypair currentKeypair() {
        return current;
    }

    synchronized Keypair nextKeypair() {
        return next;
    }

    synchronized Keypair previousKeypair() {
        return previous;
    }

    /** Called by the device when its private key changes: recompute DH(S_priv, S_pub_peer). */
    synchronized void updateStaticStatic(byte[] localPrivate) {
        if (staticStatic != null) {
            Arrays.fill(staticStatic, (byte) 0);
        }
        staticStatic = null;
        if (localPrivate != null) {
            byte[] ss = new byte[32];
            if (X25519.dh(localPrivate, publicKeyBytes, ss)) {
                staticStatic = ss;
            }
        }
    }

    /**
     * Called by the device when its private key changes (as the kernel's and wireguard-go's "expire current peer
     * keypairs"): a handshake in flight is forgotten, the current and next keypairs may no longer send, and the
     * REKEY_TIMEOUT gate is opened, so the next packet starts a handshake under the new identity at once. Packets the
     * peer already sent on the old sessions are still accepted.
     */
    synchronized void expireCurrentKeypairs() {
        clearHandshakeLocked();
        sentHandshake = false;
        if (current != null) {
            current.expireForSending();
        }
        if (next != null) {
            next.expireForSending();
        }
    }

    // ---------------------------------------------------------------- sending

    /** Stages a copy of an outbound IP packet and sends what can be sent (reference §4.2). */
    synchronized List<Datagram> send(byte[] packet, int off, int len, long now) {
        if (staged.size() >= MAX_STAGED) {
            staged.pollFirst();
            device.count(DropReason.STAGED_QUEUE_FULL);
        }
        staged.addLast(Arrays.copyOfRange(packet, off, off + len));
        return sendStaged(now);
    }

    /** Queues an empty packet (a keepalive) unless data is already waiting, then sends. */
    synchronized List<Datagram> sendKeepalive(long now) {
        if (staged.isEmpty()) {
            staged.addLast(new byte[0]);
        }
        return sendStaged(now);
    }

    /**
     * Sends the staged packets on {@code current}; starts a handshake instead when there is no usable keypair.
     */
    private List<Datagram> sendStaged(long now) {
        if (removed) {
            return List.of();
        }
        Keypair kp = current;
        Timings t = timers.timings();
        if (kp == null || !kp.canSend(now, t)) {
            return startHandshake(now, false);
        }
        InetSocketAddress to = endpoint;
        if (to == null) {
            device.count(DropReason.NO_ENDPOINT);
            return List.of();
        }
        List<Datagram> out = new ArrayList<>(staged.size());
        boolean sentData = false;
        while (!staged.isEmpty()) {
            byte[] p = staged.peekFirst();
            long counter = device.reserveCounter(kp);
            if (counter == -1) { // the keypair is exhausted (REJECT_AFTER_MESSAGES)
                out.addAll(startHandshake(now, false));
                break;
            }
            staged.pollFirst();
            int mtu = device.mtu();
            byte[] buf = new byte[Device.sealedLength(p.length, mtu)];
            System.arraycopy(p, 0, buf, Keypair.HEADER, p.length);
            int n = device.sealTransport(kp, counter, buf, 0, p.length, mtu);
            if (n < 0) {
                out.addAll(startHandshake(now, false));
                break;
            }
            out.add(new Datagram(to, n == buf.length ? buf : Arrays.copyOf(buf, n)));
            txBytes.addAndGet(n);
            sentData |= p.length > 0;
        }
        if (!out.isEmpty()) {
            out.addAll(afterSendLocked(now, sentData, kp));
        }
        return out;
    }

    /**
     * Sending, step 1 of the batch path: the session to seal on right now without the lock, or null when the
     * caller must use {@link Device#encapsulate} instead (no usable session, no endpoint, or packets are already
     * staged and must go first). The caller then takes counters with {@link Device#reserveCounter} in packet order,
     * seals with {@link Device#sealTransport} (in parallel if it likes), sends in order, and reports with
     * {@link #afterSend}.
     */
    public Keypair sendSession(long now) {
        Keypair kp = current;
        if (kp == null || !kp.canSend(now, timers.timings()) || endpoint == null) {
            return null;
        }
        synchronized (this) {
            return staged.isEmpty() && !removed ? kp : null;
        }
    }

    /**
     * Sending, last step of the batch path: bookkeeping after data datagrams of {@code bytes} in total were sealed
     * on {@code session} and sent. Returns datagrams to send as a consequence (a rekey initiation).
     */
    public synchronized List<Datagram> afterSend(Keypair session, long now, long bytes) {
        txBytes.addAndGet(bytes);
        return afterSendLocked(now, true, session);
    }

    private List<Datagram> afterSendLocked(long now, boolean sentData, Keypair kp) {
        timers.anyAuthenticatedPacketTraversal(now);
        timers.anyAuthenticatedPacketSent();
        if (sentData) {
            timers.dataSent(now, jitter());
        }
        // keep key fresh on send
        Timings t = timers.timings();
        if (kp == current && (Long.compareUnsigned(kp.sendCounterValue(), Timings.REKEY_AFTER_MESSAGES) > 0
                || (kp.isInitiator() && now - kp.created() >= t.rekeyAfterTime()))) {
            return startHandshake(now, false);
        }
        return List.of();
    }

    /**
     * Starts (or retries) a handshake: a new initiation, unless one was sent less than REKEY_TIMEOUT ago
     * (reference §4.2). Returns the initiation datagram, or nothing.
     */
    private List<Datagram> startHandshake(long now, boolean isRetry) {
        if (!isRetry) {
            timers.resetAttempts();
        }
        Timings t = timers.timings();
        if (sentHandshake && now - lastSentHandshake < t.rekeyTimeout()) {
            return List.of();
        }
        byte[] msg = createInitiation(now);
        if (msg == null) {
            return List.of();
        }
        InetSocketAddress to = endpoint;
        if (to == null) {
            device.count(DropReason.NO_ENDPOINT);
            return List.of();
        }
        txBytes.addAndGet(msg.length);
        return List.of(new Datagram(to, msg));
    }

    private byte[] createInitiation(long now) {
        Device.Identity id = device.identity();
        if (id == null || staticStatic == null) {
            device.count(DropReason.NO_PRIVATE_KEY);
            return null;
        }
        clearHandshakeLocked();
        byte[] eph = X25519.generatePrivateKey(device.random());
        int index = device.indexTable().allocate(this);
        long epochNanos = device.epochNanos(now);
        byte[] ts = Tai64n.fromUnix(Math.floorDiv(epochNanos, 1_000_000_000L), (int) Math.floorMod(epochNanos, 1_000_000_000L));
        byte[] msg = Noise.createInitiation(id.privateKey(), id.publicKey(), publicKeyBytes, staticStatic, eph, index, ts, initiator);
        Arrays.fill(eph, (byte) 0);
        if (msg == null) {
            device.indexTable().remove(index, this);
            return null;
        }
        handshakeIndex = index;
        handshakeState = HandshakeState.INITIATION_CREATED;
        cookies.addMacs(msg, 0, msg.length, now);
        sentHandshake = true;
        lastSentHandshake = now;
        timers.anyAuthenticatedPacketTraversal(now);
        timers.anyAuthenticatedPacketSent();
        timers.handshakeInitiated(now, jitter());
        return msg;
    }

    private void clearHandshakeLocked() {
        if (handshakeIndex != 0) {
            device.indexTable().remove(handshakeIndex, this);
            handshakeIndex = 0;
        }
        initiator.wipe();
        handshakeState = HandshakeState.NONE;
    }

    private long jitter() {
        long max = timers.timings().maxJitter();
        return max <= 0 ? 0 : Math.floorMod(device.random().nextLong(), max + 1);
    }

    // ---------------------------------------------------------------- receiving

    /** §2.4 steps 4–6 and §2.5: the initiation's static key named this peer; finish, commit, respond. */
    synchronized TunnelResult consumeInitiation(Noise.ConsumedInitiation ci, byte[] msg, int off,
                                               InetSocketAddress from, long now) {
        if (removed) {
            return device.drop(DropReason.UNKNOWN_PEER);
        }
        if (!Noise.consumeInitiationTimestamp(ci, staticStatic, msg, off)) {
            return device.drop(DropReason.HANDSHAKE_DECRYPTION_FAILED);
        }
        byte[] ts = ci.timestamp();
        if (lastTimestamp != null && Tai64n.compare(ts, lastTimestamp) <= 0) {
            ci.wipe();
            return device.drop(DropReason.REPLAYED_TIMESTAMP);
        }
        if (initiationConsumed && now - lastInitiationConsumed <= timers.timings().minInitiationInterval()) {
            ci.wipe();
            return device.drop(DropReason.INITIATION_FLOOD);
        }
        // Commit: only now, after every check, so that forged packets cannot lock the peer out.
        lastTimestamp = ts;
        initiationConsumed = true;
        lastInitiationConsumed = now;
        endpoint = from;
        rxBytes.addAndGet(Noise.INITIATION_SIZE);
        timers.anyAuthenticatedPacketTraversal(now);
        timers.anyAuthenticatedPacketReceived();

        // Our own pending initiation (if the handshakes crossed) is superseded by answering theirs.
        clearHandshakeLocked();
        Device.Identity id = device.identity();
        byte[] eph = X25519.generatePrivateKey(device.random());
        int index = device.indexTable().allocate(this);
        Noise.SessionKeys[] keys = new Noise.SessionKeys[1];
        byte[] resp = Noise.createResponse(ci, presharedKey, eph, index, keys);
        Arrays.fill(eph, (byte) 0);
        ci.wipe();
        if (resp == null || id == null) {
            device.indexTable().remove(index, this);
            return device.drop(DropReason.HANDSHAKE_DECRYPTION_FAILED);
        }
        cookies.addMacs(resp, 0, resp.length, now);
        Keypair kp = new Keypair(this, keys[0].sendKey(), keys[0].receiveKey(), false, index, ci.remoteIndex(), now);
        keys[0].wipe();
        device.indexTable().bindKeypair(index, kp);
        // Responder: the new keypair waits in `next` until the initiator uses it.
        if (next != null) {
            discard(next);
        }
        next = kp;
        if (previous != null) {
            discard(previous);
            previous = null;
        }
        sentHandshake = true;
        lastSentHandshake = now;
        timers.anyAuthenticatedPacketTraversal(now);
        timers.anyAuthenticatedPacketSent();
        timers.sessionDerived(now);
        txBytes.addAndGet(resp.length);
        return new TunnelResult.Send(List.of(new Datagram(from, resp)));
    }

    /** §2.6: a response to our pending initiation with index {@code receiver}. */
    synchronized TunnelResult consumeResponse(int receiver, byte[] msg, int off, InetSocketAddress from, long now) {
        if (removed || handshakeState != HandshakeState.INITIATION_CREATED || handshakeIndex != receiver) {
            return device.drop(DropReason.UNEXPECTED_RESPONSE);
        }
        Device.Identity id = device.identity();
        if (id == null) {
            return device.drop(DropReason.NO_PRIVATE_KEY);
        }
        Noise.SessionKeys keys = Noise.consumeResponse(initiator, id.privateKey(), presharedKey, msg, off);
        if (keys == null) {
            return device.drop(DropReason.HANDSHAKE_DECRYPTION_FAILED);
        }
        int remoteIndex = Noise.responseSender(msg, off);
        Keypair kp = new Keypair(this, keys.sendKey(), keys.receiveKey(), true, receiver, remoteIndex, now);
        keys.wipe();
        initiator.wipe();
        handshakeState = HandshakeState.NONE;
        handshakeIndex = 0; // the index now belongs to the keypair
        device.indexTable().bindKeypair(receiver, kp);
        // Initiator: the new keypair becomes current at once.
        if (next != null) {
            Keypair oldPrevious = previous;
            previous = next;
            next = null;
            if (current != null) {
                discard(current);
            }
            if (oldPrevious != null) {
                discard(oldPrevious);
            }
        } else {
            if (previous != null) {
                discard(previous);
            }
            previous = current;
        }
        current = kp;
        endpoint = from;
        rxBytes.addAndGet(Noise.RESPONSE_SIZE);
        timers.anyAuthenticatedPacketTraversal(now);
        timers.anyAuthenticatedPacketReceived();
        handshakeCompleteLocked(now);
        timers.sessionDerived(now);
        // Confirm the keys to the responder: staged data, or a keepalive.
        return TunnelResult.sendOrDone(sendKeepalive(now));
    }

    boolean consumeCookieReply(byte[] msg, int off, long now) {
        synchronized (this) {
            return cookies.consumeReply(msg, off, now);
        }
    }

    /**
     * After a transport message on {@code kp} authenticated (§2.8 steps 4–10). {@code plain} is the decrypted
     * payload at {@code buf[plainOff, plainOff+plainLen)}.
     */
    synchronized TunnelResult receivedTransport(Keypair kp, long counter, int wireLength, byte[] buf, int plainOff,
                                               int plainLen, InetSocketAddress from, long now) {
        if (removed || kp.isDestroyed()) {
            return device.drop(DropReason.UNKNOWN_RECEIVER_INDEX);
        }
        if (!kp.acceptCounter(counter)) {
            return device.drop(DropReason.REPLAYED_COUNTER);
        }
        List<Datagram> alsoSend = List.of();
        if (kp == next) {
            if (previous != null) {
                discard(previous);
            }
            previous = current;
            current = next;
            next = null;
            handshakeCompleteLocked(now);
            if (!staged.isEmpty()) {
                alsoSend = sendStaged(now);
            }
        }
        endpoint = from;
        rxBytes.addAndGet(wireLength);
        // keep key fresh on receive (the 165 s rule)
        Keypair cur = current;
        if (cur != null && cur.isInitiator() && !sentLastMinuteHandshake
                && now - cur.created() >= timers.timings().rekeyOnReceiveAge()) {
            sentLastMinuteHandshake = true;
            alsoSend = concat(alsoSend, startHandshake(now, false));
        }
        timers.anyAuthenticatedPacketReceived();
        timers.anyAuthenticatedPacketTraversal(now);
        if (plainLen == 0) {
            return new TunnelResult.Done(alsoSend); // keepalive
        }
        timers.dataReceived(now);
        int ipLen = InnerPacket.validLength(buf, plainOff, plainLen);
        if (ipLen < 0) {
            device.count(DropReason.INVALID_INNER_PACKET);
            return alsoSend.isEmpty() ? new TunnelResult.Drop(DropReason.INVALID_INNER_PACKET) : new TunnelResult.Done(alsoSend);
        }
        if (device.allowedIps().lookupSource(buf, plainOff, ipLen) != this) {
            device.count(DropReason.SOURCE_NOT_ALLOWED);
            return alsoSend.isEmpty() ? new TunnelResult.Drop(DropReason.SOURCE_NOT_ALLOWED) : new TunnelResult.Done(alsoSend);
        }
        return new TunnelResult.Deliver(buf, plainOff, ipLen, this, alsoSend);
    }

    private void handshakeCompleteLocked(long now) {
        timers.handshakeComplete();
        sentLastMinuteHandshake = false;
        lastHandshakeEpochNanos = device.epochNanos(now);
    }

    private static List<Datagram> concat(List<Datagram> a, List<Datagram> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        List<Datagram> r = new ArrayList<>(a);
        r.addAll(b);
        return r;
    }

    // ---------------------------------------------------------------- timers

    /** When {@link #tick} next has something to do; empty while no timer is armed. */
    synchronized java.util.OptionalLong nextTimerDeadline() {
        return removed ? java.util.OptionalLong.empty() : timers.nextDeadline();
    }

    /** Runs every expired timer (reference §4.2) and returns what to send. */
    synchronized List<Datagram> tick(long now) {
        if (removed) {
            return List.of();
        }
        EnumSet<PeerTimers.Action> due = timers.tick(now);
        if (due.isEmpty()) {
            return List.of();
        }
        List<Datagram> out = new ArrayList<>();
        for (PeerTimers.Action a : due) {
            switch (a) {
                case RETRANSMIT_HANDSHAKE -> out.addAll(startHandshake(now, true));
                case GIVE_UP_HANDSHAKE -> staged.clear();
                case SEND_KEEPALIVE -> {
                    out.addAll(sendKeepalive(now));
                    timers.timerKeepaliveSent(now);
                }
                case NEW_HANDSHAKE -> out.addAll(startHandshake(now, false));
                case ZERO_KEYS -> zeroKeys();
                case PERSISTENT_KEEPALIVE -> {
                    if (timers.persistentKeepalive() > 0) {
                        out.addAll(sendKeepalive(now));
                    }
                }
            }
        }
        return out;
    }

    private void zeroKeys() {
        for (Keypair kp : new Keypair[]{previous, current, next}) {
            if (kp != null) {
                discard(kp);
            }
        }
        previous = next = null;
        current = null;
        clearHandshakeLocked();
        staged.clear();
    }

    private void discard(Keypair kp) {
        device.indexTable().remove(kp.localIndex(), kp);
        kp.destroy();
    }

    /** Removes every key and index; the peer is dead afterwards. */
    synchronized void remove() {
        removed = true;
        zeroKeys();
        timers.stopAll();
        Arrays.fill(presharedKey, (byte) 0);
        if (staticStatic != null) {
            Arrays.fill(staticStatic, (byte) 0);
        }
    }

    private static boolean isZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }

    @Override
    public String toString() {
        return "Peer(" + publicKey.toBase64().substring(0, 8) + "…)";
    }
}
