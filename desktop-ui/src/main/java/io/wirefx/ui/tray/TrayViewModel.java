package io.wirefx.ui.tray;

import io.wirefx.ipc.TunnelState;
import io.wirefx.ui.tunnels.StateBadges;
import io.wirefx.ui.tunnels.TunnelItem;
import io.wirefx.ui.tunnels.TunnelsViewModel;
import java.util.List;
import java.util.ResourceBundle;
import java.util.stream.Collectors;
import javafx.beans.InvalidationListener;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/** Derives the tray's {@link TraySnapshot} from the tunnel list; UI thread only, no AWT. */
public final class TrayViewModel {
    private final TunnelsViewModel tunnels;
    private final ResourceBundle bundle;
    private final ReadOnlyObjectWrapper<TraySnapshot> snapshot = new ReadOnlyObjectWrapper<>(this, "snapshot");

    public TrayViewModel(TunnelsViewModel tunnels, ResourceBundle bundle) {
        this.tunnels = tunnels;
        this.bundle = bundle;
        InvalidationListener update = obs -> refresh();
        tunnels.tunnels().addListener(update);
        tunnels.connectedProperty().addListener(update);
        refresh();
    }

    private void refresh() {
        boolean connected = tunnels.connectedProperty().get();
        List<TraySnapshot.Entry> entries = tunnels.tunnels().stream().map(this::entry).toList();
        boolean any = entries.stream().anyMatch(TraySnapshot.Entry::checked);
        List<String> up = tunnels.tunnels().stream().filter(t -> t.isActive() && !t.isAwaitingHandshake())
                .map(TunnelItem::name).toList();
        List<String> waiting = tunnels.tunnels().stream().filter(TunnelItem::isAwaitingHandshake)
                .map(TunnelItem::name).toList();
        String tooltip;
        if (!connected) {
            tooltip = bundle.getString("tray.tooltip.noService");
        } else if (!up.isEmpty() || !waiting.isEmpty()) {
            StringBuilder b = new StringBuilder(up.isEmpty() ? bundle.getString("app.name")
                    : String.format(bundle.getString("tray.tooltip.active"), String.join(", ", up)));
            for (String w : waiting) {
                b.append('\n').append(String.format(bundle.getString("tray.tooltip.waiting"), w));
            }
            tooltip = b.toString();
        } else {
            tooltip = bundle.getString("tray.tooltip.inactive");
        }
        snapshot.set(new TraySnapshot(connected, any, !waiting.isEmpty() && up.isEmpty(), tooltip, entries));
    }

    private TraySnapshot.Entry entry(TunnelItem item) {
        TunnelState s = item.state();
        String label = s == TunnelState.RUNNING || s == TunnelState.STOPPED ? item.name()
                : item.name() + " (" + StateBadges.text(bundle, s) + ")";
        return new TraySnapshot.Entry(item.name(), s, label);
    }

    /** Starts or stops the named tunnel (a tray checkbox was clicked). */
    public void toggle(String name) {
        TunnelItem item = tunnels.find(name);
        if (item != null) {
            tunnels.toggle(item);
        }
    }

    public ReadOnlyObjectProperty<TraySnapshot> snapshotProperty() {
        return snapshot.getReadOnlyProperty();
    }
}
