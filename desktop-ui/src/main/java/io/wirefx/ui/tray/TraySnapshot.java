package io.wirefx.ui.tray;

import io.wirefx.ipc.TunnelState;
import java.util.List;

/**
 * What the tray shows, as plain data handed from the UI thread to the AWT thread.
 *
 * @param serviceConnected the service answers
 * @param anyActive        a tunnel is running or starting: the icon shows "connected"
 * @param onlyWaiting      the active tunnels all wait for their first handshake: the icon shows "waiting"
 * @param tooltip          icon tooltip
 * @param tunnels          every tunnel, in list order
 */
public record TraySnapshot(boolean serviceConnected, boolean anyActive, boolean onlyWaiting, String tooltip,
                           List<Entry> tunnels) {

    public TraySnapshot {
        tunnels = List.copyOf(tunnels);
    }

    /**
     * One tunnel's menu item.
     *
     * @param label name plus a state hint for transient and failed states
     */
    public record Entry(String name, TunnelState state, String label) {
        /** The checkbox is ticked while the tunnel is running or starting. */
        public boolean checked() {
            return state == TunnelState.RUNNING || state == TunnelState.STARTING;
        }

        /** Items are disabled while stopping (a click could not do anything useful). */
        public boolean enabled() {
            return state != TunnelState.STOPPING;
        }
    }
}
