package io.wirefx.ipc;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonSubTypes.Type;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Everything that travels over the socket: one JSON object per frame, its {@code type} property naming the record.
 *
 * <p>The {@link JsonSubTypes} list below is the complete whitelist of types: decoding resolves {@code type} only
 * against it, so no other class can ever be instantiated from the wire.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @Type(value = ClientHello.class, name = "clientHello"),
        @Type(value = ServerHello.class, name = "serverHello"),

        @Type(value = Request.Ping.class, name = "ping"),
        @Type(value = Request.ListTunnels.class, name = "list"),
        @Type(value = Request.GetTunnel.class, name = "get"),
        @Type(value = Request.ImportTunnels.class, name = "import"),
        @Type(value = Request.CreateTunnel.class, name = "create"),
        @Type(value = Request.UpdateTunnel.class, name = "update"),
        @Type(value = Request.RenameTunnel.class, name = "rename"),
        @Type(value = Request.DeleteTunnel.class, name = "delete"),
        @Type(value = Request.StartTunnel.class, name = "start"),
        @Type(value = Request.StopTunnel.class, name = "stop"),
        @Type(value = Request.GetStats.class, name = "stats"),
        @Type(value = Request.LogTail.class, name = "logTail"),
        @Type(value = Request.LogFollow.class, name = "logFollow"),
        @Type(value = Request.Subscribe.class, name = "subscribe"),
        @Type(value = Request.Export.class, name = "export"),
        @Type(value = Request.GetSettings.class, name = "getSettings"),
        @Type(value = Request.SetSettings.class, name = "setSettings"),

        @Type(value = Response.Pong.class, name = "pong"),
        @Type(value = Response.Ok.class, name = "ok"),
        @Type(value = Response.Failure.class, name = "error"),
        @Type(value = Response.TunnelList.class, name = "tunnelList"),
        @Type(value = Response.TunnelConfig.class, name = "tunnelConfig"),
        @Type(value = Response.ImportResult.class, name = "importResult"),
        @Type(value = Response.Stats.class, name = "statsResult"),
        @Type(value = Response.LogLines.class, name = "logLines"),
        @Type(value = Response.ExportResult.class, name = "exportResult"),
        @Type(value = Response.Settings.class, name = "settings"),

        @Type(value = Event.TunnelStateChanged.class, name = "tunnelStateChanged"),
        @Type(value = Event.TunnelsChanged.class, name = "tunnelsChanged"),
        @Type(value = Event.StatsUpdate.class, name = "statsUpdate"),
        @Type(value = Event.LogLine.class, name = "logLine"),
        @Type(value = Event.EventsLost.class, name = "eventsLost"),
        @Type(value = Event.SettingsChanged.class, name = "settingsChanged"),
})
public sealed interface Message permits ClientHello, ServerHello, Request, Response, Event {
}
