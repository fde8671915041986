package io.wirefx.daemon.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.wirefx.ipc.ErrorCode;
import io.wirefx.ipc.Event;
import io.wirefx.ipc.EventKind;
import io.wirefx.ipc.ImportEntry;
import io.wirefx.ipc.IpcClient;
import io.wirefx.ipc.IpcException;
import io.wirefx.ipc.IpcTransports;
import io.wirefx.ipc.LogEntry;
import io.wirefx.ipc.PeerDetails;
import io.wirefx.ipc.PeerStats;
import io.wirefx.ipc.Response;
import io.wirefx.ipc.TunnelState;
import io.wirefx.ipc.TunnelStats;
import io.wirefx.ipc.TunnelSummary;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The {@code wirefx} commands that go through the service: {@code list}, {@code up}, {@code down},
 * {@code import}, {@code show}, {@code log}, {@code export}. Options anywhere: {@code --socket ADDRESS} (or
 * {@code WIREFX_SOCKET}; a socket path, or on Windows a pipe name: {@link IpcTransports} picks the transport),
 * {@code --json} (machine-readable output), {@code --timeout SECONDS} (how long up/down wait
 * for the tunnel, default 120).
 */
public final class ClientCli {
    public static final int OK = 0;
    public static final int BAD_INPUT = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;
    public static final int FAILED = 4;

