package io.wirefx.ipc;

/** Life cycle of one tunnel as the service reports it. */
public enum TunnelState {
    STOPPED,
    STARTING,
    RUNNING,
    STOPPING,
    /** The last start failed or the running tunnel broke; the event's reason says why. Startable again. */
    FAILED
}
