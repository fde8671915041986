package io.wirefx.ipc;

import java.util.Objects;

/**
 * What the service keeps for a tunnel beside its wg-quick configuration. No secrets: the same for every role.
 *
 * @param blockUntunneled for a full tunnel (an allowed IP of {@code /0}), drop every packet that would leave other
 *                        than through the tunnel or to a peer's endpoint ("kill switch"); ignored otherwise
 * @param allowLan        with {@code blockUntunneled}, still allow the directly connected local networks
 * @param onDemand        when the service starts and stops the tunnel by itself
 */
public record TunnelSettings(boolean blockUntunneled, boolean allowLan, OnDemandRules onDemand) {
    /** A new tunnel's settings: nothing blocked, no on-demand rules. */
    public static final TunnelSettings DEFAULT = new TunnelSettings(false, false, OnDemandRules.OFF);

    public TunnelSettings {
        onDemand = Objects.requireNonNullElse(onDemand, OnDemandRules.OFF);
    }
}
