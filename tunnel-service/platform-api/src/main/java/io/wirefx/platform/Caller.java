package io.wirefx.platform;

import io.wirefx.ipc.Role;

import java.util.Objects;
import java.util.Optional;

/**
 * A connecting process as the OS identified it.
 *
 * @param name a user name for messages and the log (a numeric id where it has no name)
 * @param role the role its identity grants at this endpoint; empty: refused
 */
public record Caller(String name, Optional<Role> role) {
    public Caller {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }
}
