package io.wirefx.ipc;

import java.util.Objects;

/**
 * The server's answer to {@link ClientHello} when the caller is allowed in.
 *
 * @param version       the protocol version both sides use from now on (≤ the client's)
 * @param serverVersion the service's software version, free text
 * @param role          what this caller may do
 */
public record ServerHello(int version, String serverVersion, Role role) implements Message {
    public ServerHello {
        Objects.requireNonNull(serverVersion, "serverVersion");
        Objects.requireNonNull(role, "role");
    }
}
