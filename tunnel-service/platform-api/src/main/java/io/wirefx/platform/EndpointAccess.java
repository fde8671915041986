package io.wirefx.platform;

import java.util.Objects;

/**
 * Who may connect to an endpoint and with which role.
 *
 * @param adminGroup    members get {@link io.wirefx.ipc.Role#ADMIN} (the superuser / elevated administrators
 *                      always do)
 * @param operatorGroup members get {@link io.wirefx.ipc.Role#OPERATOR}; null: no operators (UAPI endpoints)
 */
public record EndpointAccess(String adminGroup, String operatorGroup) {
    public EndpointAccess {
        Objects.requireNonNull(adminGroup, "adminGroup");
    }

    /** Only administrators: the UAPI endpoints, like wireguard-go's. */
    public static EndpointAccess adminsOnly(String adminGroup) {
        return new EndpointAccess(adminGroup, null);
    }
}
