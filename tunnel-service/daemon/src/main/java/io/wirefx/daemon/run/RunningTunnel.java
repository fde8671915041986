package io.wirefx.daemon.run;

import io.wirefx.platform.TunnelControl;

import java.util.List;
import java.util.function.Consumer;

/** A started tunnel (TUN device + engine) as {@link TunnelRun} sees it. */
public interface RunningTunnel extends TunnelControl, AutoCloseable {

    /**
     * Calls {@code listener} (once, on any thread) when the tunnel stops by itself: its interface was removed, or it
     * failed. Called at once if it has already stopped.
     */
    void onStopped(Consumer<String> listener);

    /** The peers' counters now (for the service's stats events); empty if not known. */
    default List<PeerCounters> peerCounters() {
        return List.of();
    }

    /** The UDP port the tunnel listens on now, if known. */
    default java.util.OptionalInt listenPort() {
        return java.util.OptionalInt.empty();
    }

    /** The interface's MTU now, if known. */
    default java.util.OptionalInt mtu() {
        return java.util.OptionalInt.empty();
    }

    /** Stops the engine and closes the TUN device. Idempotent; never throws. */
    @Override
    void close();
}
