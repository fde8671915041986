package io.wirefx.platform.unix;

import io.wirefx.ipc.Role;

import java.util.Optional;

/** Decides a connecting caller's role from its Unix credentials; empty refuses the connection. */
@FunctionalInterface
public interface Authorizer {
    /**
     * @param user  the peer's user name (or its uid in decimal when it has no name), from SO_PEERCRED
     * @param group the peer's primary group name (or gid in decimal), from SO_PEERCRED
     */
    Optional<Role> roleOf(String user, String group);
}
