package io.wirefx.ui.tunnels;

import io.wirefx.ipc.InterfaceDetails;
import io.wirefx.ipc.PeerStats;
import io.wirefx.ipc.Response;
import io.wirefx.ipc.TunnelState;
import io.wirefx.ipc.TunnelStats;
import io.wirefx.ui.format.Formats;
import io.wirefx.ui.service.ServiceClient;
import io.wirefx.ui.service.ServiceException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ChangeListener;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The detail pane of the selected tunnel: interface, peers with live counters, state and the activate/deactivate
 * action. UI thread only; service answers are applied through the UI executor and ignored once stale.
 */
public final class TunnelDetailViewModel {
    private final ServiceClient service;
    private final Executor ui;
    private final LongSupplier clock;
    private final Formats formats;
    private final ResourceBundle bundle;

    private final ReadOnlyObjectWrapper<TunnelItem> tunnel = new ReadOnlyObjectWrapper<>(this, "tunnel");
    private final ReadOnlyStringWrapper name = new ReadOnlyStringWrapper(this, "name", "");
    private final ReadOnlyObjectWrapper<TunnelState> state = new ReadOnlyObjectWrapper<>(this, "state");
    private final ReadOnlyStringWrapper stateText = new ReadOnlyStringWrapper(this, "stateText", "");
    private final ReadOnlyStringWrapper stateStyle = new ReadOnlyStringWrapper(this, "stateStyle", "");
    private final ReadOnlyStringWrapper failureReason = new ReadOnlyStringWrapper(this, "failureReason");
    private final ReadOnlyStringWrapper publicKey = new ReadOnlyStringWrapper(this, "publicKey", "");
    private final ReadOnlyStringWrapper listenPort = new ReadOnlyStringWrapper(this, "listenPort", "");
    private final ReadOnlyStringWrapper addresses = new ReadOnlyStringWrapper(this, "addresses", "");
    private final ReadOnlyStringWrapper dns = new ReadOnlyStringWrapper(this, "dns", "");
    private final ReadOnlyStringWrapper mtu = new ReadOnlyStringWrapper(this, "mtu", "");
    private final ReadOnlyStringWrapper interfaceName = new ReadOnlyStringWrapper(this, "interfaceName", "");
    private final ReadOnlyStringWrapper toggleText = new ReadOnlyStringWrapper(this, "toggleText", "");
    private final ReadOnlyBooleanWrapper toggleDisabled = new ReadOnlyBooleanWrapper(this, "toggleDisabled", true);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final ReadOnlyObjectWrapper<io.wirefx.ipc.TunnelSettings> settings =
            new ReadOnlyObjectWrapper<>(this, "settings");
    private final ReadOnlyStringWrapper settingsText = new ReadOnlyStringWrapper(this, "settingsText", "");
    private final ReadOnlyBooleanWrapper fullTunnel = new ReadOnlyBooleanWrapper(this, "fullTunnel");
    private final ObservableList<PeerViewModel> peers = FXCollections.observableArrayList();
    // One unmodifiable view: a fresh wrapper per call would drop listeners once it is garbage collected.
    private final ObservableList<PeerViewModel> peersView = FXCollections.unmodifiableObservableList(peers);
    private final ChangeListener<Object> itemChanged = (obs, o, n) -> refreshState();
    private boolean serviceConnected = true;
    private Integer configuredListenPort;
    private Integer configuredMtu;
    private long generation;

    TunnelDetailViewModel(ServiceClient service, Executor ui, LongSupplier clock, Formats formats,
                          ResourceBundle bundle) {
        this.service = service;
        this.ui = ui;
        this.clock = clock;
        this.formats = formats;
        this.bundle = bundle;
    }

    /** Shows {@code item} (null clears the pane) and loads its configuration. */
    void show(TunnelItem item) {
        TunnelItem old = tunnel.get();
        if (old != null) {
            old.stateProperty().removeListener(itemChanged);
            old.failureReasonProperty().removeListener(itemChanged);
            old.latestHandshakeProperty().removeListener(itemChanged);
        }
        tunnel.set(item);
        generation++;
        peers.clear();
        publicKey.set("");
        configuredListenPort = null;
        configuredMtu = null;
        interfaceName.set("");
        listenPort.set("");
        addresses.set("");
        dns.set("");
        mtu.set("");
        error.set(null);
        setSettings(null);
        fullTunnel.set(false);
        if (item == null) {
            name.set("");
            state.set(null);
            stateText.set("");
            stateStyle.set("");
            failureReason.set(null);
            // Never empty: JavaFX's mnemonic parsing trips over an empty button text.
            toggleText.set(bundle.getString("detail.activate"));
            toggleDisabled.set(true);
            return;
        }
        name.set(item.name());
        item.stateProperty().addListener(itemChanged);
        item.failureReasonProperty().addListener(itemChanged);
        item.latestHandshakeProperty().addListener(itemChanged);
        refreshState();
        reload();
    }

