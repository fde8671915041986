package io.wirefx.daemon.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirefx.core.config.Config;
import io.wirefx.core.crypto.KeyPair;
import io.wirefx.daemon.client.ClientCli;
import io.wirefx.daemon.store.TestConfigs;
import io.wirefx.ipc.Event;
import io.wirefx.ipc.EventKind;
import io.wirefx.ipc.IpcClient;
import io.wirefx.ipc.TunnelState;
import io.wirefx.tun.linux.LinuxTunDriver;
import io.wirefx.tun.linux.testing.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Root only, end to end: the real service ({@link ServiceMain} in a child JVM under {@code ip netns exec A}, temp
 * state/socket/runtime directories) driven by the real CLI ({@link ClientCli}) and {@link IpcClient}; its peer is
 * Debian's wireguard-go in namespace B, joined by a veth.
 *
 * <pre>
 *  A: a0 192.168.79.2/24                     B: b0 192.168.79.1/24
 *     wirefx-service, tunnel 10.79.0.2/24       wireguard-go 10.79.0.1/24 :51820
 * </pre>
 *
 * Waits are hang guards (generous: the machine is shared); nothing asserts on speed.
 */
@Timeout(300)
class ServiceEndToEndTest {
    private static final String PEER_ADDRESS = "10.79.0.1";
    private static final String LAN_ADDRESS = "192.168.79.1";
    private static final String OUTSIDE_ADDRESS = "203.0.113.79";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    NetNs a;
    NetNs b;
    String ifA;
    String ifB;
    String privA;
    String pubB;
    final List<ServiceProcess> services = new ArrayList<>();
    final List<Process> processes = new ArrayList<>();
    final List<String> extraInterfaces = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Optional<String> cause = NetNs.unavailabilityCause().or(() -> new LinuxTunDriver().unavailabilityCause())
                .or(() -> missing("wireguard-go")).or(() -> missing("wg")).or(() -> missing("nft"))
                .or(() -> missing("ping"));
        if (cause.isPresent()) {
            System.err.println("ServiceEndToEndTest skipped: " + cause.get());
        }
        assumeTrue(cause.isEmpty(), () -> "privileged end-to-end test skipped: " + cause.orElse(""));
        a = NetNs.create("wfxsvc-");
        b = NetNs.create("wfxsvc-");
        ifA = NetNs.uniqueInterfaceName("wfs");
        ifB = NetNs.uniqueInterfaceName("wfp");
        for (NetNs n : List.of(a, b)) {
            n.ip("link", "set", "lo", "up");
            n.execChecked("sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0",
                    "net.ipv6.conf.default.accept_dad=0");
        }
        a.ip("link", "add", "a0", "type", "veth", "peer", "name", "b0", "netns", b.name());
        a.ip("address", "add", "192.168.79.2/24", "dev", "a0");
        a.ip("link", "set", "a0", "up");
        b.ip("address", "add", "192.168.79.1/24", "dev", "b0");
        b.ip("link", "set", "b0", "up");

