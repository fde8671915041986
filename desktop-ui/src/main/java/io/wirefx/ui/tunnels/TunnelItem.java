package io.wirefx.ui.tunnels;

import io.wirefx.ipc.TunnelState;
import io.wirefx.ipc.TunnelSummary;
import java.util.Objects;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One row of the tunnel list: a name, its live state and, for FAILED, the service's reason. UI thread only. */
public final class TunnelItem {
    private final String name;
    private final ObjectProperty<TunnelState> state = new SimpleObjectProperty<>(this, "state", TunnelState.STOPPED);
    private final StringProperty failureReason = new SimpleStringProperty(this, "failureReason");
    private final ObjectProperty<TunnelSummary> summary = new SimpleObjectProperty<>(this, "summary");

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
    }

    void setState(TunnelState next, String reason) {
        state.set(next);
        failureReason.set(next == TunnelState.FAILED ? reason : null);
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
