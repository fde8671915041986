package io.wirefx.ui.tunnels;

import io.wirefx.ipc.Event;
import io.wirefx.ipc.PeerStats;
import io.wirefx.ipc.TunnelState;
import io.wirefx.ipc.TunnelStats;
import io.wirefx.ipc.TunnelSummary;
import io.wirefx.ui.format.Formats;
import io.wirefx.ui.service.ConnectionState;
import io.wirefx.ui.service.ServiceClient;
import io.wirefx.ui.service.ServiceException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The tunnel list, the selection and the selected tunnel's detail, kept in sync with the service: re-read on every
 * (re)connect, on {@link Event.TunnelsChanged} and {@link Event.EventsLost}; states from
 * {@link Event.TunnelStateChanged}; counters from {@link Event.StatsUpdate}.
 *
 * <p>Properties are touched on the UI thread only: service callbacks hop there through the {@code ui} executor
 * (Platform::runLater in the app, a direct or queued executor in tests).
 */
public final class TunnelsViewModel implements ServiceClient.Listener {
    private final ServiceClient service;
    private final Executor ui;
    private final ResourceBundle bundle;
    private final ObservableList<TunnelItem> tunnels = FXCollections.observableArrayList(
            item -> new javafx.beans.Observable[] {item.stateProperty(), item.latestHandshakeProperty()});
    // One unmodifiable view: a fresh wrapper per call would drop listeners once it is garbage collected.
    private final ObservableList<TunnelItem> tunnelsView = FXCollections.unmodifiableObservableList(tunnels);
    private final ObjectProperty<TunnelItem> selected = new SimpleObjectProperty<>(this, "selected");
    private final ReadOnlyBooleanWrapper connected = new ReadOnlyBooleanWrapper(this, "connected");
    private final ReadOnlyBooleanWrapper admin = new ReadOnlyBooleanWrapper(this, "admin");
    private final ReadOnlyBooleanWrapper adminLayout = new ReadOnlyBooleanWrapper(this, "adminLayout", true);
    private final ReadOnlyBooleanWrapper loaded = new ReadOnlyBooleanWrapper(this, "loaded");
    private final ReadOnlyStringWrapper notification = new ReadOnlyStringWrapper(this, "notification");
    private final ReadOnlyBooleanWrapper notificationError = new ReadOnlyBooleanWrapper(this, "notificationError");
    private final BooleanBinding anyActive;
    private final TunnelDetailViewModel detail;
    private final io.wirefx.ui.settings.TunnelSettingsViewModel settings;
    private String pendingSelection;

    public TunnelsViewModel(ServiceClient service, Executor ui, LongSupplier clock, Formats formats,
                            ResourceBundle bundle) {
        this.service = Objects.requireNonNull(service, "service");
        this.ui = Objects.requireNonNull(ui, "ui");
        this.bundle = bundle;
        this.detail = new TunnelDetailViewModel(service, ui, clock, formats, bundle);
        this.settings = new io.wirefx.ui.settings.TunnelSettingsViewModel(service, ui, bundle);
        settings.adminProperty().bind(admin);
        settings.fullTunnelProperty().bind(detail.fullTunnelProperty());
        anyActive = Bindings.createBooleanBinding(() -> tunnels.stream().anyMatch(TunnelItem::isActive), tunnels);
        selected.addListener((obs, o, n) -> {
            if (o != n) {
                detail.show(n);
                settings.show(n == null ? null : n.name());
            }
        });
        service.addListener(this);
        ui.execute(() -> onConnectionChanged0(service.connectionState()));
    }

    // ---- service callbacks (background thread) ------------------------------------------------------------------

    @Override
    public void onConnectionChanged(ConnectionState state) {
        ui.execute(() -> onConnectionChanged0(state));
    }

    @Override
    public void onEvent(Event event) {
        ui.execute(() -> onEvent0(event));
    }

    private void onConnectionChanged0(ConnectionState state) {
        connected.set(state.isConnected());
        admin.set(state.isAdmin());
        detail.setServiceConnected(state.isConnected());
        if (state.isConnected()) {
            adminLayout.set(state.isAdmin());
            reload();
            TunnelItem shown = selected.get();
            settings.show(shown == null ? null : shown.name());
        }
    }

    private void onEvent0(Event event) {
        switch (event) {
            case Event.TunnelStateChanged c -> {
                TunnelItem item = find(c.name());
                if (item == null) {
                    reload();
                } else {
                    item.setState(c.state(), c.reason());
                }
            }
            case Event.TunnelsChanged c -> reload();
            case Event.SettingsChanged c -> {
                detail.applySettings(c.name(), c.settings());
                settings.applyEvent(c.name(), c.settings());
            }
            case Event.EventsLost l -> reload();
            case Event.StatsUpdate s -> {
                applyHandshakes(s.tunnels());
                detail.applyStats(s.tunnels());
            }
            case Event.LogLine l -> {
                // the log view's business
            }
        }
    }

    // ---- actions (UI thread) -------------------------------------------------------------------------------------

    /** Re-reads the list; keeps the selection by name. */
    public CompletableFuture<Void> reload() {
        return service.listTunnels().thenAcceptAsync(this::applyList, ui).exceptionally(t -> {
            ui.execute(() -> notifyFailure(t));
            return null;
        });
    }

