package io.wirefx.ipc;

import java.util.List;
import java.util.Objects;

/** Traffic counters of one running tunnel, per peer. */
public record TunnelStats(String name, List<PeerStats> peers) {
    public TunnelStats {
        Objects.requireNonNull(name, "name");
        peers = peers == null ? List.of() : List.copyOf(peers);
    }
}
