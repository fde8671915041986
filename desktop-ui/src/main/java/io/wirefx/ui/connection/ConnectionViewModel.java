package io.wirefx.ui.connection;

import io.wirefx.ipc.Event;
import io.wirefx.ui.service.ConnectionState;
import io.wirefx.ui.service.ServiceClient;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The connection banner: hidden while connected as admin; otherwise what is wrong (service down, not allowed,
 * incompatible) and how to fix it, or an operator-mode notice. UI thread only.
 */
public final class ConnectionViewModel implements ServiceClient.Listener {

    /** How the banner looks. */
    public enum Severity {
        NONE, INFO, WARNING, ERROR
    }

    private final ServiceClient service;
    private final Executor ui;
    private final ResourceBundle bundle;
    private final ReadOnlyObjectWrapper<ConnectionState> state = new ReadOnlyObjectWrapper<>(this, "state");
    private final ReadOnlyObjectWrapper<Severity> severity = new ReadOnlyObjectWrapper<>(this, "severity",
            Severity.NONE);
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "");
    private final ReadOnlyStringWrapper help = new ReadOnlyStringWrapper(this, "help", "");
    private final ReadOnlyBooleanWrapper visible = new ReadOnlyBooleanWrapper(this, "visible");
    private final ReadOnlyBooleanWrapper retryable = new ReadOnlyBooleanWrapper(this, "retryable");
    private final ReadOnlyBooleanWrapper operatorDismissed = new ReadOnlyBooleanWrapper(this, "operatorDismissed");

    public ConnectionViewModel(ServiceClient service, Executor ui, ResourceBundle bundle) {
        this.service = Objects.requireNonNull(service, "service");
        this.ui = Objects.requireNonNull(ui, "ui");
        this.bundle = Objects.requireNonNull(bundle, "bundle");
        service.addListener(this);
        ui.execute(() -> apply(service.connectionState()));
    }

    @Override
    public void onConnectionChanged(ConnectionState s) {
        ui.execute(() -> apply(s));
    }

    @Override
    public void onEvent(Event event) {
        // not about the connection
    }

    void apply(ConnectionState s) {
        state.set(s);
        String socket = s.socket().toString();
        switch (s.status()) {
            case CONNECTED -> {
                if (s.isAdmin() || operatorDismissed.get()) {
                    set(Severity.NONE, "", "", false);
                } else {
                    set(Severity.INFO, bundle.getString("conn.operator.title"),
                            bundle.getString("conn.operator.help"), false);
                }
            }
            case CONNECTING -> set(Severity.INFO, bundle.getString("conn.connecting.title"),
                    String.format(bundle.getString("conn.connecting.help"), socket), false);
            case UNREACHABLE -> set(Severity.ERROR, bundle.getString("conn.down.title"),
                    String.format(bundle.getString("conn.down.help"), socket), true);
            case PERMISSION_DENIED, ACCESS_DENIED -> set(Severity.ERROR, bundle.getString("conn.denied.title"),
                    String.format(bundle.getString("conn.denied.help"), socket), true);
            case INCOMPATIBLE -> set(Severity.ERROR, bundle.getString("conn.incompatible.title"),
                    String.format(bundle.getString("conn.incompatible.help"),
                            s.detail() == null ? "" : s.detail()), true);
            case BUSY -> set(Severity.WARNING, bundle.getString("conn.busy.title"),
                    bundle.getString("conn.busy.help"), true);
        }
    }

    private void set(Severity sev, String t, String h, boolean retry) {
        severity.set(sev);
        title.set(t);
        help.set(h);
        retryable.set(retry);
        visible.set(sev != Severity.NONE);
    }

    /** Connect again now. */
    public void retry() {
        service.reconnectNow();
    }

    /** Hides the operator-mode notice (the errors cannot be dismissed). */
    public void dismiss() {
        if (severity.get() == Severity.INFO && state.get() != null && state.get().isConnected()) {
            operatorDismissed.set(true);
            apply(state.get());
        }
    }

    public ReadOnlyObjectProperty<ConnectionState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Severity> severityProperty() {
        return severity.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** What to do about it, with the commands to run. */
    public ReadOnlyStringProperty helpProperty() {
        return help.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty visibleProperty() {
        return visible.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty retryableProperty() {
        return retryable.getReadOnlyProperty();
    }
}