        SecureRandom rng = new SecureRandom();
        KeyPair ka = KeyPair.generate(rng);
        KeyPair kb = KeyPair.generate(rng);
        privA = ka.privateKey().toBase64();
        pubB = kb.publicKey().toBase64();
        Path keyB = writeFile("b.key", kb.privateKey().toBase64() + "\n");
        ProcessBuilder wgGo = new ProcessBuilder("ip", "netns", "exec", b.name(), "wireguard-go", "-f", ifB)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("wireguard-go.log").toFile());
        wgGo.environment().put("LOG_LEVEL", "error");
        processes.add(wgGo.start());
        waitFor(() -> b.ipResult("link", "show", "dev", ifB).exitCode() == 0 && Files.exists(uapiSocket(ifB)),
                "wireguard-go interface and socket");
        b.execChecked("wg", "set", ifB, "private-key", keyB.toString(), "listen-port", "51820", "peer",
                ka.publicKey().toBase64(), "allowed-ips", "10.79.0.2/32");
        b.ip("address", "add", PEER_ADDRESS + "/24", "dev", ifB);
        b.ip("link", "set", ifB, "up");
    }

    @AfterEach
    void tearDown() {
        for (ServiceProcess s : services) {
            s.process.destroyForcibly();
        }
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (ServiceProcess s : services) {
            waitQuietly(s.process);
        }
        processes.forEach(ServiceEndToEndTest::waitQuietly);
        for (NetNs n : new NetNs[]{a, b}) {
            if (n != null) {
                n.close();
            }
        }
        List<String> names = new ArrayList<>(extraInterfaces);
        names.add(ifA);
        names.add(ifB);
        for (String name : names) {
            if (name != null) {
                try {
                    Files.deleteIfExists(uapiSocket(name)); // normally removed by its server
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void waitQuietly(Process p) {
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path uapiSocket(String iface) {
        return Path.of("/var/run/wireguard/" + iface + ".sock");
    }

    private static Optional<String> missing(String program) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Optional.empty();
            }
        }
        return Optional.of(program + " is not installed");
    }

    private Path writeFile(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    private static void waitFor(ServiceProcess.Check check, String what) throws Exception {
        ServiceProcess.waitFor(check, what);
    }

    Path socket() {
        return tmp.resolve("sock/wirefx.sock");
    }

    Path runtimeDir() {
        return tmp.resolve("run");
    }

    Path stateDir() {
        return tmp.resolve("state");
    }

    /** The service in A, killed in the tear-down. */
    ServiceProcess service(String... extraArgs) throws Exception {
        return service(Map.of(), extraArgs);
    }

    ServiceProcess service(Map<String, String> env, String... extraArgs) throws Exception {
        ServiceProcess s = new ServiceProcess(a, env, stateDir(), socket(), runtimeDir(), extraArgs);
        services.add(s);
        return s;
    }

    record CliResult(int code, String out, String err) {
    }

    /** The CLI's service commands, in this JVM, against the test's socket. */
    CliResult cli(String command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> words = new ArrayList<>(Arrays.asList(args));
        words.addAll(List.of("--socket", socket().toString()));
        int code = new ClientCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()).run(command, words);
        return new CliResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    CliResult cliOk(String command, String... args) {
        CliResult r = cli(command, args);
        assertEquals(0, r.code(), "wirefx " + command + " " + String.join(" ", args) + ":\n" + r.out() + r.err());
        return r;
    }

    private String tunnelConfig(String extra) {
        return "[Interface]\nPrivateKey = " + privA + "\nAddress = 10.79.0.2/24\n" + extra + "\n[Peer]\nPublicKey = "
                + pubB + "\nAllowedIPs = 10.79.0.0/24\nEndpoint = 192.168.79.1:51820\n";
    }

    private Map<String, String> snapshotA() throws Exception {
        return ServiceProcess.snapshot(a);
    }

    private void ping() throws Exception {
        NetNs.ExecResult ping = a.exec("ping", "-c", "3", "-i", "0.2", "-W", "5", PEER_ADDRESS);
        assertEquals(0, ping.exitCode(), ping.output());
        assertTrue(a.ip("route", "get", PEER_ADDRESS).contains("dev " + ifA));
    }

    private TunnelState stateOf(String name) throws Exception {
        JsonNode list = JSON.readTree(cliOk("list", "--json").out());
        for (JsonNode t : list) {
            if (t.get("name").asText().equals(name)) {
                return TunnelState.valueOf(t.get("state").asText());
            }
        }
        throw new AssertionError(name + " not listed: " + list);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void onDemandRulesStartAndStopTheTunnelAsNetworkManagerReportsNetworks() throws Exception {
        // python3-dbusmock's NetworkManager on a bus of the test's own, given to the service as its system bus.
        try (io.wirefx.platform.linux.PrivateBus bus = io.wirefx.platform.linux.PrivateBus.start(tmp);
             io.wirefx.platform.linux.MockNetworkManager nm = io.wirefx.platform.linux.MockNetworkManager.start(bus)) {
            Map<String, String> before = snapshotA();
            ServiceProcess service = service(Map.of("DBUS_SYSTEM_BUS_ADDRESS", bus.address()));
            cliOk("import", writeFile(ifA + ".conf", tunnelConfig("")).toString());
            String set = cliOk("set", ifA, "on-demand", "--wifi", "--trusted", "Home").out();
            assertTrue(set.contains("Home"), set);
            assertEquals(TunnelState.STOPPED, stateOf(ifA), "no network yet");

            String cafe = nm.joinWifi("Cafe");
            waitFor(() -> stateOf(ifA) == TunnelState.RUNNING, "on an untrusted Wi-Fi the service starts " + ifA);
            ping();
            service.awaitLine("on-demand: on Wi-Fi 'Cafe' (untrusted) → starting " + ifA);

            nm.leaveWifi(cafe);
            nm.joinWifi("Home");
            waitFor(() -> stateOf(ifA) == TunnelState.STOPPED, "on the trusted Wi-Fi the service stops " + ifA);
            assertEquals(before, snapshotA(), "down again: nothing left behind in A");

            cliOk("up", ifA); // by hand: stands until the network changes
            String wired = nm.joinWired();
            waitFor(() -> stateOf(ifA) == TunnelState.STOPPED, "a network change applies the rules again");
            nm.leaveWired(wired);
            cliOk("set", ifA, "on-demand", "off");
            assertEquals(0, service.sigtermAndWait(), service.output());
        }
    }

    @Test
    void importUpPingShowDownLeavesNothingBehind() throws Exception {
        Map<String, String> before = snapshotA();
        ServiceProcess service = service();
        Path conf = writeFile(ifA + ".conf", tunnelConfig(""));
        assertTrue(cliOk("import", conf.toString()).out().contains("imported " + ifA));
        assertEquals(TunnelState.STOPPED, stateOf(ifA));
        assertTrue(cliOk("up", ifA).out().contains(ifA + " is up"));
        assertEquals(TunnelState.RUNNING, stateOf(ifA));

        ping();
        // Stats come from the engine; the handshake time is wall-clock, so it is checked to be recent, not fast.
        JsonNode show = JSON.readTree(cliOk("show", ifA, "--json").out());
        assertEquals("RUNNING", show.get("state").asText());
        JsonNode peer = show.get("stats").get(0);
        assertTrue(peer.get("rxBytes").asLong() > 0 && peer.get("txBytes").asLong() > 0, show.toString());
        long hs = peer.get("lastHandshakeEpochMillis").asLong();
        assertTrue(hs > 0 && Math.abs(System.currentTimeMillis() - hs) < TimeUnit.MINUTES.toMillis(10),
                show.toString());
        String human = cliOk("show", ifA).out();
        assertTrue(human.contains("latest handshake: ") && !human.contains("latest handshake: never"), human);
        assertTrue(human.contains("transfer: "), human);
        // The service's own log, through the CLI, mentions the bring-up.
        assertTrue(cliOk("log", "-n", "500").out().contains(ifA + ": RUNNING"));

        assertTrue(cliOk("down", ifA).out().contains(ifA + " is down"));
        assertEquals(before, snapshotA(), "nothing left behind in A");
        assertFalse(Files.exists(runtimeDir().resolve(ifA + ".state")), "no journal left");
        assertFalse(Files.exists(uapiSocket(ifA)), "UAPI socket removed");
        assertEquals(0, service.sigtermAndWait(), service.output());
    }

    @Test
    void subscribersSeeStartingRunningAndStatsEverySecond() throws Exception {
        service();
        LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
        try (IpcClient c = IpcClient.connect(socket(), "test", events::add, Duration.ofSeconds(60))) {
            c.subscribe(EnumSet.of(EventKind.TUNNEL_STATE, EventKind.STATS));
            c.create(ifA, tunnelConfig(""));
            c.start(ifA);
            List<TunnelState> states = new ArrayList<>();
            int stats = 0;
            while (stats < 2) {
                Event e = events.poll(120, TimeUnit.SECONDS);
                assertTrue(e != null, "no event; states so far " + states);
                if (e instanceof Event.TunnelStateChanged s && s.name().equals(ifA)) {
                    states.add(s.state());
                } else if (e instanceof Event.StatsUpdate u && states.contains(TunnelState.RUNNING)) {
                    assertEquals(ifA, u.tunnels().getFirst().name());
                    stats++;
                }
            }
            assertEquals(List.of(TunnelState.STARTING, TunnelState.RUNNING), states);
            c.stop(ifA);
            while (true) {
                Event e = events.poll(120, TimeUnit.SECONDS);
                assertTrue(e != null, "no STOPPED event");
                if (e instanceof Event.TunnelStateChanged s && s.state() == TunnelState.STOPPED) {
                    break;
                }
                if (e instanceof Event.TunnelStateChanged s) {
                    assertEquals(TunnelState.STOPPING, s.state());
                }
            }
        }
    }

    @Test
    void sigkillDuringAWriteBurstLosesNoFileAndTheRestartRestoresTheTunnel() throws Exception {
        Map<String, String> before = snapshotA();
        ServiceProcess first = service();
        cliOk("import", writeFile(ifA + ".conf", tunnelConfig("")).toString());
        cliOk("up", ifA);
        ping();
        List<String> names = List.of("burst0", "burst1", "burst2", "burst3");
        Map<String, Long> acked = new ConcurrentHashMap<>();
        try (IpcClient c = IpcClient.connect(socket(), "burst", null, Duration.ofSeconds(60))) {
            for (String n : names) {
                c.create(n, TestConfigs.text(n, 0));
                acked.put(n, 0L);
            }
        }
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = Thread.ofPlatform().start(() -> {
            try (IpcClient c = IpcClient.connect(socket(), "burst", null, Duration.ofSeconds(60))) {
                for (long v = 1; !stop.get(); v++) {
                    for (String n : names) {
                        c.update(n, TestConfigs.text(n, v));
                        acked.put(n, v);
                    }
                }
            } catch (Exception e) {
                // the service was killed under us: expected
            }
        });
        waitFor(() -> acked.values().stream().allMatch(v -> v >= 5), "some acknowledged updates");
        first.process.destroyForcibly(); // SIGKILL in the middle of the burst
        assertTrue(first.process.waitFor(60, TimeUnit.SECONDS));
        stop.set(true);
        writer.join(TimeUnit.SECONDS.toMillis(60));

        for (String n : names) {
            String text = Files.readString(stateDir().resolve(n + ".conf"));
            Config.parse(text); // throws if torn
            long v = TestConfigs.versionOf(text);
            long last = acked.get(n);
            assertTrue(v == last || v == last + 1, n + ": version " + v + ", last acknowledged " + last);
        }
        assertTrue(Files.exists(runtimeDir().resolve(ifA + ".state")), "the killed run left its journal");

        ServiceProcess second = service();
        second.awaitLine(ifA + " was not shut down cleanly");
        waitFor(() -> stateOf(ifA) == TunnelState.RUNNING, ifA + " restored");
        String out = second.output();
        assertTrue(out.indexOf("not shut down cleanly") < out.indexOf(ifA + ": STARTING"),
                "the stale journal is cleaned before the restore:\n" + out);
        ping();
        assertEquals(0, second.sigtermAndWait(), second.output());
        assertEquals(before, snapshotA(), "SIGTERM took the tunnel down");
        assertEquals(ifA + "\n", Files.readString(stateDir().resolve(TunnelManager.RUNNING_FILE)),
                "still remembered for the next start");
        for (String n : names) {
            Config.parse(Files.readString(stateDir().resolve(n + ".conf")));
        }
    }

    @Test
    void overlappingTunnelsAreRefusedAndScriptsAreOffByDefault() throws Exception {
        Path marker = tmp.resolve("postup-ran");
        String other = NetNs.uniqueInterfaceName("wfo");
        extraInterfaces.add(other);
        ServiceProcess service = service();
        cliOk("import", writeFile(ifA + ".conf", tunnelConfig("")).toString());
        KeyPair k = KeyPair.generate(new SecureRandom());
        cliOk("import", writeFile(other + ".conf", "[Interface]\nPrivateKey = " + k.privateKey().toBase64()
                + "\nAddress = 10.79.0.3/24\nPostUp = touch " + marker + "\n\n[Peer]\nPublicKey = " + pubB
                + "\nAllowedIPs = 10.79.0.0/24\nEndpoint = 192.168.79.1:51821\n").toString());
        cliOk("up", ifA);
        CliResult refused = cli("up", other);
        assertEquals(ClientCli.FAILED, refused.code(), refused.out() + refused.err());
        assertTrue(refused.err().contains("overlaps tunnel " + ifA), refused.err());
        assertEquals(TunnelState.STOPPED, stateOf(other));
        ping(); // the running tunnel is untouched

        cliOk("down", ifA);
        cliOk("up", other);
        assertTrue(a.ip("link", "show", "dev", other).contains(other));
        assertFalse(Files.exists(marker), "PostUp ran although scripts are disabled");
        assertTrue(service.output().contains("scripts are disabled"), service.output());
        cliOk("down", other);
        assertEquals(0, service.sigtermAndWait());

        ServiceProcess withScripts = service("--allow-scripts");
        cliOk("up", other);
        assertTrue(Files.exists(marker), "PostUp runs once an admin enabled scripts");
        cliOk("down", other);
        assertEquals(0, withScripts.sigtermAndWait());
    }

    /** Pings {@code address} from A once; true if a reply came. */
    private boolean reaches(String address) throws Exception {
        return a.exec("ping", "-c", "1", "-W", "3", address).exitCode() == 0;
    }

    private void assertBlocked(boolean lanAllowed) throws Exception {
        assertTrue(reaches(PEER_ADDRESS), "tunnel traffic flows");
        assertFalse(reaches(OUTSIDE_ADDRESS), "traffic to a non-tunnel address is dropped");
        assertEquals(lanAllowed, reaches(LAN_ADDRESS), "the LAN is reachable only when allowed");
        assertTrue(a.execChecked("nft", "list", "tables").contains("table inet wirefx_ks_" + ifA));
    }

    private void assertOpen() throws Exception {
        assertTrue(reaches(OUTSIDE_ADDRESS), "a non-tunnel address is reachable");
        assertTrue(reaches(LAN_ADDRESS), "the LAN is reachable");
        assertFalse(a.execChecked("nft", "list", "tables").contains("wirefx_ks_"));
    }

    @Test
    @org.junit.jupiter.api.Tag("heavy") // three bring-ups, a SIGKILL and a restore: about 70 s on the shared machine
    void aFullTunnelThatBlocksUntunneledTrafficDropsItWhileUpAndAfterACrashUntilTheNextStartCleansUp()
            throws Exception {
        // An "outside" address behind B, routed through the LAN by A's main table (more specific than /0, so the
        // full tunnel's suppress_prefixlength rule would let it bypass the tunnel without the kill switch).
        b.ip("address", "add", OUTSIDE_ADDRESS + "/32", "dev", "b0");
        a.ip("route", "add", OUTSIDE_ADDRESS + "/32", "via", LAN_ADDRESS, "dev", "a0");
        Map<String, String> before = snapshotA();
        ServiceProcess first = service();
        String full = "[Interface]\nPrivateKey = " + privA + "\nAddress = 10.79.0.2/24\n\n[Peer]\nPublicKey = " + pubB
                + "\nAllowedIPs = 0.0.0.0/0\nEndpoint = " + LAN_ADDRESS + ":51820\n";
        cliOk("import", writeFile(ifA + ".conf", full).toString());
        assertOpen();

        cliOk("set", ifA, "block-untunneled", "on");
        cliOk("up", ifA);
        assertBlocked(false);
        cliOk("down", ifA);
        assertOpen();
        assertEquals(before, snapshotA(), "nothing left behind in A");

        cliOk("set", ifA, "block-untunneled", "on", "--allow-lan");
        cliOk("up", ifA);
        assertBlocked(true);

        first.process.destroyForcibly(); // SIGKILL: the rules stay (fail closed)
        assertTrue(first.process.waitFor(60, TimeUnit.SECONDS));
        assertFalse(reaches(OUTSIDE_ADDRESS), "still blocked after the service died");
        assertTrue(Files.readString(runtimeDir().resolve(ifA + ".state")).contains("nft inet wirefx_ks_" + ifA));

        ServiceProcess second = service();
        second.awaitLine(ifA + " was not shut down cleanly");
        waitFor(() -> stateOf(ifA) == TunnelState.RUNNING, ifA + " restored");
        assertBlocked(true);
        cliOk("set", ifA, "block-untunneled", "off");
        cliOk("down", ifA);
        assertOpen();
        cliOk("up", ifA);
        assertTrue(reaches(OUTSIDE_ADDRESS), "off: nothing blocked");
        cliOk("down", ifA);
        assertEquals(0, second.sigtermAndWait(), second.output());
        assertEquals(before, snapshotA(), "nothing left behind in A");
    }
}
