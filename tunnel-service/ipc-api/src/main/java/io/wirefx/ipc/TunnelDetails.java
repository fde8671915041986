package io.wirefx.ipc;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;
import java.util.Objects;

/** A tunnel's parsed configuration: the interface and its peers, in file order. */
public record TunnelDetails(InterfaceDetails iface, List<PeerDetails> peers) {
    public TunnelDetails {
        Objects.requireNonNull(iface, "iface");
        peers = peers == null ? List.of() : List.copyOf(peers);
    }

    /** The same without private and preshared keys (what non-admins get). */
    public TunnelDetails redacted() {
        return new TunnelDetails(iface.redacted(), peers.stream().map(PeerDetails::redacted).toList());
    }

    /** True if no private or preshared key is present. */
    @JsonIgnore
    public boolean isRedacted() {
        return iface.privateKey() == null && peers.stream().allMatch(p -> p.presharedKey() == null);
    }
}