    /** Environment variable naming the socket. */
    public static final String SOCKET_ENV = "WIREFX_SOCKET";
    /** Commands handled here. */
    public static final Set<String> COMMANDS = Set.of("list", "up", "down", "import", "show", "set", "log",
            "export");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL).build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private String socket;
    private boolean json;
    private Duration waitTimeout = Duration.ofSeconds(120);

    public ClientCli(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static String usage() {
        return """
                  list              the tunnels and their states
                  up NAME           start a tunnel and wait until it runs (or failed)
                  down NAME         stop a tunnel and wait until it is down
                  import FILE…      add NAME.conf files (or zips of them); --replace overwrites stopped tunnels
                  show [NAME]       configuration (keys hidden unless admin), settings and live counters
                  set NAME block-untunneled on|off [--allow-lan]
                  set NAME on-demand off | [--wifi] [--wired] [--trusted SSID]…
                                    change a tunnel's settings (admin)
                  log [-f] [-n N]   the service log (last N lines, default 100; -f follows)
                  export ZIP        write a zip of all configurations (admin)
                These talk to the service: --socket ADDRESS or WIREFX_SOCKET (default /run/wirefx/wirefx.sock;
                on Windows the pipe \\\\.\\pipe\\WireFX\\service),
                --json for scripts, --timeout SECONDS for up/down (default 120).""";
    }

    /**
     * The picocli subcommands of the service commands, bound to this client: {@code list}, {@code up}, {@code down},
     * {@code import}, {@code show}, {@code set}, {@code log}, {@code export} (in that order).
     */
    public List<Object> commands() {
        return List.of(new ListCommand(), new UpCommand(), new DownCommand(), new ImportCommand(),
                new ShowCommand(), new SetCommand(), new LogCommand(), new ExportCommand());
    }

    /** Runs one command; {@code args} are the command's words (options anywhere). */
    public int run(String command, List<String> args) {
        for (Object c : commands()) {
            CommandLine cl = new CommandLine(c);
            if (cl.getCommandName().equals(command)) {
                cl.setParameterExceptionHandler((ex, a) -> {
                    err.println("wirefx: " + ex.getMessage());
                    err.println(usage());
                    return USAGE;
                });
                cl.setOut(new java.io.PrintWriter(out, true));
                cl.setErr(new java.io.PrintWriter(err, true));
                return cl.execute(args.toArray(String[]::new));
            }
        }
        err.println("wirefx: unknown command '" + command + "'");
        return USAGE;
    }

    /** Options every service command takes. */
    static final class ServiceOptions {
        @CommandLine.Option(names = "--socket", paramLabel = "ADDRESS",
                description = "the service's socket path or pipe name (default: $WIREFX_SOCKET, else "
                        + "/run/wirefx/wirefx.sock; on Windows \\\\.\\pipe\\WireFX\\service)")
        String socket;

        @CommandLine.Option(names = "--json", description = "machine output (the protocol records of docs/ipc.md)")
        boolean json;

        @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
        boolean help;
    }

    /** A service command: applies the common options, maps failures to exit codes. */
    private abstract class ServiceCommand implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Mixin
        ServiceOptions options = new ServiceOptions();

        @Override
        public final Integer call() {
            String s = env.get(SOCKET_ENV);
            socket = options.socket != null ? options.socket
                    : s == null || s.isBlank() ? IpcTransports.defaultAddress() : s;
            json = options.json;
            try {
                return execute();
            } catch (IpcException e) {
                err.println("wirefx: " + e.getMessage());
                return codeFor(e.code());
            } catch (IOException e) {
                err.println("wirefx: cannot reach the service at " + socket + ": " + e.getMessage()
                        + " (is wirefx-service running? --socket/WIREFX_SOCKET)");
                return UNREACHABLE;
            }
        }

        abstract int execute() throws IOException, IpcException;
    }

    @CommandLine.Command(name = "list", description = "the tunnels and their states")
    private final class ListCommand extends ServiceCommand {
        @Override
        int execute() throws IOException, IpcException {
            return list();
        }
    }

    /** {@code up} and {@code down}: change a tunnel's state and wait for the outcome. */
    private abstract class UpDownCommand extends ServiceCommand {
        private final boolean up;

        @CommandLine.Parameters(paramLabel = "NAME", description = "the tunnel")
        String name;

        @CommandLine.Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
                description = "how long to wait for the tunnel's state (default ${DEFAULT-VALUE})")
        long timeoutSeconds;

        UpDownCommand(boolean up) {
            this.up = up;
        }

        @Override
        int execute() throws IOException, IpcException {
            waitTimeout = Duration.ofSeconds(timeoutSeconds);
            return upDown(name, up);
        }
    }

    @CommandLine.Command(name = "up", description = "start a tunnel and wait until it runs (or failed)")
    private final class UpCommand extends UpDownCommand {
        UpCommand() {
            super(true);
        }
    }

    @CommandLine.Command(name = "down", description = "stop a tunnel and wait until it is down")
    private final class DownCommand extends UpDownCommand {
        DownCommand() {
            super(false);
        }
    }

    @CommandLine.Command(name = "import", description = "add NAME.conf files (or zips of them)")
    private final class ImportCommand extends ServiceCommand {
        @CommandLine.Parameters(paramLabel = "FILE", arity = "1..*", description = "NAME.conf or ZIP files")
        List<String> files;

        @CommandLine.Option(names = "--replace", description = "overwrite stopped tunnels of the same name")
        boolean replace;

        @Override
        int execute() throws IOException, IpcException {
            return importFiles(files, replace);
        }
    }

    @CommandLine.Command(name = "show", description = "configuration (keys hidden unless admin) and live counters")
    private final class ShowCommand extends ServiceCommand {
        @CommandLine.Parameters(paramLabel = "NAME", arity = "0..1", description = "one tunnel (default: all)")
        String name;

        @Override
        int execute() throws IOException, IpcException {
            return show(name);
        }
    }

    @CommandLine.Command(name = "set", description = {"change a tunnel's settings (admin):",
            "  set NAME block-untunneled on|off [--allow-lan]: for a full tunnel, drop all traffic that does not go "
                    + "through the tunnel (kill switch), from its next start",
            "  set NAME on-demand off | [--wifi] [--wired] [--trusted SSID]...: the service starts the tunnel on "
                    + "Wi-Fi networks (except trusted SSIDs) and/or wired networks, and stops it elsewhere"})
    private final class SetCommand extends ServiceCommand {
        @CommandLine.Parameters(index = "0", paramLabel = "NAME", description = "the tunnel")
        String name;

        @CommandLine.Parameters(index = "1", paramLabel = "SETTING", description = "block-untunneled or on-demand")
        String setting;

        @CommandLine.Parameters(index = "2", arity = "0..1", paramLabel = "VALUE",
                description = "on|off (block-untunneled); off, or nothing with rule options (on-demand)")
        String value;

        @CommandLine.Option(names = "--allow-lan", description = "block-untunneled on: still allow the local network")
        boolean allowLan;

        @CommandLine.Option(names = "--wifi", description = "on-demand: up on Wi-Fi networks not trusted")
        boolean wifi;

        @CommandLine.Option(names = "--wired", description = "on-demand: up on wired networks")
        boolean wired;

        @CommandLine.Option(names = "--trusted", paramLabel = "SSID",
                description = "on-demand with --wifi: a trusted Wi-Fi network (repeatable); the tunnel is down there")
        List<String> trusted = new ArrayList<>();

        @Override
        int execute() throws IOException, IpcException {
            return set(this);
        }
    }

    @CommandLine.Command(name = "log", description = "the service log")
    private final class LogCommand extends ServiceCommand {
        @CommandLine.Option(names = {"-f", "--follow"}, description = "keep printing new lines")
        boolean follow;

        @CommandLine.Option(names = "-n", paramLabel = "N", defaultValue = "100",
                description = "the last N lines (default ${DEFAULT-VALUE})")
        int lines;

        @Override
        int execute() throws IOException, IpcException {
            return log(lines, follow);
        }
    }

    @CommandLine.Command(name = "export", description = "write a zip of all configurations (admin; contains keys)")
    private final class ExportCommand extends ServiceCommand {
        @CommandLine.Parameters(paramLabel = "ZIP", description = "the zip to write (0600)")
        Path zip;

        @Override
        int execute() throws IOException, IpcException {
            return export(zip);
        }
    }

    /** The exit code for a refusal. */
    static int codeFor(ErrorCode code) {
        return switch (code) {
            case NOT_FOUND, ALREADY_EXISTS, INVALID_NAME, INVALID_CONFIG, INVALID_ARCHIVE, TOO_LARGE -> BAD_INPUT;
            case ACCESS_DENIED, FORBIDDEN, BUSY, UNSUPPORTED_VERSION, HELLO_REQUIRED -> UNREACHABLE;
            default -> FAILED;
        };
    }

    private IpcClient connect(IpcClient.Listener listener) throws IOException, IpcException {
        return IpcClient.connect(socket, "wirefx-cli", listener, IpcClient.DEFAULT_TIMEOUT);
    }

    private int list() throws IOException, IpcException {
        try (IpcClient c = connect(null)) {
            List<TunnelSummary> tunnels = c.list();
            if (json) {
                printJson(tunnels);
                return OK;
            }
            if (tunnels.isEmpty()) {
                out.println("no tunnels");
            }
            for (TunnelSummary t : tunnels) {
                out.printf("%-15s  %-8s  %s  (%d peer%s)%s%n", t.name(), t.state(), String.join(", ", t.addresses()),
                        t.peerCount(), t.peerCount() == 1 ? "" : "s",
                        t.interfaceName() == null || t.interfaceName().equals(t.name()) ? ""
                                : "  on " + t.interfaceName());
            }
            return OK;
        }
    }

    private int upDown(String name, boolean up) throws IOException, IpcException {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        try (IpcClient c = connect(events::add)) {
            c.subscribe(EnumSet.of(EventKind.TUNNEL_STATE));
            if (up) {
                c.start(name);
            } else {
                c.stop(name);
            }
            TunnelState state = c.get(name).state();
            String reason = null;
            long deadline = System.nanoTime() + waitTimeout.toNanos();
            while (!done(state, up)) {
                long left = deadline - System.nanoTime();
                Event e;
                try {
                    e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    e = null;
                }
                if (e == null) {
                    err.println("wirefx: " + name + " is still " + state + " after " + waitTimeout.toSeconds() + " s");
                    return FAILED;
                }
                if (e instanceof Event.TunnelStateChanged sc && sc.name().equals(name)) {
                    state = sc.state();
                    reason = sc.reason();
                }
            }
            // A failure that happened before the state was read: its event (with the reason) is already queued.
            for (Event e = events.poll(); state == TunnelState.FAILED && reason == null && e != null; e = events.poll()) {
                if (e instanceof Event.TunnelStateChanged sc && sc.name().equals(name)
                        && sc.state() == TunnelState.FAILED) {
                    reason = sc.reason();
                }
            }
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", name);
                m.put("state", state);
                m.put("reason", reason);
                printJson(m);
            } else if (state == TunnelState.FAILED) {
                err.println("wirefx: " + name + " failed" + (reason == null ? "" : ": " + reason));
            } else {
                out.println(name + " is " + (up ? "up" : "down"));
            }
            return state == TunnelState.FAILED ? FAILED : OK;
        }
    }

    private static boolean done(TunnelState s, boolean up) {
        return s == TunnelState.FAILED || (up ? s == TunnelState.RUNNING : s == TunnelState.STOPPED);
    }

    private int importFiles(List<String> files, boolean replace) throws IOException, IpcException {
        int code = OK;
        List<ImportEntry> all = new ArrayList<>();
        try (IpcClient c = connect(null)) {
            for (String f : files) {
                Path p = Path.of(f);
                byte[] data;
                try {
                    data = Files.readAllBytes(p);
                } catch (NoSuchFileException e) {
                    err.println("wirefx: " + f + ": no such file");
                    code = BAD_INPUT;
                    continue;
                } catch (IOException e) {
                    err.println("wirefx: " + f + ": cannot read: " + e.getMessage());
                    code = BAD_INPUT;
                    continue;
                }
                List<ImportEntry> entries;
                String fileName = p.getFileName().toString();
                if (fileName.endsWith(".zip")) {
                    entries = c.importZip(data, replace);
                } else {
                    var name = io.wirefx.core.config.TunnelNames.fromFileName(fileName);
                    if (name.isEmpty()) {
                        err.println("wirefx: " + f + ": the file name must be NAME.conf (NAME a valid interface "
                                + "name) or a .zip");
                        code = BAD_INPUT;
                        continue;
                    }
                    entries = c.importConfig(name.get(), new String(data, StandardCharsets.UTF_8), replace);
                }
                for (ImportEntry e : entries) {
                    all.add(e);
                    if (e.error() != null) {
                        code = BAD_INPUT;
                        if (!json) {
                            String where = e.configError() == null ? "" : ":" + e.configError().line();
                            err.println("wirefx: " + f + (fileName.endsWith(".zip") ? "!" + e.entry() : "") + where
                                    + ": " + (e.message() == null ? e.error() : e.message()));
                        }
                    } else if (!json) {
                        out.println("imported " + e.tunnel());
                    }
                }
            }
        }
        if (json) {
            printJson(all);
        }
        return code;
    }

    private int set(SetCommand a) throws IOException, IpcException {
        String problem = null;
        boolean odOptions = a.wifi || a.wired || !a.trusted.isEmpty();
        switch (a.setting) {
            case "block-untunneled" -> {
                if (!"on".equals(a.value) && !"off".equals(a.value)) {
                    problem = "block-untunneled needs on or off" + (a.value == null ? "" : ", not `" + a.value + "'");
                } else if (a.allowLan && "off".equals(a.value)) {
                    problem = "--allow-lan goes with block-untunneled on";
                } else if (odOptions) {
                    problem = "--wifi, --wired and --trusted go with on-demand";
                }
            }
            case "on-demand" -> {
                if (a.value != null && !"off".equals(a.value)) {
                    problem = "on-demand takes off, or rule options (--wifi, --wired, --trusted SSID), not `"
                            + a.value + "'";
                } else if ("off".equals(a.value) && odOptions) {
                    problem = "on-demand off takes no rule options";
                } else if (a.value == null && !a.wifi && !a.wired) {
                    problem = "on-demand needs --wifi and/or --wired (or off)";
                } else if (!a.trusted.isEmpty() && !a.wifi) {
                    problem = "--trusted SSID goes with --wifi (trusted networks are Wi-Fi networks)";
                } else if (a.allowLan) {
                    problem = "--allow-lan goes with block-untunneled on";
                }
            }
            default -> problem = "unknown setting `" + a.setting + "' (block-untunneled or on-demand)";
        }
        if (problem != null) {
            err.println("wirefx: set: " + problem);
            err.println("See 'wirefx help set'.");
            return USAGE;
        }
        io.wirefx.ipc.OnDemandRules rules = null;
        if (a.setting.equals("on-demand")) {
            try {
                rules = a.value != null ? io.wirefx.ipc.OnDemandRules.OFF
                        : new io.wirefx.ipc.OnDemandRules(a.wifi, a.wired, a.trusted);
            } catch (IllegalArgumentException e) {
                err.println("wirefx: set: " + e.getMessage());
                return USAGE;
            }
        }
        try (IpcClient c = connect(null)) {
            io.wirefx.ipc.TunnelSettings current;
            boolean available;
            try {
                Response.Settings got = c.settings(a.name);
                current = got.settings();
                available = got.onDemandAvailable();
            } catch (IpcException e) {
                if (e.code() != ErrorCode.FAILED) {
                    throw e;
                }
                err.println("wirefx: warning: " + e.getMessage() + "; the defaults are changed and saved instead");
                current = io.wirefx.ipc.TunnelSettings.DEFAULT;
                available = false;
            }
            io.wirefx.ipc.TunnelSettings next = rules != null
                    ? new io.wirefx.ipc.TunnelSettings(current.blockUntunneled(), current.allowLan(), rules)
                    : new io.wirefx.ipc.TunnelSettings("on".equals(a.value), "on".equals(a.value) && a.allowLan,
                    current.onDemand());
            c.setSettings(a.name, next);
            Response.TunnelConfig t = c.get(a.name);
            if (json) {
                printJson(next);
                return OK;
            }
            out.println(a.name + ": " + describeBlock(next));
            out.println(a.name + ": " + describeOnDemand(next.onDemand()));
            if (rules == null && next.blockUntunneled() && t.details() != null && t.details().peers().stream()
                    .flatMap(p -> p.allowedIps().stream()).noneMatch(ip -> ip.endsWith("/0"))) {
                err.println("wirefx: note: " + a.name + " is not a full tunnel (no allowed IP of /0); nothing is "
                        + "blocked unless it becomes one");
            }
            if (rules == null && t.state() != TunnelState.STOPPED && t.state() != TunnelState.FAILED) {
                err.println("wirefx: note: " + a.name + " is " + t.state() + "; the kill switch setting applies "
                        + "from its next start");
            }
            if (rules != null && rules.enabled() && !available) {
                err.println("wirefx: note: the service cannot follow the machine's networks (on Linux it needs "
                        + "NetworkManager); the rules are kept and apply once it can");
            }
            return OK;
        }
    }

    static String describeBlock(io.wirefx.ipc.TunnelSettings s) {
        return "block untunneled traffic: " + (!s.blockUntunneled() ? "off"
                : s.allowLan() ? "on (local network allowed)" : "on");
    }

    static String describeOnDemand(io.wirefx.ipc.OnDemandRules r) {
        if (!r.enabled()) {
            return "on demand: off";
        }
        List<String> parts = new ArrayList<>();
        if (r.onWifi()) {
            parts.add("on Wi-Fi" + (r.trustedSsids().isEmpty() ? "" : " except " + r.trustedSsids().stream()
                    .map(x -> "\"" + x + "\"").collect(java.util.stream.Collectors.joining(", "))));
        }
        if (r.onWired()) {
            parts.add("on wired networks");
        }
        return "on demand: " + String.join("; ", parts);
    }

    private int show(String name) throws IOException, IpcException {
        try (IpcClient c = connect(null)) {
            List<String> names = name != null ? List.of(name) : c.list().stream().map(TunnelSummary::name).toList();
            List<Map<String, Object>> jsonOut = new ArrayList<>();
            Map<String, TunnelStats> stats = new LinkedHashMap<>();
            for (TunnelStats s : c.stats(name)) {
                stats.put(s.name(), s);
            }
            for (String n : names) {
                Response.TunnelConfig t = c.get(n);
                TunnelStats st = stats.get(n);
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", n);
                    m.put("state", t.state());
                    m.put("interface", st == null ? null : st.interfaceName());
                    m.put("details", t.details());
                    m.put("settings", t.settings());
                    m.put("stats", st == null ? null : st.peers());
                    jsonOut.add(m);
                    continue;
                }
                out.println("tunnel: " + n + " (" + t.state() + ")");
                if (st != null && st.interfaceName() != null) {
                    out.println("  interface: " + st.interfaceName());
                }
                if (t.settings() != null) {
                    out.println("  " + describeBlock(t.settings()));
                    out.println("  " + describeOnDemand(t.settings().onDemand()));
                } else {
                    String why;
                    try {
                        c.settings(n);
                        why = "unknown";
                    } catch (IpcException e) {
                        why = e.getMessage();
                    }
                    out.println("  settings: cannot be read: " + why);
                }
                if (t.details() == null) {
                    out.println("  (the stored configuration is invalid)");
                    continue;
                }
                out.println("  public key: " + t.details().iface().publicKey());
                if (!t.details().iface().addresses().isEmpty()) {
                    out.println("  addresses: " + String.join(", ", t.details().iface().addresses()));
                }
                for (PeerDetails p : t.details().peers()) {
                    out.println("  peer: " + p.publicKey());
                    if (p.endpoint() != null) {
                        out.println("    endpoint: " + p.endpoint());
                    }
                    out.println("    allowed ips: " + String.join(", ", p.allowedIps()));
                    PeerStats ps = st == null ? null : st.peers().stream()
                            .filter(x -> x.publicKey().equals(p.publicKey())).findFirst().orElse(null);
                    if (ps != null) {
                        out.println("    latest handshake: " + ago(ps.lastHandshakeEpochMillis()));
                        out.println("    transfer: " + bytes(ps.rxBytes()) + " received, " + bytes(ps.txBytes())
                                + " sent");
                    }
                }
            }
            if (json) {
                printJson(name != null ? jsonOut.getFirst() : jsonOut);
            }
            return OK;
        }
    }

    static String ago(long epochMillis) {
        if (epochMillis <= 0) {
            return "never";
        }
        long s = Math.max(0, (System.currentTimeMillis() - epochMillis) / 1000);
        return s + (s == 1 ? " second ago" : " seconds ago");
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.2f %s", v, units[u]);
    }

    private int log(int lines, boolean follow) throws IOException, IpcException {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        try (IpcClient c = connect(follow ? events::add : null)) {
            if (follow) {
                c.logFollow(true); // first, so that no line falls between the tail and the follow
            }
            Response.LogLines tail = c.logTail(lines);
            long last = -1;
            for (LogEntry e : tail.lines()) {
                print(e);
                last = e.seq();
            }
            while (follow && c.isConnected()) {
                Event e;
                try {
                    e = events.poll(1, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return OK;
                }
                if (e instanceof Event.LogLine l && l.entry().seq() > last) {
                    print(l.entry());
                    last = l.entry().seq();
                }
            }
            if (follow) {
                err.println("wirefx: the service closed the connection");
                return UNREACHABLE;
            }
            return OK;
        }
    }

    private void print(LogEntry e) {
        if (json) {
            printJson(e);
        } else {
            out.println(TIME.format(Instant.ofEpochMilli(e.epochMillis())) + " " + e.level()
                    + (e.tunnel() == null ? "" : " " + e.tunnel() + ":") + " " + e.message());
        }
        out.flush();
    }

    private int export(Path zip) throws IOException, IpcException {
        byte[] data;
        try (IpcClient c = connect(null)) {
            data = c.exportZip();
        }
        try {
            Files.deleteIfExists(zip);
            Files.createFile(zip, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(zip, data, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            err.println("wirefx: cannot write " + zip + ": " + e.getMessage());
            return BAD_INPUT;
        }
        if (json) {
            printJson(Map.of("file", zip.toString(), "bytes", data.length));
        } else {
            out.println("wrote " + zip + " (" + data.length + " bytes; it contains private keys)");
        }
        return OK;
    }

    private void printJson(Object o) {
        try {
            out.println(JSON.writeValueAsString(o));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
