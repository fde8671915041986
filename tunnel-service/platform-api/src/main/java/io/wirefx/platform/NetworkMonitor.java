package io.wirefx.platform;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The networks the machine is connected to, as the OS's network manager sees them, and their changes. Used by the
 * service's on-demand rules.
 *
 * <p>A monitor may be unavailable from the start (no network manager on this OS or machine) or become unavailable
 * later (the manager or its bus went away); {@link Snapshot#unavailable()} then says why, and a monitor that can
 * recover reports a new snapshot when it does. Listeners are called on the monitor's own thread, one call at a
 * time, with every snapshot that differs from the previous one; they must not block for long.
 */
public interface NetworkMonitor extends AutoCloseable {

    /** The kind of link an active connection runs over. */
    enum Kind { WIFI, WIRED, OTHER }

    /**
     * One active (fully activated) connection.
     *
     * @param id   the network manager's name for it (for logs)
     * @param kind the kind of link
     * @param ssid for {@link Kind#WIFI}, the network's SSID as text (empty when unknown or hidden); empty otherwise.
     *             An SSID that is not valid UTF-8 contains U+FFFD for each malformed sequence
     *             ({@link #NOT_UTF8}), and is never equal to a trusted SSID
     */
    record Connection(String id, Kind kind, Optional<String> ssid) {
        public Connection {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(kind, "kind");
            ssid = Objects.requireNonNullElse(ssid, Optional.empty());
        }

        /** For logs: {@code Wi-Fi 'Cafe'}, {@code wired (Wired connection 1)}, {@code other (lo)}. */
        public String describe() {
            return switch (kind) {
                case WIFI -> "Wi-Fi '" + ssid.orElse("") + "'";
                case WIRED -> "wired (" + id + ")";
                case OTHER -> "other (" + id + ")";
            };
        }
    }

    /** What stands in an SSID for each byte sequence that is not UTF-8. */
    char NOT_UTF8 = '\uFFFD';

    /**
     * The state at one moment.
     *
     * @param connections the active connections (empty when offline or unavailable)
     * @param unavailable why the state is unknown, or empty when the connections are known
     */
    record Snapshot(List<Connection> connections, Optional<String> unavailable) {
        public Snapshot {
            connections = List.copyOf(connections);
            unavailable = Objects.requireNonNullElse(unavailable, Optional.empty());
        }

        public static Snapshot of(List<Connection> connections) {
            return new Snapshot(connections, Optional.empty());
        }

        public static Snapshot unavailable(String why) {
            return new Snapshot(List.of(), Optional.of(why));
        }

        public boolean available() {
            return unavailable.isEmpty();
        }
    }

    /** The latest state (does not block on the network manager). */
    Snapshot current();

    /** Calls {@code listener} with each new snapshot until the returned handle is closed. */
    AutoCloseable subscribe(Consumer<Snapshot> listener);

    /** Stops following the network; no listener is called afterwards. */
    @Override
    void close();

    /** A monitor that is unavailable for good, for {@code why}. */
    static NetworkMonitor unavailable(String why) {
        Snapshot s = Snapshot.unavailable(why);
        return new NetworkMonitor() {
            @Override
            public Snapshot current() {
                return s;
            }

            @Override
            public AutoCloseable subscribe(Consumer<Snapshot> listener) {
                return () -> { };
            }

            @Override
            public void close() {
            }
        };
    }
}
