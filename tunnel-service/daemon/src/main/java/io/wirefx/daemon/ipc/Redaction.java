package io.wirefx.daemon.ipc;

import io.wirefx.daemon.log.LogRing;
import io.wirefx.ipc.ClientHello;
import io.wirefx.ipc.ErrorCode;
import io.wirefx.ipc.Event;
import io.wirefx.ipc.ImportEntry;
import io.wirefx.ipc.LogEntry;
import io.wirefx.ipc.Message;
import io.wirefx.ipc.Request;
import io.wirefx.ipc.Response;
import io.wirefx.ipc.Role;
import io.wirefx.ipc.ServerHello;

import java.util.List;

/**
 * The one place where outgoing messages are filtered by role: every answer and every event goes through
 * {@link #forRole} before it is encoded for a connection. Admins get everything; for others private and preshared
 * keys are removed from configurations, configuration text is regenerated without comments and with hidden keys,
 * free-text fields are passed through the log key mask, and exports are refused.
 *
 * <p>Deny by default: the switches below name every message type of the sealed protocol and have no default
 * branch, so a new message type does not compile until someone decides here what an operator may see of it.
 */
public final class Redaction {
    private Redaction() {
    }

    public static Message forRole(Role role, Message m) {
        if (role == Role.ADMIN) {
            return m;
        }
        return switch (m) {
            case Response r -> response(r);
            case Event e -> event(e);
            case ServerHello h -> h;
            case ClientHello h -> h;
            case Request r -> new Response.Failure(r.id(), ErrorCode.FORBIDDEN, null); // the server sends none
        };
    }

    private static Message response(Response r) {
        return switch (r) {
            case Response.Pong p -> p;
            case Response.Ok o -> o;
            case Response.TunnelList l -> l; // names, states, addresses, public keys
            case Response.Stats s -> s; // counters and public keys
            case Response.TunnelConfig c -> new Response.TunnelConfig(c.id(), c.name(), c.state(),
                    c.redacted() ? c.text() : TunnelViews.redactedText(c.text()), true,
                    c.details() == null ? null : c.details().redacted(), c.settings());
            case Response.ExportResult e -> new Response.Failure(e.id(), ErrorCode.FORBIDDEN, null);
            case Response.Settings s -> s; // switches and SSIDs, no secrets
            case Response.LogLines l -> new Response.LogLines(l.id(), mask(l.lines()), l.truncated());
            case Response.Failure f -> new Response.Failure(f.id(), f.code(), LogRing.redact(f.message()),
                    f.configError());
            case Response.ImportResult i -> new Response.ImportResult(i.id(), i.entries().stream()
                    .map(e -> new ImportEntry(e.entry(), e.tunnel(), e.error(), LogRing.redact(e.message()),
                            e.configError())).toList());
        };
    }

    private static Message event(Event e) {
        return switch (e) {
            case Event.LogLine l -> new Event.LogLine(mask(l.entry()));
            case Event.TunnelStateChanged s -> new Event.TunnelStateChanged(s.name(), s.state(),
                    s.reason() == null ? null : LogRing.redact(s.reason()));
            case Event.TunnelsChanged c -> c;
            case Event.SettingsChanged c -> c; // switches and SSIDs, no secrets
            case Event.StatsUpdate u -> u;
            case Event.EventsLost l -> l;
        };
    }

    private static List<LogEntry> mask(List<LogEntry> lines) {
        return lines.stream().map(Redaction::mask).toList();
    }

    private static LogEntry mask(LogEntry e) {
        return new LogEntry(e.seq(), e.epochMillis(), e.level(), e.tunnel(), LogRing.redact(e.message()));
    }
}
