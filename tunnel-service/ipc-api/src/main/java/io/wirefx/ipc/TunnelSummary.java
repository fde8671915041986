package io.wirefx.ipc;

import java.util.List;
import java.util.Objects;

/**
 * One tunnel in a list: no secrets, so the same for every role.
 *
 * @param addresses the interface addresses ({@code 10.0.0.2/24})
 * @param publicKey     the interface's public key (Base64), or null if the configuration cannot be read
 * @param interfaceName the OS interface of a running tunnel ({@code wg0}, {@code utun4}, an adapter name), which
 *                      the platform chooses and may differ from the tunnel's name; null while not running
 */
public record TunnelSummary(String name, TunnelState state, List<String> addresses, int peerCount, String publicKey,
                            String interfaceName) {
    public TunnelSummary {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    /** A tunnel that has no interface (not running). */
    public TunnelSummary(String name, TunnelState state, List<String> addresses, int peerCount, String publicKey) {
        this(name, state, addresses, peerCount, publicKey, null);
    }
}
