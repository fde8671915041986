package io.wirefx.ui.service;

import io.wirefx.ipc.Role;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the UI stands with the tunnel service.
 *
 * @param status what is going on
 * @param role   the granted role while {@link Status#CONNECTED}, else null
 * @param socket the socket path tried
 * @param detail the technical cause (English, from the client library) for the failure states, else null
 */
public record ConnectionState(Status status, Role role, Path socket, String detail) {

    /** Connection life cycle. */
    public enum Status {
        /** First attempt in progress. */
        CONNECTING,
        /** Hello done; requests work. */
        CONNECTED,
        /** The socket does not exist or nobody listens: the service is not running. */
        UNREACHABLE,
        /** The socket exists but the operating system refused to open it (file permissions). */
        PERMISSION_DENIED,
        /** The service answered ACCESS_DENIED: the user is in none of its groups. */
        ACCESS_DENIED,
        /** No common protocol version, or the service talks nonsense. */
        INCOMPATIBLE,
        /** The service is at its connection limit. */
        BUSY
    }

    public ConnectionState {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(socket, "socket");
    }

    public static ConnectionState connecting(Path socket) {
        return new ConnectionState(Status.CONNECTING, null, socket, null);
    }

    public static ConnectionState connected(Path socket, Role role) {
        return new ConnectionState(Status.CONNECTED, Objects.requireNonNull(role, "role"), socket, null);
    }

    public boolean isConnected() {
        return status == Status.CONNECTED;
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
