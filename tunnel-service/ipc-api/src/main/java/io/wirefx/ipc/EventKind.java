package io.wirefx.ipc;

/** The kinds of server-pushed events a client can subscribe to. */
public enum EventKind {
    /** {@link Event.TunnelStateChanged}. */
    TUNNEL_STATE,
    /**
     * {@link Event.TunnelsChanged}: a tunnel was created, changed, renamed or deleted; {@link Event.SettingsChanged}:
     * a tunnel's settings changed.
     */
    TUNNELS,
    /** {@link Event.StatsUpdate}, about once a second while a tunnel runs. */
    STATS,
    /** {@link Event.LogLine}: every new service log line. */
    LOG
}
