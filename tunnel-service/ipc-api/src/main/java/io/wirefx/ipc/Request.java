package io.wirefx.ipc;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A client's request. Each carries an {@code id} chosen by the client (positive, unique among its outstanding
 * requests); the one {@link Response} to it echoes that id. Requests on one connection are answered in order.
 */
public sealed interface Request extends Message {
    /** The client-chosen request id. */
    long id();

    private static String need(String value, String what) {
        return Objects.requireNonNull(value, what);
    }

    /** Liveness check; answered with {@link Response.Pong}. */
    record Ping(long id) implements Request {
    }

    /** All tunnels; answered with {@link Response.TunnelList}. */
    record ListTunnels(long id) implements Request {
    }

    /** One tunnel's configuration; answered with {@link Response.TunnelConfig} (keys redacted unless admin). */
    record GetTunnel(long id, String name) implements Request {
        public GetTunnel {
            need(name, "name");
        }
    }

    /**
     * Imports either one configuration ({@code name} + {@code text}) or a zip of {@code NAME.conf} files
     * ({@code zipBase64}); answered with {@link Response.ImportResult}, one entry per file. Admin only.
     *
     * @param replace overwrite existing tunnels of the same name instead of reporting ALREADY_EXISTS
     */
    record ImportTunnels(long id, String name, String text, String zipBase64, boolean replace) implements Request {
        public ImportTunnels {
            if ((text == null) == (zipBase64 == null)) {
                throw new IllegalArgumentException("exactly one of text and zipBase64 is needed");
            }
            if (text != null) {
                need(name, "name");
            }
        }

        /** Hides the configuration text and archive. */
        @Override
        public String toString() {
            return "ImportTunnels[id=" + id + ", name=" + name + (text != null ? ", text" : ", zip") + ", replace="
                    + replace + "]";
        }
    }

    /** Creates a tunnel from wg-quick text; answered with {@link Response.Ok}. Admin only. */
    record CreateTunnel(long id, String name, String text) implements Request {
        public CreateTunnel {
            need(name, "name");
            need(text, "text");
        }

        @Override
        public String toString() {
            return "CreateTunnel[id=" + id + ", name=" + name + "]";
        }
    }

    /** Replaces a tunnel's configuration; answered with {@link Response.Ok}. Admin only. */
    record UpdateTunnel(long id, String name, String text) implements Request {
        public UpdateTunnel {
            need(name, "name");
            need(text, "text");
        }

        @Override
        public String toString() {
            return "UpdateTunnel[id=" + id + ", name=" + name + "]";
        }
    }

    /** Renames a tunnel; answered with {@link Response.Ok}. Admin only. */
    record RenameTunnel(long id, String name, String newName) implements Request {
        public RenameTunnel {
            need(name, "name");
            need(newName, "newName");
        }
    }

    /** Deletes a tunnel; answered with {@link Response.Ok}. Admin only. */
    record DeleteTunnel(long id, String name) implements Request {
        public DeleteTunnel {
            need(name, "name");
        }
    }

    /** Starts a tunnel; answered with {@link Response.Ok} once accepted; progress comes as state events. */
    record StartTunnel(long id, String name) implements Request {
        public StartTunnel {
            need(name, "name");
        }
    }

    /** Stops a tunnel; answered with {@link Response.Ok} once accepted; progress comes as state events. */
    record StopTunnel(long id, String name) implements Request {
        public StopTunnel {
            need(name, "name");
        }
    }

    /** Counters of one running tunnel, or of all running tunnels if {@code name} is null. */
    record GetStats(long id, String name) implements Request {
    }

    /** The last {@code lines} log lines (at most the ring's capacity); answered with {@link Response.LogLines}. */
    record LogTail(long id, int lines) implements Request {
    }

    /** Turns the {@link EventKind#LOG} subscription on or off; answered with {@link Response.Ok}. */
    record LogFollow(long id, boolean follow) implements Request {
    }

    /** Sets the event kinds this connection receives (replacing the previous set); answered with {@link Response.Ok}. */
    record Subscribe(long id, Set<EventKind> kinds) implements Request {
        public Subscribe {
            kinds = kinds == null || kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
        }
    }

    /**
     * One tunnel's {@link TunnelSettings}; answered with {@link Response.Settings}. Every role may read them (they
     * hold no secrets).
     */
    record GetSettings(long id, String name) implements Request {
        public GetSettings {
            need(name, "name");
        }
    }

    /**
     * Replaces one tunnel's {@link TunnelSettings}; answered with {@link Response.Ok}, followed by
     * {@link Event.SettingsChanged}. The kill switch setting applies from the tunnel's next start. Admin only.
     */
    record SetSettings(long id, String name, TunnelSettings settings) implements Request {
        public SetSettings {
            need(name, "name");
            Objects.requireNonNull(settings, "settings");
        }
    }

    /** A zip of all configurations ({@code NAME.conf} entries); answered with {@link Response.ExportResult}. Admin only. */
    record Export(long id) implements Request {
    }
}
