package io.wirefx.ui.tunnels;

import io.wirefx.ipc.TunnelState;
import io.wirefx.ipc.TunnelSummary;
import java.util.Objects;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One row of the tunnel list: a name, its live state, for FAILED the service's reason, and while RUNNING the
 * latest handshake any of its peers completed (from the service's stats events). UI thread only.
 */
public final class TunnelItem {
    private final String name;
    private final ObjectProperty<TunnelState> state = new SimpleObjectProperty<>(this, "state", TunnelState.STOPPED);
    private final StringProperty failureReason = new SimpleStringProperty(this, "failureReason");
    private final ObjectProperty<TunnelSummary> summary = new SimpleObjectProperty<>(this, "summary");
    private final ReadOnlyLongWrapper latestHandshake = new ReadOnlyLongWrapper(this, "latestHandshake");

    public TunnelItem(TunnelSummary summary) {
        this.name = Objects.requireNonNull(summary, "summary").name();
        update(summary);
    }

    void update(TunnelSummary s) {
        summary.set(s);
        if (s.state() != state.get()) {
            state.set(s.state());
        }
        if (s.state() != TunnelState.FAILED) {
            failureReason.set(null);
        }
        if (s.state() != TunnelState.RUNNING) {
            latestHandshake.set(0);
        }
    }

    void setState(TunnelState next, String reason) {
        // The reason first: listeners of the state read it.
        failureReason.set(next == TunnelState.FAILED ? reason : null);
        state.set(next);
        if (next != TunnelState.RUNNING) {
            latestHandshake.set(0);
        }
    }

    /** Records the newest handshake of this tunnel's peers (epoch ms, 0 = none yet) from a stats event. */
    void setLatestHandshake(long epochMillis) {
        if (state.get() == TunnelState.RUNNING) {
            latestHandshake.set(epochMillis);
        }
    }

    /** Epoch milliseconds of the newest completed handshake with any peer while running; 0 for none. */
    public ReadOnlyLongProperty latestHandshakeProperty() {
        return latestHandshake.getReadOnlyProperty();
    }

    /**
     * Running, with peers, and no handshake completed yet: the tunnel is up on this side but carries no traffic
     * (the peer does not answer, or has not been asked yet).
     */
    public boolean isAwaitingHandshake() {
        TunnelSummary s = summary.get();
        return state.get() == TunnelState.RUNNING && latestHandshake.get() == 0 && (s == null || s.peerCount() > 0);
    }

    public String name() {
        return name;
    }

    public TunnelState state() {
        return state.get();
    }

    public ReadOnlyObjectProperty<TunnelState> stateProperty() {
        return state;
    }

    public String failureReason() {
        return failureReason.get();
    }

    public ReadOnlyStringProperty failureReasonProperty() {
        return failureReason;
    }

    public TunnelSummary summary() {
        return summary.get();
    }

    /** Whether the tunnel is up or on its way up (what a tray checkbox shows). */
    public boolean isActive() {
        TunnelState s = state.get();
        return s == TunnelState.RUNNING || s == TunnelState.STARTING;
    }

    @Override
    public String toString() {
        return name + " (" + state.get() + ")";
    }
}