    /** Re-reads the configuration of the shown tunnel (after an edit, or a reconnect). */
    void reload() {
        TunnelItem item = tunnel.get();
        if (item == null) {
            return;
        }
        long gen = generation;
        service.getTunnel(item.name()).whenCompleteAsync((config, failure) -> {
            if (gen != generation) {
                return;
            }
            if (failure != null) {
                error.set(ServiceException.unwrap(failure).getMessage());
                return;
            }
            apply(config);
            if (item.state() == TunnelState.RUNNING) {
                refreshStats();
            }
        }, ui);
    }

    private void refreshStats() {
        TunnelItem item = tunnel.get();
        if (item == null) {
            return;
        }
        long gen = generation;
        service.stats(item.name()).whenCompleteAsync((list, failure) -> {
            if (gen == generation && failure == null) {
                applyStats(list);
            }
        }, ui);
    }

    private void apply(Response.TunnelConfig config) {
        error.set(null);
        setSettings(config.settings());
        if (config.details() == null) {
            return;
        }
        InterfaceDetails iface = config.details().iface();
        fullTunnel.set(config.details().peers().stream().flatMap(p -> p.allowedIps().stream())
                .anyMatch(ip -> ip.endsWith("/0")));
        publicKey.set(iface.publicKey());
        configuredListenPort = iface.listenPort();
        configuredMtu = iface.mtu();
        listenPort.set(iface.listenPort() == null ? "" : Integer.toString(iface.listenPort()));
        addresses.set(String.join(", ", iface.addresses()));
        dns.set(String.join(", ", iface.dns()));
        mtu.set(iface.mtu() == null ? "" : Integer.toString(iface.mtu()));
        // Keep what the counters said: a re-read (after any list change) must not blank them until the next event.
        Map<String, PeerViewModel> previous = new HashMap<>();
        peers.forEach(p -> previous.put(p.publicKey(), p));
        long now = clock.getAsLong();
        peers.setAll(config.details().peers().stream().map(p -> {
            PeerViewModel fresh = new PeerViewModel(p, formats);
            PeerViewModel old = previous.get(p.publicKey());
            if (old != null && old.hasStats() && tunnel.get().state() == TunnelState.RUNNING) {
                fresh.copyStats(old, now);
            }
            return fresh;
        }).toList());
    }

    /** A settings change the service announced; for another tunnel than the one shown, nothing happens. */
    void applySettings(String tunnelName, io.wirefx.ipc.TunnelSettings value) {
        TunnelItem item = tunnel.get();
        if (item != null && item.name().equals(tunnelName)) {
            setSettings(value);
        }
    }

    private void setSettings(io.wirefx.ipc.TunnelSettings value) {
        settings.set(value);
        settingsText.set(value == null ? "" : describe(value, bundle));
    }

    /** One line: the kill switch and the on-demand rules, as the detail pane shows them. */
    static String describe(io.wirefx.ipc.TunnelSettings s, ResourceBundle bundle) {
        String block = !s.blockUntunneled() ? bundle.getString("settings.block.off")
                : s.allowLan() ? bundle.getString("settings.block.onLan") : bundle.getString("settings.block.on");
        io.wirefx.ipc.OnDemandRules r = s.onDemand();
        String od;
        if (!r.enabled()) {
            od = bundle.getString("settings.onDemand.off");
        } else {
            java.util.List<String> parts = new java.util.ArrayList<>();
            if (r.onWifi()) {
                parts.add(r.trustedSsids().isEmpty() ? bundle.getString("settings.onDemand.wifi")
                        : java.text.MessageFormat.format(bundle.getString("settings.onDemand.wifiExcept"),
                        String.join(", ", r.trustedSsids())));
            }
            if (r.onWired()) {
                parts.add(bundle.getString("settings.onDemand.wired"));
            }
            od = java.text.MessageFormat.format(bundle.getString("settings.onDemand.on"), String.join("; ", parts));
        }
        return block + " · " + od;
    }

    /** Whether the shown tunnel routes a default (an allowed IP of /0): the kill switch applies to it. */
    public ReadOnlyBooleanProperty fullTunnelProperty() {
        return fullTunnel.getReadOnlyProperty();
    }