    void applyList(List<TunnelSummary> list) {
        Map<String, TunnelItem> existing = new HashMap<>();
        tunnels.forEach(t -> existing.put(t.name(), t));
        List<TunnelItem> next = list.stream()
                .sorted((a, b) -> a.name().compareToIgnoreCase(b.name()))
                .map(s -> {
                    TunnelItem item = existing.get(s.name());
                    if (item == null) {
                        return new TunnelItem(s);
                    }
                    item.update(s);
                    return item;
                }).toList();
        TunnelItem sel = selected.get();
        String want = pendingSelection != null ? pendingSelection : sel == null ? null : sel.name();
        if (!next.equals(tunnels)) {
            tunnels.setAll(next);
        }
        TunnelItem target = want == null ? null : find(want);
        if (target != null) {
            pendingSelection = null;
        }
        if (target == null && !tunnels.isEmpty()) {
            target = tunnels.getFirst();
        }
        if (target != selected.get()) {
            selected.set(target);
        } else if (target != null) {
            detail.reload();
        }
        loaded.set(true);
    }

    private void applyHandshakes(List<TunnelStats> stats) {
        for (TunnelStats ts : stats) {
            TunnelItem item = find(ts.name());
            if (item != null) {
                item.setLatestHandshake(ts.peers().stream().mapToLong(PeerStats::lastHandshakeEpochMillis)
                        .max().orElse(0));
            }
        }
    }

    /** Selects the tunnel named {@code name} now, or as soon as a list containing it arrives. */
    public void selectByName(String name) {
        TunnelItem item = find(name);
        if (item != null) {
            selected.set(item);
        } else {
            pendingSelection = name;
        }
    }

    public TunnelItem find(String name) {
        for (TunnelItem t : tunnels) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** Starts a stopped or failed tunnel, stops a running or starting one. */
    public CompletableFuture<Void> toggle(TunnelItem item) {
        return item.isActive() ? deactivate(item) : activate(item);
    }

    public CompletableFuture<Void> activate(TunnelItem item) {
        if (item.state() != TunnelState.RUNNING) {
            item.setState(TunnelState.STARTING, null); // optimistic; the service's events follow
        }
        return report(service.start(item.name()), item);
    }

    public CompletableFuture<Void> deactivate(TunnelItem item) {
        return report(service.stop(item.name()), item);
    }

    public CompletableFuture<Void> delete(TunnelItem item) {
        return report(service.delete(item.name()), null);
    }

    public CompletableFuture<Void> rename(TunnelItem item, String newName) {
        pendingSelection = newName;
        return report(service.rename(item.name(), newName), null);
    }

    /**
     * What is wrong with renaming {@code item} to {@code newName} (the name rule, or a tunnel of that name exists),
     * or null when the rename can be asked for. The unchanged name is no problem, but nothing to do either.
     */
    public String renameProblem(TunnelItem item, String newName) {
        String n = newName == null ? "" : newName.strip();
        String rule = TunnelNames.problem(bundle, n);
        if (rule != null) {
            return rule;
        }
        TunnelItem other = find(n);
        if (other != null && other != item) {
            return String.format(bundle.getString("rename.exists"), n);
        }
        return null;
    }

    private CompletableFuture<Void> report(CompletableFuture<Void> request, TunnelItem item) {
        return request.whenCompleteAsync((ok, failure) -> {
            if (failure != null) {
                notifyFailure(failure);
                if (item != null) {
                    reload(); // undo the optimistic state
                }
            }
        }, ui);
    }

    private void notifyFailure(Throwable failure) {
        Throwable t = ServiceException.unwrap(failure);
        if (t instanceof ServiceException se && se.isConnectionFailure()) {
            return; // the connection banner says it
        }
        notificationError.set(true);
        notification.set(t.getMessage());
    }

    /** Shows a message in the notification bar (export done, or failed). */
    public void showNotification(String message, boolean error) {
        notificationError.set(error);
        notification.set(message);
    }

    /** Whether the notification reports a failure (else it is information, e.g. an export done). */
    public ReadOnlyBooleanProperty notificationErrorProperty() {
        return notificationError.getReadOnlyProperty();
    }

    public void clearNotification() {
        notification.set(null);
    }

    // ---- properties ----------------------------------------------------------------------------------------------

    public ObservableList<TunnelItem> tunnels() {
        return tunnelsView;
    }

    public ObjectProperty<TunnelItem> selectedProperty() {
        return selected;
    }

    /** The shown tunnel's settings section. */
    public io.wirefx.ui.settings.TunnelSettingsViewModel settings() {
        return settings;
    }

    public TunnelDetailViewModel detail() {
        return detail;
    }

    public ReadOnlyBooleanProperty connectedProperty() {
        return connected.getReadOnlyProperty();
    }

    /** True if the service granted the admin role: editing, keys and export are available. */
    public ReadOnlyBooleanProperty adminProperty() {
        return admin.getReadOnlyProperty();
    }

    /**
     * Whether the admin's controls are laid out: the last granted role (admin until one is known), kept while the
     * service is away so that the window keeps its shape; they are disabled then.
     */
    public ReadOnlyBooleanProperty adminLayoutProperty() {
        return adminLayout.getReadOnlyProperty();
    }

    /** True once a list has arrived since start. */
    public ReadOnlyBooleanProperty loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

    /** True while any tunnel is running or starting (the tray icon's "connected"). */
    public BooleanBinding anyActiveBinding() {
        return anyActive;
    }

    /** The last failed action's message from the service (to show, then clear), or null. */
    public ReadOnlyStringProperty notificationProperty() {
        return notification.getReadOnlyProperty();
    }

    ResourceBundle bundle() {
        return bundle;
    }
}
