package io.wirefx.ui.tunnels;

import io.wirefx.ipc.TunnelState;
import java.util.Locale;
import java.util.ResourceBundle;

/** The text and CSS style class of a tunnel state badge. */
public final class StateBadges {
    private StateBadges() {
    }

    /** Localized state name: Stopped, Starting…, Running, Stopping…, Failed. */
    public static String text(ResourceBundle bundle, TunnelState state) {
        return bundle.getString("state." + state.name().toLowerCase(Locale.ROOT));
    }

    /**
     * The badge of a list row: its state's, "Unknown" while the service is not connected (a stale state would
     * mislead), and "Running" becomes "Waiting" while no handshake completed.
     */
    public static Badge of(ResourceBundle bundle, TunnelItem item, boolean serviceConnected) {
        if (!serviceConnected) {
            return new Badge(bundle.getString("state.unknown"), bundle.getString("state.unknown.long"),
                    "badge-unknown");
        }
        if (item.isAwaitingHandshake()) {
            return new Badge(bundle.getString("state.waiting"), bundle.getString("state.waiting.long"),
                    "badge-waiting");
        }
        String text = text(bundle, item.state());
        return new Badge(text, text, styleClass(item.state()));
    }

    /**
     * A state badge.
     *
     * @param text       the short badge text
     * @param longText   the detail pane's status and the accessible text
     * @param styleClass the CSS class of badge and dot
     */
    public record Badge(String text, String longText, String styleClass) {
    }

    /** {@code badge-stopped}, {@code badge-starting}, {@code badge-running}, {@code badge-stopping}, {@code badge-failed}. */
    public static String styleClass(TunnelState state) {
        return "badge-" + state.name().toLowerCase(Locale.ROOT);
    }
}
