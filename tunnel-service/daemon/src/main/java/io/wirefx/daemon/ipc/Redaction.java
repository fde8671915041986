package io.wirefx.daemon.ipc;

import io.wirefx.daemon.log.LogRing;
import io.wirefx.ipc.ErrorCode;
import io.wirefx.ipc.Event;
import io.wirefx.ipc.LogEntry;
import io.wirefx.ipc.Message;
import io.wirefx.ipc.Response;
import io.wirefx.ipc.Role;

import java.util.List;

/**
 * The one place where outgoing messages are filtered by role: every answer and every event goes through
 * {@link #forRole} before it is encoded for a connection. Admins get everything; for others private and preshared
 * keys are removed from configurations, configuration text is regenerated without comments and with hidden keys,
 * free-text fields are passed through the log key mask, and exports are refused.
 */
public final class Redaction {
    private Redaction() {
    }

    public static Message forRole(Role role, Message m) {
        if (role == Role.ADMIN) {
            return m;
        }
        return switch (m) {
            case Response.TunnelConfig c -> new Response.TunnelConfig(c.id(), c.name(), c.state(),
                    c.redacted() ? c.text() : TunnelViews.redactedText(c.text()), true,
                    c.details() == null ? null : c.details().redacted());
            case Response.ExportResult e -> new Response.Failure(e.id(), ErrorCode.FORBIDDEN, null);
            case Response.LogLines l -> new Response.LogLines(l.id(), mask(l.lines()), l.truncated());
            case Response.Failure f -> new Response.Failure(f.id(), f.code(), LogRing.redact(f.message()),
                    f.configError());
            case Event.LogLine l -> new Event.LogLine(mask(l.entry()));
            case Event.TunnelStateChanged s -> new Event.TunnelStateChanged(s.name(), s.state(),
                    s.reason() == null ? null : LogRing.redact(s.reason()));
            default -> m;
        };
    }

    private static List<LogEntry> mask(List<LogEntry> lines) {
        return lines.stream().map(Redaction::mask).toList();
    }

    private static LogEntry mask(LogEntry e) {
        return new LogEntry(e.seq(), e.epochMillis(), e.level(), e.tunnel(), LogRing.redact(e.message()));
    }
}
