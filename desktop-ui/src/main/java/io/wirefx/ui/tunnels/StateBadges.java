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

    /** {@code badge-stopped}, {@code badge-starting}, {@code badge-running}, {@code badge-stopping}, {@code badge-failed}. */
    public static String styleClass(TunnelState state) {
        return "badge-" + state.name().toLowerCase(Locale.ROOT);
    }
}
