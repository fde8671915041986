package io.wirefx.daemon.client;

import io.wirefx.platform.unix.UnixSocketEndpoints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirefx.core.crypto.KeyPair;
import io.wirefx.daemon.ipc.IpcServer;
import io.wirefx.daemon.ipc.SimulatedTunnelService;
import io.wirefx.daemon.log.LogRing;
import io.wirefx.daemon.store.ConfigStore;
import io.wirefx.ipc.ErrorCode;
import io.wirefx.ipc.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service commands of the CLI against a real socket served by the simulated service. */
@Timeout(60)
class ClientCliTest {
    @TempDir
    Path tmp;

    ConfigStore store;
    SimulatedTunnelService service;
    IpcServer server;
    final AtomicReference<Role> role = new AtomicReference<>(Role.ADMIN);
    String privateKey;

    record Result(int code, String out, String err) {
    }

    @BeforeEach
    void setUp() throws Exception {
        store = ConfigStore.open(tmp.resolve("tunnels"));
        LogRing log = new LogRing(1000, Clock.systemUTC());
        service = new SimulatedTunnelService(store, log, Duration.ofMillis(20), Duration.ofMillis(100),
                Clock.systemUTC());
        server = IpcServer.builder(service, log).socketPath(tmp.resolve("s.sock"))
                .endpoints(new UnixSocketEndpoints((u, g) -> Optional.of(role.get()))).build().start();
        privateKey = KeyPair.generate(new SecureRandom()).privateKey().toBase64();
    }

    @AfterEach
    void tearDown() {
        server.close();
        service.close();
    }

    Result cli(Map<String, String> env, String command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new ClientCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env).run(command, Arrays.asList(args));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Result cli(String command, String... args) {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        a.add("--socket");
        a.add(tmp.resolve("s.sock").toString());
        return cli(Map.of(), command, a.toArray(String[]::new));
    }

    Path conf(String name) throws Exception {
        Path p = tmp.resolve(name);
        String peer = KeyPair.generate(new SecureRandom()).publicKey().toBase64();
        Files.writeString(p, "[Interface]\nPrivateKey = " + privateKey + "\nAddress = 10.9.0.2/24\n\n[Peer]\n"
                + "PublicKey = " + peer + "\nAllowedIPs = 10.9.0.0/24\n");
        return p;
    }

    @Test
    void importListUpShowDownWithTextAndJson() throws Exception {
        Result imported = cli("import", conf("wg7.conf").toString());
        assertEquals(0, imported.code(), imported.err());
        assertEquals("imported wg7\n", imported.out());
        Result list = cli("list");
        assertTrue(list.out().matches("(?s)wg7\\s+STOPPED\\s+10\\.9\\.0\\.2/24\\s+\\(1 peer\\)\\s*"), list.out());
        assertEquals(0, cli("up", "wg7").code());
        JsonNode json = new ObjectMapper().readTree(cli("list", "--json").out());
        assertEquals("RUNNING", json.get(0).get("state").asText());
        Result show = cli("show", "wg7");
        assertTrue(show.out().contains("tunnel: wg7 (RUNNING)") && show.out().contains("allowed ips: 10.9.0.0/24"),
                show.out());
        Result down = cli("down", "wg7", "--json");
        assertEquals("STOPPED", new ObjectMapper().readTree(down.out()).get("state").asText());
    }

    @Test
    void setChangesEachSettingShowPrintsThemAndOperatorsAreRefused() throws Exception {
        cli("import", conf("wg7.conf").toString());
        Result block = cli("set", "wg7", "block-untunneled", "on", "--allow-lan");
        assertEquals(0, block.code(), block.err());
        assertTrue(block.out().contains("wg7: block untunneled traffic: on (local network allowed)"), block.out());
        assertTrue(block.err().contains("not a full tunnel"), block.err());
        Result od = cli("set", "wg7", "on-demand", "--wifi", "--trusted", "home", "--trusted", "Café 5G");
        assertEquals(0, od.code(), od.err());
        assertTrue(od.out().contains("on demand: on Wi-Fi except \"home\", \"Café 5G\""), od.out());
        assertTrue(od.err().contains("NetworkManager"), "on-demand unavailable is said: " + od.err());
        io.wirefx.ipc.TunnelSettings want = new io.wirefx.ipc.TunnelSettings(true, true,
                new io.wirefx.ipc.OnDemandRules(true, false, List.of("home", "Café 5G")));
        assertEquals(want, store.settings("wg7"), "on-demand kept the kill switch setting");

        Result show = cli("show", "wg7");
        assertTrue(show.out().contains("  block untunneled traffic: on (local network allowed)\n"), show.out());
        assertTrue(show.out().contains("  on demand: on Wi-Fi except \"home\", \"Café 5G\"\n"), show.out());
        JsonNode json = new ObjectMapper().readTree(cli("show", "wg7", "--json").out());
        assertTrue(json.get("settings").get("blockUntunneled").asBoolean());
        assertEquals("Café 5G", json.get("settings").get("onDemand").get("trustedSsids").get(1).asText());

        assertEquals(0, cli("set", "wg7", "block-untunneled", "off").code());
        assertEquals(0, cli("set", "wg7", "on-demand", "--wired").code());
        assertEquals(new io.wirefx.ipc.TunnelSettings(false, false,
                new io.wirefx.ipc.OnDemandRules(false, true, List.of())), store.settings("wg7"));
        assertEquals(0, cli("set", "wg7", "on-demand", "off").code());
        assertEquals(io.wirefx.ipc.TunnelSettings.DEFAULT, store.settings("wg7"));

        role.set(Role.OPERATOR);
        Result refused = cli("set", "wg7", "block-untunneled", "on");
        assertEquals(ClientCli.UNREACHABLE, refused.code());
        assertTrue(refused.err().contains("only admins"), refused.err());
        assertEquals(io.wirefx.ipc.TunnelSettings.DEFAULT, store.settings("wg7"));
        assertTrue(cli("show", "wg7").out().contains("block untunneled traffic: off"), "operators read them");
    }

