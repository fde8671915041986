package io.wirefx.ipc;

import java.util.List;
import java.util.Objects;

/**
 * Traffic counters of one running tunnel, per peer, and what the running tunnel actually uses.
 *
 * @param interfaceName the OS interface the tunnel runs on (may differ from its name); null if not known
 * @param listenPort    the UDP port the tunnel listens on (chosen by the system when the configuration names none),
 *                      or null if not known
 * @param mtu           the interface's MTU now (set automatically when the configuration names none), or null
 */
public record TunnelStats(String name, List<PeerStats> peers, String interfaceName, Integer listenPort, Integer mtu) {
    public TunnelStats {
        Objects.requireNonNull(name, "name");
        peers = peers == null ? List.of() : List.copyOf(peers);
    }

    /** Counters without the interface name, listen port and MTU. */
    public TunnelStats(String name, List<PeerStats> peers) {
        this(name, peers, null, null, null);
    }

    /** Counters and the interface name, without listen port and MTU. */
    public TunnelStats(String name, List<PeerStats> peers, String interfaceName) {
        this(name, peers, interfaceName, null, null);
    }
}
