package io.wirefx.daemon.ipc;

import io.wirefx.ipc.TunnelDetails;
import io.wirefx.ipc.TunnelState;

import java.util.Objects;

/**
 * One tunnel as the service holds it, secrets included; the server redacts it for non-admins.
 *
 * @param text    the stored wg-quick text
 * @param details the parsed configuration, or null if the stored text does not parse
 */
public record TunnelView(String name, TunnelState state, String text, TunnelDetails details) {
    public TunnelView {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
        return "TunnelView[name=" + name + ", state=" + state + "]";
    }
}
