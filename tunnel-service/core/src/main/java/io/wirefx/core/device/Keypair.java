package io.wirefx.core.device;

import io.wirefx.core.crypto.AeadKey;
import io.wirefx.core.crypto.ChaChaPoly;
import io.wirefx.core.message.TransportHeader;
import io.wirefx.core.replay.ReplayWindow;
import io.wirefx.core.timers.Timings;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One session's transport keys (reference §4.3): an opaque handle outside this package. Sealing and opening are
 * thread-safe and lock-free, so a batch can be encrypted in parallel once its counters were taken in order; the
 * replay check is serialized here. Callers reach them only through {@link Device}'s transport methods, which apply
 * the counter, expiry and replay rules.
 */
public final class Keypair {
    public static final int HEADER = 16;
    public static final int TAG = 16;

    private final AeadKey sendKey;
    private final AeadKey receiveKey;
    private final AtomicLong sendCounter = new AtomicLong();
    private final ReplayWindow replay = new ReplayWindow();
    private final long created;
    private final boolean initiator;
    private final int localIndex;
    private final int remoteIndex;
    private final Peer peer;
    private volatile boolean destroyed;

    Keypair(Peer peer, byte[] sendKey, byte[] receiveKey, boolean initiator, int localIndex, int remoteIndex, long created) {
        this.peer = peer;
        this.sendKey = new AeadKey(sendKey);
        this.receiveKey = new AeadKey(receiveKey);
        this.initiator = initiator;
        this.localIndex = localIndex;
        this.remoteIndex = remoteIndex;
        this.created = created;
    }

    public Peer peer() {
        return peer;
    }

    public long created() {
        return created;
    }

    public boolean isInitiator() {
        return initiator;
    }

    public int localIndex() {
        return localIndex;
    }

    public int remoteIndex() {
        return remoteIndex;
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    /** The next send counter, or -1 when this keypair may not send any more (REJECT_AFTER_MESSAGES). */
    long nextCounter() {
        long c = sendCounter.getAndIncrement();
        if (Long.compareUnsigned(c, Timings.REJECT_AFTER_MESSAGES) >= 0) {
            return -1;
        }
        return c;
    }

    long sendCounterValue() {
        return sendCounter.get();
    }

    /**
     * Stops this keypair from sending (its counter jumps to REJECT_AFTER_MESSAGES); it still decrypts what the peer
     * sent on it. The kernel does this to the current and next keypairs when the interface's private key changes.
     */
    void expireForSending() {
        sendCounter.set(Timings.REJECT_AFTER_MESSAGES);
    }

    /** Test hook: pretend many messages were sent. */
    void setSendCounter(long value) {
        sendCounter.set(value);
    }

    /** Usable for sending at {@code now}: not destroyed, not too old, counter not exhausted. */
    boolean canSend(long now, Timings t) {
        return !destroyed && now - created < t.rejectAfterTime()
                && Long.compareUnsigned(sendCounter.get(), Timings.REJECT_AFTER_MESSAGES) < 0;
    }

    /**
     * Encrypts in place: the IP packet is at {@code buf[off+16, off+16+len)}; it is zero-padded to {@code paddedLen},
     * sealed, and the transport header written at {@code off}. The buffer needs {@code 16 + paddedLen + 16} bytes
     * from {@code off}. Returns the datagram length, or -1 when the keypair was destroyed meanwhile (drop the packet).
     */
    int seal(long counter, byte[] buf, int off, int len, int paddedLen) {
        int p = off + HEADER;
        java.util.Arrays.fill(buf, p + len, p + paddedLen, (byte) 0);
        TransportHeader.write(buf, off, remoteIndex, counter);
        try {
            int n = ChaChaPoly.forCurrentThread().seal(sendKey, counter, buf, p, paddedLen, null, buf, p);
            return HEADER + n;
        } catch (IllegalStateException destroyedConcurrently) {
            return -1;
        }
    }

    /**
     * Decrypts a transport message in place; the plaintext lands at {@code buf[off+16, ...)}. Returns its length,
     * or -1 when authentication fails. Does not check replay: see {@link #acceptCounter}.
     */
    int open(byte[] buf, int off, int len) {
        if (destroyed || len < HEADER + TAG) {
            return -1;
        }
        long counter = TransportHeader.counter(buf, off);
        try {
            return ChaChaPoly.forCurrentThread().open(receiveKey, counter, buf, off + HEADER, len - HEADER, null, buf, off + HEADER);
        } catch (IllegalStateException destroyedConcurrently) {
            return -1;
        }
    }

    /** The replay check (reference §5), after a successful open. */
    boolean acceptCounter(long counter) {
        synchronized (replay) {
            return replay.validate(counter);
        }
    }

    void destroy() {
        destroyed = true;
        sendKey.close();
        receiveKey.close();
    }
}
