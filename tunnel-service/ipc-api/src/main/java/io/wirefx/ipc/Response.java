package io.wirefx.ipc;

import java.util.List;
import java.util.Objects;

/** The server's answer to one {@link Request}, with the request's {@code id}. */
public sealed interface Response extends Message {
    /** The id of the request answered, or 0 if the request's id could not be read. */
    long id();

    /** Answer to {@link Request.Ping}. */
    record Pong(long id) implements Response {
    }

    /** Success without data. */
    record Ok(long id) implements Response {
    }

    /**
     * The request failed (or, with id 0, the connection is refused or the frame could not be read).
     *
     * @param message     human-readable English, safe to show
     * @param configError set for {@link ErrorCode#INVALID_CONFIG}
     */
    record Failure(long id, ErrorCode code, String message, ConfigError configError) implements Response {
        public Failure {
            Objects.requireNonNull(code, "code");
            if (message == null) {
                message = code.defaultMessage();
            }
        }

        public Failure(long id, ErrorCode code, String message) {
            this(id, code, message, null);
        }
    }

    /** Answer to {@link Request.ListTunnels}, sorted by name. */
    record TunnelList(long id, List<TunnelSummary> tunnels) implements Response {
        public TunnelList {
            tunnels = tunnels == null ? List.of() : List.copyOf(tunnels);
        }
    }

    /**
     * Answer to {@link Request.GetTunnel}.
     *
     * @param text     the wg-quick file: as stored for admins; for others regenerated without comments and with
     *                 {@code PrivateKey}/{@code PresharedKey} values replaced by {@code (hidden)}
     * @param redacted true if keys were removed from {@code text} and {@code details}
     * @param settings the tunnel's settings; null if they could not be read (then {@link Request.GetSettings} says
     *                 why)
     */
    record TunnelConfig(long id, String name, TunnelState state, String text, boolean redacted,
                        TunnelDetails details, TunnelSettings settings) implements Response {
        public TunnelConfig {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(text, "text");
        }

        /** Without settings. */
        public TunnelConfig(long id, String name, TunnelState state, String text, boolean redacted,
                            TunnelDetails details) {
            this(id, name, state, text, redacted, details, null);
        }

        /** Hides the text, which may hold keys. */
        @Override
        public String toString() {
            return "TunnelConfig[id=" + id + ", name=" + name + ", state=" + state + ", redacted=" + redacted + "]";
        }
    }

    /**
     * Answer to {@link Request.GetSettings}.
     *
     * @param onDemandAvailable whether the service can follow the machine's networks (NetworkManager on Linux), so
     *                          that on-demand rules take effect; the rules are kept either way
     */
    record Settings(long id, String name, TunnelSettings settings, boolean onDemandAvailable) implements Response {
        public Settings {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(settings, "settings");
        }
    }

    /** Answer to {@link Request.ImportTunnels}: one entry per file, in archive order. */
    record ImportResult(long id, List<ImportEntry> entries) implements Response {
        public ImportResult {
            entries = entries == null ? List.of() : List.copyOf(entries);
        }
    }

    /** Answer to {@link Request.GetStats}. */
    record Stats(long id, List<TunnelStats> tunnels) implements Response {
        public Stats {
            tunnels = tunnels == null ? List.of() : List.copyOf(tunnels);
        }
    }

    /**
     * Answer to {@link Request.LogTail}, oldest first.
     *
     * @param truncated true if fewer lines than asked are returned because the answer would exceed the frame limit
     */
    record LogLines(long id, List<LogEntry> lines, boolean truncated) implements Response {
        public LogLines {
            lines = lines == null ? List.of() : List.copyOf(lines);
        }
    }

    /** Answer to {@link Request.Export}: a zip (Base64) with one {@code NAME.conf} per tunnel. */
    record ExportResult(long id, String zipBase64, int tunnelCount) implements Response {
        public ExportResult {
            Objects.requireNonNull(zipBase64, "zipBase64");
        }

        /** Hides the archive, which holds keys. */
        @Override
        public String toString() {
            return "ExportResult[id=" + id + ", tunnelCount=" + tunnelCount + "]";
        }
    }
}
