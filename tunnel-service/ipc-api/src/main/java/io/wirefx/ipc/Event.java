package io.wirefx.ipc;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;
import java.util.Objects;

/** A message the server pushes without a request, to connections subscribed to its {@link #kind()}. */
public sealed interface Event extends Message {
    /** The subscription this event belongs to; null for {@link EventsLost}, which every subscriber may get. */
    @JsonIgnore
    EventKind kind();

    /** A tunnel changed state. {@code reason} explains FAILED (and may be null otherwise). */
    record TunnelStateChanged(String name, TunnelState state, String reason) implements Event {
        public TunnelStateChanged {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(state, "state");
        }

        @Override
        public EventKind kind() {
            return EventKind.TUNNEL_STATE;
        }
    }

    /** The set of tunnels or a configuration changed (create, update, rename, delete, import): list again. */
    record TunnelsChanged() implements Event {
        @Override
        public EventKind kind() {
            return EventKind.TUNNELS;
        }
    }

    /** A tunnel's {@link TunnelSettings} changed (sent to {@link EventKind#TUNNELS} subscribers). */
    record SettingsChanged(String name, TunnelSettings settings) implements Event {
        public SettingsChanged {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(settings, "settings");
        }

        @Override
        public EventKind kind() {
            return EventKind.TUNNELS;
        }
    }

    /** Counters of every running tunnel, about once a second. */
    record StatsUpdate(List<TunnelStats> tunnels) implements Event {
        public StatsUpdate {
            tunnels = tunnels == null ? List.of() : List.copyOf(tunnels);
        }

        @Override
        public EventKind kind() {
            return EventKind.STATS;
        }
    }

    /** A new log line. */
    record LogLine(LogEntry entry) implements Event {
        public LogLine {
            Objects.requireNonNull(entry, "entry");
        }

        @Override
        public EventKind kind() {
            return EventKind.LOG;
        }
    }

    /**
     * This connection fell behind and {@code count} events were dropped for it just before this marker; a client
     * should re-read what it displays (list, stats).
     */
    record EventsLost(long count) implements Event {
        @Override
        public EventKind kind() {
            return null;
        }
    }
}