    /** The shown tunnel's settings; null while unknown. */
    public ReadOnlyObjectProperty<io.wirefx.ipc.TunnelSettings> settingsProperty() {
        return settings.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty settingsTextProperty() {
        return settingsText.getReadOnlyProperty();
    }

    /** Applies the counters of a stats event or answer; entries for other tunnels are ignored. */
    void applyStats(List<TunnelStats> all) {
        TunnelItem item = tunnel.get();
        if (item == null) {
            return;
        }
        long now = clock.getAsLong();
        for (TunnelStats ts : all) {
            if (!ts.name().equals(item.name())) {
                continue;
            }
            item.setLatestHandshake(ts.peers().stream().mapToLong(PeerStats::lastHandshakeEpochMillis).max()
                    .orElse(0));
            showActual(ts);
            Map<String, PeerStats> byKey = new HashMap<>();
            ts.peers().forEach(p -> byKey.put(p.publicKey(), p));
            for (PeerViewModel peer : peers) {
                PeerStats s = byKey.get(peer.publicKey());
                if (s != null) {
                    peer.applyStats(s, now);
                }
            }
        }
    }

    /**
     * While running, the listen port and MTU the tunnel actually uses: the configured ones, or what the system
     * chose ("41234 (chosen automatically)") when the configuration names none.
     */
    private void showActual(TunnelStats ts) {
        if (ts.interfaceName() != null) {
            interfaceName.set(ts.interfaceName()); // the platform's choice: utun4, a shortened Linux name...
        }
        if (ts.listenPort() != null) {
            listenPort.set(configuredListenPort != null ? configuredListenPort.toString()
                    : String.format(bundle.getString("detail.automatic"), ts.listenPort()));
        }
        if (ts.mtu() != null) {
            mtu.set(configuredMtu != null ? configuredMtu.toString()
                    : String.format(bundle.getString("detail.automatic"), ts.mtu()));
        }
    }

    /** Refreshes the "12 seconds ago" texts; the view calls this once a second. */
    public void tick() {
        long now = clock.getAsLong();
        peers.forEach(p -> p.tick(now));
    }

    private void refreshState() {
        TunnelItem item = tunnel.get();
        if (item == null) {
            return;
        }
        TunnelState previous = state.get();
        TunnelState s = item.state();
        state.set(s);
        StateBadges.Badge badge = StateBadges.of(bundle, item, serviceConnected);
        stateText.set(badge.longText());
        stateStyle.set(badge.styleClass());
        failureReason.set(item.failureReason());
        boolean up = s == TunnelState.RUNNING || s == TunnelState.STARTING;
        toggleText.set(bundle.getString(up ? "detail.deactivate" : "detail.activate"));
        toggleDisabled.set(s == TunnelState.STOPPING);
        if (s != TunnelState.RUNNING) {
            peers.forEach(PeerViewModel::clearStats);
            interfaceName.set("");
            listenPort.set(configuredListenPort == null ? "" : configuredListenPort.toString());
            mtu.set(configuredMtu == null ? "" : configuredMtu.toString());
        } else if (previous != TunnelState.RUNNING && previous != null) {
            refreshStats();
        }
    }

    /** While the service is away the shown state is unknown. */
    void setServiceConnected(boolean connected) {
        if (connected != serviceConnected) {
            serviceConnected = connected;
            refreshState();
        }
    }

    void setError(String message) {
        error.set(message);
    }

    public ReadOnlyObjectProperty<TunnelItem> tunnelProperty() {
        return tunnel.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty nameProperty() {
        return name.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<TunnelState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty stateTextProperty() {
        return stateText.getReadOnlyProperty();
    }

    /** The CSS class of the state dot ({@code badge-running}, {@code badge-waiting}, …). */
    public ReadOnlyStringProperty stateStyleProperty() {
        return stateStyle.getReadOnlyProperty();
    }

    /** The service's reason while FAILED, else null. */
    public ReadOnlyStringProperty failureReasonProperty() {
        return failureReason.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty publicKeyProperty() {
        return publicKey.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty listenPortProperty() {
        return listenPort.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty addressesProperty() {
        return addresses.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty dnsProperty() {
        return dns.getReadOnlyProperty();
    }

    /** The OS interface of the running tunnel (empty while it is not running). */
    public ReadOnlyStringProperty interfaceNameProperty() {
        return interfaceName.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty mtuProperty() {
        return mtu.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty toggleTextProperty() {
        return toggleText.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty toggleDisabledProperty() {
        return toggleDisabled.getReadOnlyProperty();
    }

    /** A request about this tunnel that failed (load, start, stop), or null. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ObservableList<PeerViewModel> peers() {
        return peersView;
    }
}
