package io.wirefx.ipc;

import java.util.List;
import java.util.Objects;

/**
 * One tunnel in a list: no secrets, so the same for every role.
 *
 * @param addresses the interface addresses ({@code 10.0.0.2/24})
 * @param publicKey the interface's public key (Base64), or null if the configuration cannot be read
 */
public record TunnelSummary(String name, TunnelState state, List<String> addresses, int peerCount, String publicKey) {
    public TunnelSummary {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }
}