    @Test
    void setRefusesWhatMakesNoSenseNamingTheProblem() throws Exception {
        cli("import", conf("wg7.conf").toString());
        for (List<String> bad : List.of(
                List.of("wg7", "block-untunneled"),
                List.of("wg7", "block-untunneled", "maybe"),
                List.of("wg7", "block-untunneled", "off", "--allow-lan"),
                List.of("wg7", "block-untunneled", "on", "--wifi"),
                List.of("wg7", "on-demand"),
                List.of("wg7", "on-demand", "on"),
                List.of("wg7", "on-demand", "off", "--wired"),
                List.of("wg7", "on-demand", "--wired", "--trusted", "x"),
                List.of("wg7", "on-demand", "--wifi", "--trusted", "x".repeat(33)),
                List.of("wg7", "kill-switch", "on"))) {
            Result r = cli("set", bad.toArray(String[]::new));
            assertEquals(ClientCli.USAGE, r.code(), bad + ": " + r.err());
            assertTrue(r.err().startsWith("wirefx: set: "), r.err());
        }
        assertEquals(io.wirefx.ipc.TunnelSettings.DEFAULT, store.settings("wg7"));
        Result missing = cli("set", "nosuch", "block-untunneled", "on");
        assertEquals(ClientCli.BAD_INPUT, missing.code());
        assertTrue(missing.err().contains("nosuch"), missing.err());
    }

    @Test
    void exitCodesFollowTheUsage() throws Exception {
        assertEquals(ClientCli.USAGE, cli("up").code());
        assertEquals(ClientCli.USAGE, cli("list", "--bogus").code());
        assertEquals(ClientCli.BAD_INPUT, cli("up", "nosuch").code());
        assertEquals(ClientCli.BAD_INPUT, cli("import", tmp.resolve("missing.conf").toString()).code());
        Path bad = tmp.resolve("bad.conf");
        Files.writeString(bad, "[Interface]\nPrivateKey = nope\n");
        Result r = cli("import", bad.toString());
        assertEquals(ClientCli.BAD_INPUT, r.code());
        assertTrue(r.err().contains("bad.conf:2"), r.err());

        cli("import", conf("wg8.conf").toString());
        service.failNextStart("wg8", "RTNETLINK says no");
        Result failed = cli("up", "wg8");
        assertEquals(ClientCli.FAILED, failed.code());
        assertTrue(failed.err().contains("RTNETLINK says no"), failed.err());

        Result unreachable = cli(Map.of(ClientCli.SOCKET_ENV, tmp.resolve("nothing.sock").toString()), "list");
        assertEquals(ClientCli.UNREACHABLE, unreachable.code());
        assertTrue(unreachable.err().contains("nothing.sock"), unreachable.err());
        assertEquals(ClientCli.UNREACHABLE, ClientCli.codeFor(ErrorCode.ACCESS_DENIED));
        role.set(Role.OPERATOR);
        assertEquals(ClientCli.UNREACHABLE, cli("export", tmp.resolve("x.zip").toString()).code(), "FORBIDDEN");
    }

    @Test
    void logFollowPrintsNewLinesUntilTheServiceGoesAway() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        AtomicReference<Integer> code = new AtomicReference<>();
        Thread follower = Thread.ofPlatform().start(() -> code.set(new ClientCli(ps, ps, Map.of()).run("log",
                List.of("-f", "--socket", tmp.resolve("s.sock").toString()))));
        while (!out.toString(StandardCharsets.UTF_8).contains("listening on")) { // the tail came
            Thread.sleep(20);
        }
        cli("import", conf("wg5.conf").toString());
        while (!out.toString(StandardCharsets.UTF_8).contains("imported wg5")) { // followed
            Thread.sleep(20);
        }
        server.close();
        follower.join();
        assertEquals(ClientCli.UNREACHABLE, code.get(), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void exportWritesAPrivateZipAndShowHidesKeysFromOperators() throws Exception {
        cli("import", conf("wg9.conf").toString());
        Path zip = tmp.resolve("all.zip");
        assertEquals(0, cli("export", zip.toString()).code());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(zip)));
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(zip))) {
            assertEquals("wg9.conf", z.getNextEntry().getName());
        }
        role.set(Role.OPERATOR);
        Result show = cli("show", "--json");
        assertEquals(0, show.code());
        assertFalse(show.out().contains(privateKey), show.out());
        assertTrue(show.out().contains("\"name\":\"wg9\""), show.out());
    }
}
