package io.wirefx.ui.notify;

import io.wirefx.ipc.TunnelState;
import io.wirefx.ui.tunnels.TunnelItem;
import io.wirefx.ui.tunnels.TunnelsViewModel;
import java.util.HashMap;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javafx.beans.value.ChangeListener;
import javafx.collections.ListChangeListener;

/**
 * Decides which tunnel events become desktop notifications: up (RUNNING), down (STOPPED after running), failed
 * (with the service's reason), and a running tunnel that has had no handshake for {@link #NO_HANDSHAKE_MS} since it
 * came up. One notice per event; none while the window has focus (the window shows it already). States a tunnel
 * has when it is first listed (at start, after a reconnect) are not events. UI thread only.
 */
public final class TunnelNotifications {
    /** How long a running tunnel may go without its first handshake before the user is told. */
    public static final long NO_HANDSHAKE_MS = 120_000;

    private final ResourceBundle bundle;
    private final LongSupplier clock;
    private final BooleanSupplier windowFocused;
    private final Consumer<Notice> out;
    private final Map<TunnelItem, ChangeListener<TunnelState>> watched = new HashMap<>();
    private final Map<String, Long> runningSince = new HashMap<>();

    /**
     * @param clock         epoch milliseconds
     * @param windowFocused whether the main window has the focus now
     * @param out           receives each notice (the D-Bus notifier in the app)
     */
    public TunnelNotifications(TunnelsViewModel tunnels, ResourceBundle bundle, LongSupplier clock,
                               BooleanSupplier windowFocused, Consumer<Notice> out) {
        this.bundle = bundle;
        this.clock = clock;
        this.windowFocused = windowFocused;
        this.out = out;
        tunnels.tunnels().forEach(this::watch);
        tunnels.tunnels().addListener((ListChangeListener<TunnelItem>) c -> {
            while (c.next()) {
                c.getRemoved().forEach(this::unwatch);
                c.getAddedSubList().forEach(this::watch);
            }
        });
    }

    private void watch(TunnelItem item) {
        if (watched.containsKey(item)) {
            return;
        }
        if (item.state() == TunnelState.RUNNING) {
            runningSince.putIfAbsent(item.name(), clock.getAsLong());
        }
        ChangeListener<TunnelState> l = (obs, o, n) -> changed(item, o, n);
        watched.put(item, l);
        item.stateProperty().addListener(l);
    }

    private void unwatch(TunnelItem item) {
        ChangeListener<TunnelState> l = watched.remove(item);
        if (l != null) {
            item.stateProperty().removeListener(l);
        }
    }

    private void changed(TunnelItem item, TunnelState from, TunnelState to) {
        String name = item.name();
        if (to == TunnelState.RUNNING) {
            runningSince.put(name, clock.getAsLong());
            send(Notice.Kind.UP, name, "notify.up", "");
        } else {
            runningSince.remove(name);
        }
        if (to == TunnelState.STOPPED && (from == TunnelState.RUNNING || from == TunnelState.STOPPING)) {
            send(Notice.Kind.DOWN, name, "notify.down", "");
        } else if (to == TunnelState.FAILED) {
            String reason = item.failureReason();
            send(Notice.Kind.FAILED, name, "notify.failed", reason == null ? "" : reason);
        }
    }

    /** Checks the handshake deadlines; the app calls this every few seconds. */
    public void tick() {
        long now = clock.getAsLong();
        for (TunnelItem item : watched.keySet()) {
            Long since = runningSince.get(item.name());
            if (since != null && item.isAwaitingHandshake() && now - since >= NO_HANDSHAKE_MS) {
                runningSince.remove(item.name()); // once per running period
                send(Notice.Kind.NO_HANDSHAKE, item.name(), "notify.noHandshake",
                        bundle.getString("notify.noHandshake.body"));
            } else if (since != null && !item.isAwaitingHandshake() && item.state() == TunnelState.RUNNING) {
                runningSince.remove(item.name()); // handshake done: nothing more to watch
            }
        }
    }

    private void send(Notice.Kind kind, String tunnel, String summaryKey, String body) {
        if (windowFocused.getAsBoolean()) {
            return;
        }
        out.accept(new Notice(kind, tunnel, String.format(bundle.getString(summaryKey), tunnel), body));
    }
}
