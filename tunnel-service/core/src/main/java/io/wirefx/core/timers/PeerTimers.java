package io.wirefx.core.timers;

/**
 * The five per-peer timers of reference §4.2 as recorded deadlines: events arm or cancel them; {@code tick} asks which
 * have expired. No clock and no threads: every instant is a monotonic nanosecond value passed in by the caller, and
 * comparisons use {@code a - b} so that any origin (even negative) works.
 *
 * <p>Not thread-safe; the owning peer guards it.
 */
public final class PeerTimers {
    /** What a tick must do; several may be due at once. */
    public enum Action { RETRANSMIT_HANDSHAKE, GIVE_UP_HANDSHAKE, SEND_KEEPALIVE, NEW_HANDSHAKE, ZERO_KEYS, PERSISTENT_KEEPALIVE }

    private final Timings t;

    private boolean retransmitArmed;
    private long retransmitAt;
    private boolean keepaliveArmed;
    private long keepaliveAt;
    private boolean needAnotherKeepalive;
    private boolean newHandshakeArmed;
    private long newHandshakeAt;
    private boolean zeroKeysArmed;
    private long zeroKeysAt;
    private boolean persistentArmed;
    private long persistentAt;
    private boolean rearmKeepalive;
    private int handshakeAttempts;
    private int persistentKeepaliveSeconds;

    public PeerTimers(Timings timings) {
        this.t = timings;
    }

    public Timings timings() {
        return t;
    }

    public void setPersistentKeepalive(int seconds) {
        this.persistentKeepaliveSeconds = seconds;
        if (seconds == 0) {
            persistentArmed = false;
        }
    }

    public int persistentKeepalive() {
        return persistentKeepaliveSeconds;
    }

    public int handshakeAttempts() {
        return handshakeAttempts;
    }

    /** A fresh "start a handshake" (not a retry) resets the attempt count. */
    public void resetAttempts() {
        handshakeAttempts = 0;
    }

    // ---- events, in the order they happen on the wire ----

    /** An initiation was sent: (re)arm the retransmit timer at REKEY_TIMEOUT + jitter. */
    public void handshakeInitiated(long now, long jitter) {
        retransmitArmed = true;
        retransmitAt = now + t.rekeyTimeout() + jitter;
    }

    /** The handshake completed (response consumed, or first packet on the responder's next keypair). */
    public void handshakeComplete() {
        retransmitArmed = false;
        handshakeAttempts = 0;
    }

    /** A session was derived: keys are zeroed after 540 s unless a newer one comes. */
    public void sessionDerived(long now) {
        zeroKeysArmed = true;
        zeroKeysAt = now + t.zeroKeysAfter();
    }

    /** A data (non-keepalive) packet was sent: arm newHandshake if idle. */
    public void dataSent(long now, long jitter) {
        if (!newHandshakeArmed) {
            newHandshakeArmed = true;
            newHandshakeAt = now + t.keepaliveTimeout() + t.rekeyTimeout() + jitter;
        }
    }

    /** A data (non-keepalive) packet was received: arm the keepalive, or ask for another one after it. */
    public void dataReceived(long now) {
        if (!keepaliveArmed) {
            keepaliveArmed = true;
            keepaliveAt = now + t.keepaliveTimeout();
        } else {
            needAnotherKeepalive = true;
        }
    }

    /** Any authenticated packet (data, keepalive, handshake) was sent. */
    public void anyAuthenticatedPacketSent() {
        keepaliveArmed = false;
    }

    /** Any authenticated packet (data, keepalive, handshake) was received. */
    public void anyAuthenticatedPacketReceived() {
        newHandshakeArmed = false;
    }

    /** Any authenticated packet crossed in either direction: push the persistent keepalive out. */
    public void anyAuthenticatedPacketTraversal(long now) {
        if (persistentKeepaliveSeconds > 0) {
            persistentArmed = true;
            persistentAt = now + persistentKeepaliveSeconds * 1_000_000_000L;
        }
    }

