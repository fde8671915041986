package io.wirefx.engine;

import io.wirefx.engine.bind.UdpBind;

import java.util.concurrent.locks.Lock;

/**
 * Runs a never-started engine's two paths on the calling thread, one round at a time, in place of its threads (which
 * are never started). It is the hook for a trainer that pushes traffic through private engines before the real ones
 * start, so that the packet path is compiled when the first real packet comes: each call runs exactly the code the
 * engine's own threads run for a lone packet. Obtained once per engine from {@link WireGuardEngine#driveManually};
 * {@link WireGuardEngine#close()} still closes the TUN device and the bind.
 */
public final class ManualDrive {
    /** Batches up to this many packets are finished by the thread that read them (the light-traffic path). */
    public static final int INLINE_MAX = SendPath.INLINE_MAX;

    private final WireGuardEngine engine;
    private final ControlSender control;
    private final ControlSender timers;

    ManualDrive(WireGuardEngine engine) {
        this.engine = engine;
        this.control = new ControlSender(engine);
        this.timers = new ControlSender(engine);
    }

    /** One round of the TUN reader (read, seal, send); false where the reader would stop (device gone). */
    public boolean pumpSend() {
        return engine.sendPath.pumpOnce();
    }

    /** One round of the UDP receiver (receive, open, write to the TUN device); false where it would stop. */
    public boolean pumpReceive() {
        return engine.receivePath.pumpOnce();
    }

    /** Serves the handshake messages the receiver queued, on the calling thread; returns how many. */
    public int serveHandshakes() {
        return engine.receivePath.serveQueuedHandshakes(control);
    }

    /** One round of the timer thread: wall clock, due timers, their datagrams. */
    public void timerRound() {
        engine.timerRound(timers);
    }

    /** Puts {@code fresh} in place of the current bind, as a rebind does, and returns the old one (not closed). */
    public UdpBind swapBind(UdpBind fresh) {
        return engine.swapBind(fresh);
    }

    /** The lock the TUN reader holds while it takes and processes packets. */
    public Lock readerLock() {
        return engine.sendPath.stageLock();
    }

    /** One of the engine's counters. */
    public long counter(EngineStats.Counter c) {
        return engine.counter(c);
    }
}
