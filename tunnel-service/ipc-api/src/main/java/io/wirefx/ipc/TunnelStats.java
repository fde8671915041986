package io.wirefx.ipc;

import java.util.List;
import java.util.Objects;

/**
 * Traffic counters of one running tunnel, per peer.
 *
 * @param interfaceName the OS interface the tunnel runs on (may differ from its name); null if not known
 */
public record TunnelStats(String name, List<PeerStats> peers, String interfaceName) {
    public TunnelStats {
        Objects.requireNonNull(name, "name");
        peers = peers == null ? List.of() : List.copyOf(peers);
    }

    /** Counters without the interface name. */
    public TunnelStats(String name, List<PeerStats> peers) {
        this(name, peers, null);
    }
}