    /** The keepalive asked for by {@link Action#SEND_KEEPALIVE} was sent; re-arm if another one was needed. */
    public void timerKeepaliveSent(long now) {
        if (rearmKeepalive) {
            rearmKeepalive = false;
            keepaliveArmed = true;
            keepaliveAt = now + t.keepaliveTimeout();
        }
    }

    /** Cancels everything, as when a peer is removed or its keys are zeroed. */
    public void stopAll() {
        retransmitArmed = keepaliveArmed = newHandshakeArmed = zeroKeysArmed = persistentArmed = false;
        needAnotherKeepalive = rearmKeepalive = false;
    }

    public boolean isRetransmitArmed() {
        return retransmitArmed;
    }

    public boolean isKeepaliveArmed() {
        return keepaliveArmed;
    }

    public boolean isNewHandshakeArmed() {
        return newHandshakeArmed;
    }

    public boolean isZeroKeysArmed() {
        return zeroKeysArmed;
    }

    public boolean isPersistentKeepaliveArmed() {
        return persistentArmed;
    }

    /**
     * The earliest instant at which {@link #tick} has something to fire, or empty when no timer is armed. A timer is
     * always armed at least {@link Timings#shortestTimer()} or the persistent keepalive interval, whichever is
     * shorter, after the event that arms it, so a caller that ticks at this deadline, and at least that often while
     * nothing is armed, fires every timer on time.
     */
    public java.util.OptionalLong nextDeadline() {
        boolean any = false;
        long min = 0;
        long[] at = {retransmitAt, keepaliveAt, newHandshakeAt, zeroKeysAt, persistentAt};
        boolean[] armed = {retransmitArmed, keepaliveArmed, newHandshakeArmed, zeroKeysArmed, persistentArmed};
        for (int i = 0; i < at.length; i++) {
            if (armed[i] && (!any || at[i] - min < 0)) {
                min = at[i];
                any = true;
            }
        }
        return any ? java.util.OptionalLong.of(min) : java.util.OptionalLong.empty();
    }

    /**
     * Fires every expired timer, in a fixed order, and returns what the peer must do. One-shot timers are disarmed
     * as they fire; the retransmit timer counts attempts and turns into {@link Action#GIVE_UP_HANDSHAKE} after
     * {@code maxTimerHandshakes} retries.
     */
    public java.util.EnumSet<Action> tick(long now) {
        java.util.EnumSet<Action> due = java.util.EnumSet.noneOf(Action.class);
        if (retransmitArmed && now - retransmitAt >= 0) {
            retransmitArmed = false;
            if (handshakeAttempts > t.maxTimerHandshakes()) {
                due.add(Action.GIVE_UP_HANDSHAKE);
                keepaliveArmed = false;
                if (!zeroKeysArmed) {
                    zeroKeysArmed = true;
                    zeroKeysAt = now + t.zeroKeysAfter();
                }
            } else {
                handshakeAttempts++;
                due.add(Action.RETRANSMIT_HANDSHAKE);
            }
        }
        if (keepaliveArmed && now - keepaliveAt >= 0) {
            keepaliveArmed = false;
            due.add(Action.SEND_KEEPALIVE);
            // Re-armed only after the keepalive went out (sending it cancels this timer): see keepaliveSent.
            rearmKeepalive = needAnotherKeepalive;
            needAnotherKeepalive = false;
        }
        if (newHandshakeArmed && now - newHandshakeAt >= 0) {
            newHandshakeArmed = false;
            due.add(Action.NEW_HANDSHAKE);
        }
        if (zeroKeysArmed && now - zeroKeysAt >= 0) {
            zeroKeysArmed = false;
            due.add(Action.ZERO_KEYS);
        }
        if (persistentArmed && now - persistentAt >= 0) {
            persistentArmed = false;
            due.add(Action.PERSISTENT_KEEPALIVE);
        }
        return due;
    }
}
