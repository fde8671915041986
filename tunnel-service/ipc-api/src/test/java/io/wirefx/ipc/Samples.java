package io.wirefx.ipc;

import java.util.EnumSet;
import java.util.List;

/** One instance of every message type, with every optional field set. */
final class Samples {
    static final String PRIV = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
    static final String PUB = "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=";
    static final String PSK = "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=";

    private Samples() {
    }

    static TunnelDetails details() {
        return new TunnelDetails(
                new InterfaceDetails(PRIV, PUB, 51820, 0x1234L, List.of("10.0.0.2/24", "fd00::2/64"),
                        List.of("10.0.0.1", "example.com"), 1420, "auto", List.of("echo up"), List.of(), List.of(),
                        List.of("echo down"), false),
                List.of(new PeerDetails(PUB, PSK, true, List.of("0.0.0.0/0", "::/0"), "vpn.example.com:51820", 25),
                        new PeerDetails(PUB, null, false, List.of(), null, null)));
    }

    static List<Message> all() {
        LogEntry log = new LogEntry(7, 1_700_000_000_000L, LogLevel.WARN, "wg0", "handshake did not complete");
        TunnelStats stats = new TunnelStats("wg0", List.of(new PeerStats(PUB, 100, 200, 1_700_000_000_123L)));
        ConfigError ce = new ConfigError(3, "PEER", "AllowedIPs", "INVALID_CIDR",
                "line 3, [Peer] AllowedIPs: INVALID_CIDR (\"10.0.0.300/24\")");
        return List.of(
                new ClientHello(1, "test-client 1.0"),
                new ServerHello(1, "wirefx 0.1.0", Role.ADMIN),
                new Request.Ping(1),
                new Request.ListTunnels(2),
                new Request.GetTunnel(3, "wg0"),
                new Request.ImportTunnels(4, "wg0", "[Interface]\n", null, true),
                new Request.ImportTunnels(5, null, null, "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==", false),
                new Request.CreateTunnel(6, "wg0", "[Interface]\n"),
                new Request.UpdateTunnel(7, "wg0", "[Interface]\n"),
                new Request.RenameTunnel(8, "wg0", "wg1"),
                new Request.DeleteTunnel(9, "wg1"),
                new Request.StartTunnel(10, "wg0"),
                new Request.StopTunnel(11, "wg0"),
                new Request.GetStats(12, "wg0"),
                new Request.GetStats(13, null),
                new Request.LogTail(14, 100),
                new Request.LogFollow(15, true),
                new Request.Subscribe(16, EnumSet.of(EventKind.TUNNEL_STATE, EventKind.STATS)),
                new Request.Export(17),
                new Request.GetSettings(18, "wg0"),
                new Request.SetSettings(19, "wg0", new TunnelSettings(true, true,
                        new OnDemandRules(true, false, List.of("home", "Café 5G")))),
                new Request.SetSettings(20, "wg0", TunnelSettings.DEFAULT),
                new Response.Pong(1),
                new Response.Ok(6),
                new Response.Failure(7, ErrorCode.INVALID_CONFIG, "invalid configuration", ce),
                new Response.Failure(0, ErrorCode.ACCESS_DENIED, null),
                new Response.TunnelList(2, List.of(new TunnelSummary("wg0", TunnelState.RUNNING,
                        List.of("10.0.0.2/24"), 2, PUB), new TunnelSummary("bad", TunnelState.STOPPED, null, 0, null))),
                new Response.TunnelConfig(3, "wg0", TunnelState.STOPPED, "[Interface]\nPrivateKey = " + PRIV + "\n",
                        false, details()),
                new Response.TunnelConfig(3, "wg0", TunnelState.STOPPED, "[Interface]\n", true, null,
                        new TunnelSettings(true, false, OnDemandRules.OFF)),
                new Response.Settings(18, "wg0", new TunnelSettings(false, false,
                        new OnDemandRules(false, true, List.of())), true),
                new Response.ImportResult(4, List.of(new ImportEntry("wg0.conf", "wg0", null, null, null),
                        new ImportEntry("bad.conf", "bad", ErrorCode.INVALID_CONFIG, "invalid configuration", ce),
                        new ImportEntry("../x.conf", null, ErrorCode.INVALID_NAME, "path not allowed", null))),
                new Response.Stats(12, List.of(stats)),
                new Response.LogLines(14, List.of(log), true),
                new Response.ExportResult(17, "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==", 0),
                new Event.TunnelStateChanged("wg0", TunnelState.FAILED, "no such device"),
                new Event.TunnelsChanged(),
                new Event.StatsUpdate(List.of(stats)),
                new Event.LogLine(log),
                new Event.EventsLost(12),
                new Event.SettingsChanged("wg0", new TunnelSettings(true, true,
                        new OnDemandRules(true, true, List.of("office")))));
    }
}
