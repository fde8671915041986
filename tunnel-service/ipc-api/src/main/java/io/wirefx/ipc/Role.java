package io.wirefx.ipc;

/** What a connected caller may do; decided by the service from the caller's Unix credentials. */
public enum Role {
    /** Operate tunnels: list, read (secrets redacted), start, stop, stats, logs, events. */
    OPERATOR,
    /** Everything, including editing tunnels, reading private/preshared keys and exporting. */
    ADMIN
}
