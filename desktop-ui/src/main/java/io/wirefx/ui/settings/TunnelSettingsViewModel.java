package io.wirefx.ui.settings;

import io.wirefx.ipc.OnDemandRules;
import io.wirefx.ipc.TunnelSettings;
import io.wirefx.ui.service.ServiceClient;
import io.wirefx.ui.service.ServiceException;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.Arrays;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.Executor;

/**
 * One tunnel's settings as the detail pane edits them: "Block untunneled traffic" (+ "Allow local network"), usable
 * for full tunnels only, and the on-demand rules (on Wi-Fi except trusted SSIDs, on wired, the trusted list, one per
 * line), usable only when the service can follow the machine's networks. Only admins change them; Apply sends the
 * whole set. UI-thread only.
 */
public final class TunnelSettingsViewModel {
    private final ServiceClient service;
    private final Executor ui;
    private final ResourceBundle bundle;

    private final BooleanProperty blockUntunneled = new SimpleBooleanProperty(this, "blockUntunneled");
    private final BooleanProperty allowLan = new SimpleBooleanProperty(this, "allowLan");
    private final BooleanProperty onWifi = new SimpleBooleanProperty(this, "onWifi");
    private final BooleanProperty onWired = new SimpleBooleanProperty(this, "onWired");
    private final StringProperty trusted = new SimpleStringProperty(this, "trusted", "");
    private final BooleanProperty fullTunnel = new SimpleBooleanProperty(this, "fullTunnel");
    private final BooleanProperty admin = new SimpleBooleanProperty(this, "admin");
    private final ReadOnlyBooleanWrapper loaded = new ReadOnlyBooleanWrapper(this, "loaded");
    private final ReadOnlyBooleanWrapper onDemandAvailable = new ReadOnlyBooleanWrapper(this, "onDemandAvailable");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private TunnelSettings saved;
    private String name;
    private long generation;

    public TunnelSettingsViewModel(ServiceClient service, Executor ui, ResourceBundle bundle) {
        this.service = service;
        this.ui = ui;
        this.bundle = bundle;
    }

    /** Shows the settings of {@code tunnel} (null: none) and reads them from the service. */
    public void show(String tunnel) {
        generation++;
        name = tunnel;
        loaded.set(false);
        error.set(null);
        status.set("");
        if (tunnel == null) {
            return;
        }
        long gen = generation;
        service.settings(tunnel).whenCompleteAsync((s, failure) -> {
            if (gen != generation) {
                return;
            }
            if (failure != null) {
                error.set(ServiceException.unwrap(failure).getMessage());
                return;
            }
            onDemandAvailable.set(s.onDemandAvailable());
            fill(s.settings());
            loaded.set(true);
        }, ui);
    }

    /** A change the service announced: taken over unless the user has unsaved edits. */
    public void applyEvent(String tunnel, TunnelSettings value) {
        if (tunnel.equals(name) && (saved == null || !dirty())) {
            fill(value);
            loaded.set(true);
        }
    }

    private void fill(TunnelSettings s) {
        saved = s;
        blockUntunneled.set(s.blockUntunneled());
        allowLan.set(s.allowLan());
        onWifi.set(s.onDemand().onWifi());
        onWired.set(s.onDemand().onWired());
        trusted.set(String.join("\n", s.onDemand().trustedSsids()));
    }

    /** The settings the controls show; IllegalArgumentException (with the reason) for a bad SSID list. */
    public TunnelSettings current() {
        List<String> ssids = Arrays.stream(trusted.get().split("\n")).map(String::strip).filter(x -> !x.isEmpty())
                .distinct().toList();
        return new TunnelSettings(blockUntunneled.get(), blockUntunneled.get() && allowLan.get(),
                new OnDemandRules(onWifi.get(), onWired.get(), onWifi.get() ? ssids : List.of()));
    }

    /** True if the controls differ from what the service has. */
    public boolean dirty() {
        try {
            return saved != null && !current().equals(saved);
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /** Sends the settings; the result shows in {@link #statusProperty()} or {@link #errorProperty()}. */
    public void apply() {
        if (name == null) {
            return;
        }
        TunnelSettings next;
        try {
            next = current();
        } catch (IllegalArgumentException e) {
            error.set(e.getMessage());
            return;
        }
        error.set(null);
        String tunnel = name;
        long gen = generation;
        service.setSettings(tunnel, next).whenCompleteAsync((v, failure) -> {
            if (gen != generation) {
                return;
            }
            if (failure != null) {
                error.set(ServiceException.unwrap(failure).getMessage());
                return;
            }
            fill(next);
            status.set(bundle.getString("settings.saved"));
        }, ui);
    }

    public BooleanProperty blockUntunneledProperty() {
        return blockUntunneled;
    }

    public BooleanProperty allowLanProperty() {
        return allowLan;
    }

    public BooleanProperty onWifiProperty() {
        return onWifi;
    }

    public BooleanProperty onWiredProperty() {
        return onWired;
    }

    /** The trusted SSIDs, one per line. */
    public StringProperty trustedProperty() {
        return trusted;
    }

    /** Whether the shown tunnel has an allowed IP of /0 (set by the detail pane). */
    public BooleanProperty fullTunnelProperty() {
        return fullTunnel;
    }

    /** Whether the caller may change settings (set from the connection's role). */
    public BooleanProperty adminProperty() {
        return admin;
    }

    public ReadOnlyBooleanProperty loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty onDemandAvailableProperty() {
        return onDemandAvailable.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The kill switch box: admins, full tunnels, settings loaded. */
    public BooleanBinding blockDisabled() {
        return admin.not().or(fullTunnel.not()).or(loaded.not());
    }

    public BooleanBinding allowLanDisabled() {
        return blockDisabled().or(blockUntunneled.not());
    }

    /** The on-demand section: admins, settings loaded, the service can follow networks. */
    public BooleanBinding onDemandDisabled() {
        return admin.not().or(loaded.not()).or(onDemandAvailable.not());
    }

    public BooleanBinding trustedDisabled() {
        return onDemandDisabled().or(onWifi.not());
    }

    /** The note under the on-demand heading ("On-demand rules need NetworkManager") or empty. */
    public javafx.beans.binding.StringBinding onDemandNote() {
        return Bindings.createStringBinding(() -> loaded.get() && !onDemandAvailable.get()
                ? bundle.getString("settings.onDemand.unavailable") : "", loaded, onDemandAvailable);
    }

    /** The note beside the kill switch for a tunnel that is not a full tunnel, or empty. */
    public javafx.beans.binding.StringBinding blockNote() {
        return Bindings.createStringBinding(() -> loaded.get() && !fullTunnel.get()
                ? bundle.getString("settings.block.fullOnly") : "", loaded, fullTunnel);
    }
}
