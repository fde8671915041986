package io.wirefx.daemon.ipc;

import io.wirefx.platform.unix.AccountDatabase;
import io.wirefx.daemon.log.LogRing;
import io.wirefx.daemon.store.ConfigStore;
import io.wirefx.daemon.store.TestConfigs;
import io.wirefx.ipc.IpcClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Authorization with real users: the test (as root) creates an admin, an operator and an outsider with unique test
 * groups, runs the server with those groups, and connects as each user from a child JVM started with setpriv.
 */
@Timeout(180)
class RealUsersIpcTest {
    static TestAccounts accounts;
    static String adminGroup;
    static String operatorGroup;
    static String admin;
    static String operator;
    static String outsider;
    static Path base;
    static String classPath;
    static ConfigStore store;
    static LogRing log;
    static SimulatedTunnelService service;
    static IpcServer server;
    static IpcServer openServer; // socket mode 0666: outsiders reach the protocol and are refused there

    @BeforeAll
    static void setUp() throws Exception {
        String cause = TestAccounts.unavailabilityCause();
        Assumptions.assumeTrue(cause == null, "skipping real-user IPC tests: " + cause);
        accounts = new TestAccounts();
        adminGroup = accounts.group("adm");
        operatorGroup = accounts.group("op");
        admin = accounts.user("a", null, adminGroup, operatorGroup); // admin via supplementary membership
        operator = accounts.user("o", operatorGroup); // operator via primary group
        outsider = accounts.user("x", null);

        base = Files.createTempDirectory("wfxt");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        classPath = readableClassPath(base.resolve("cp"));
        store = ConfigStore.open(base.resolve("tunnels"));
        store.create("wg0", TestConfigs.text("wg0", 3));
        log = new LogRing();
        service = new SimulatedTunnelService(store, log, Duration.ofMillis(20), Duration.ofMillis(200),
                Clock.systemUTC());
        server = IpcServer.builder(service, log)
                .socketPath(base.resolve("run/wirefx.sock"))
                .groups(adminGroup, operatorGroup)
                .build().start();
        openServer = IpcServer.builder(service, log)
                .socketPath(base.resolve("run/open.sock"))
                .groups(adminGroup, operatorGroup)
                .build().start();
        // Anyone may connect to this one, so that the credentials alone must turn the outsider away.
        Files.setPosixFilePermissions(openServer.socketPath(), PosixFilePermissions.fromString("rw-rw-rw-"));
    }

    @AfterAll
    static void tearDown() throws IOException {
        try {
            if (server != null) {
                server.close();
            }
            if (openServer != null) {
                openServer.close();
            }
            if (service != null) {
                service.close();
            }
        } finally {
            if (accounts != null) {
                accounts.close();
            }
            if (base != null) {
                try (Stream<Path> s = Files.walk(base)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** Copies the test class path where other users can read it (the Maven repository under /root is private). */
    static String readableClassPath(Path dir) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> out = new ArrayList<>();
        int i = 0;
        for (String entry : cp.split(File.pathSeparator)) {
            Path src = Path.of(entry);
            if (!Files.exists(src)) {
                continue;
            }
            Path dst = dir.resolve(i++ + "-" + src.getFileName());
            if (Files.isDirectory(src)) {
                try (Stream<Path> s = Files.walk(src)) {
                    for (Path p : (Iterable<Path>) s::iterator) {
                        Path t = dst.resolve(src.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(t);
                        } else {
                            Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else {
                Files.createDirectories(dir);
                Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
            }
            out.add(dst.toString());
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return String.join(File.pathSeparator, out);
    }

    /** Runs {@link ScriptedClientMain} as {@code user}; returns its output lines. */
    static List<String> runAs(String user, Path socket, String... commands) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + primaryGroupOf(user),
                "--init-groups", "--", java, "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Duser.home=/tmp",
                "-cp", classPath, ScriptedClientMain.class.getName(), socket.toString()));
        cmd.addAll(List.of(commands));
        Process p = new ProcessBuilder(cmd).directory(new File("/tmp")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }

    private static String primaryGroupOf(String user) {
        return new AccountDatabase().user(user).map(u -> Long.toString(u.gid())).orElseThrow();
    }

    private static void assertNoSecrets(List<String> lines) {
        String all = String.join("\n", lines);
        for (String secret : TestConfigs.secrets("wg0", 3)) {
            assertFalse(all.contains(secret), "a secret reached a non-admin");
            assertFalse(all.contains(secret.substring(0, 16)), "part of a secret reached a non-admin");
        }
    }

    private static boolean has(List<String> lines, String prefix) {
        return lines.stream().anyMatch(l -> l.startsWith(prefix));
    }

    @Test
    void operatorOperatesButCannotEditAndSeesNoKeys() throws Exception {
        List<String> out = runAs(operator, server.socketPath(), "subscribe", "list", "get", "wg0", "start", "wg0",
                "await-state", "wg0", "RUNNING", "await-stats", "stats", "logtail", "200", "stop", "wg0",
                "await-state", "wg0", "STOPPED", "create", "evil", "1", "update", "wg0", "9", "rename", "wg0", "x",
                "delete", "wg0", "export");
        assertTrue(has(out, "CONNECTED OPERATOR"), String.join("\n", out));
        assertTrue(has(out, "RESP list {\"type\":\"tunnelList\""), String.join("\n", out));
        assertTrue(has(out, "RESP get {\"type\":\"tunnelConfig\""));
        assertTrue(out.stream().anyMatch(l -> l.startsWith("RESP get") && l.contains("PrivateKey = (hidden)")
                && l.contains("\"redacted\":true")));
        assertTrue(has(out, "RESP await-state ok"));
        assertTrue(has(out, "RESP await-stats ok"));
        assertTrue(has(out, "EVENT {\"type\":\"tunnelStateChanged\",\"name\":\"wg0\",\"state\":\"RUNNING\""));
        assertTrue(has(out, "EVENT {\"type\":\"statsUpdate\""));
        assertTrue(has(out, "EVENT {\"type\":\"logLine\""));
        for (String forbidden : List.of("create", "update", "rename", "delete", "export")) {
            assertTrue(has(out, "ERR " + forbidden + " FORBIDDEN"), forbidden + "\n" + String.join("\n", out));
        }
        assertNoSecrets(out);
        assertEquals(List.of("wg0"), store.names());
        assertEquals(TestConfigs.text("wg0", 3), store.read("wg0"));
    }

    @Test
    void adminEditsAndSeesKeys() throws Exception {
        List<String> out = runAs(admin, server.socketPath(), "get", "wg0", "create", "extra", "1", "rename", "extra",
                "extra2", "update", "extra2", "4", "export", "delete", "extra2", "list");
        assertTrue(has(out, "CONNECTED ADMIN"), String.join("\n", out));
        assertTrue(out.stream().anyMatch(l -> l.startsWith("RESP get")
                && l.contains(TestConfigs.privateKey("wg0", 3))), "admins get the keys");
        for (String ok : List.of("create", "rename", "update", "delete")) {
            assertTrue(has(out, "RESP " + ok + " ok"), ok + "\n" + String.join("\n", out));
        }
        assertTrue(has(out, "RESP export {\"type\":\"exportResult\""));
        assertEquals(List.of("wg0"), store.names());
        assertTrue(log.tail(200).stream().anyMatch(e -> e.message().contains("user " + admin)
                && e.message().contains("create extra")), "edits are audited with the user name");
    }

    @Test
    void outsiderIsRefused() throws Exception {
        // the 0660 socket owned by the operator group keeps outsiders out at connect(2)
        List<String> denied = runAs(outsider, server.socketPath(), "list");
        assertTrue(has(denied, "ERR connect IO"), String.join("\n", denied));
        // on a world-writable socket they reach the service and are refused by credentials
        List<String> refused = runAs(outsider, openServer.socketPath(), "list");
        assertTrue(has(refused, "ERR connect ACCESS_DENIED access denied for user " + outsider),
                String.join("\n", refused));
        assertFalse(has(refused, "RESP"));
        // operators and admins are let in on that socket too
        assertTrue(has(runAs(operator, openServer.socketPath(), "list"), "CONNECTED OPERATOR"));
    }

    @Test
    void socketIsGroupOwnedAndNotWorldAccessible() throws Exception {
        Path sock = server.socketPath();
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
        assertEquals(operatorGroup, Files.readAttributes(sock, java.nio.file.attribute.PosixFileAttributes.class)
                .group().getName());
    }

    @Test
    void oneUserCannotTakeEverySlotAnotherStillGetsIn() throws Exception {
        IpcServer limited = IpcServer.builder(service, log).socketPath(base.resolve("run/limited.sock"))
                .groups(adminGroup, operatorGroup).maxConnections(16).maxConnectionsPerUser(4).build().start();
        Process hog = null;
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            hog = new ProcessBuilder("setpriv", "--reuid=" + operator, "--regid=" + primaryGroupOf(operator),
                    "--init-groups", "--", java, "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Duser.home=/tmp",
                    "-cp", classPath, ScriptedClientMain.class.getName(), limited.socketPath().toString(), "hold", "6",
                    "wait-stdin").directory(new File("/tmp")).redirectErrorStream(true).start();
            java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(hog.getInputStream(),
                    StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            for (String line; (line = r.readLine()) != null && !line.equals("RESP hold ok"); ) {
                lines.add(line);
            }
            assertTrue(lines.contains("CONNECTED OPERATOR"), lines.toString());
            assertEquals(3, lines.stream().filter(l -> l.matches("HOLD \\d CONNECTED")).count(), lines.toString());
            List<String> busy = lines.stream().filter(l -> l.matches("HOLD \\d ERR BUSY .*")).toList();
            assertEquals(3, busy.size(), lines.toString());
            assertTrue(busy.getFirst().contains("too many connections from user " + operator + " (at most 4)"),
                    busy.getFirst());

            // While the operator holds its four, another user, and root, still get in.
            assertTrue(has(runAs(admin, limited.socketPath(), "list"), "RESP list"), "the admin is served");
            try (IpcClient root = IpcClient.connect(limited.socketPath(), "root", null, Duration.ofSeconds(30))) {
                root.ping();
            }

            hog.getOutputStream().close();
            assertTrue(hog.waitFor(60, TimeUnit.SECONDS));
            hog = null;
            // The operator's slots are free again once its connections closed.
            List<String> again = runAs(operator, limited.socketPath(), "hold", "3");
            assertEquals(3, again.stream().filter(l -> l.matches("HOLD \\d CONNECTED")).count(), again.toString());
        } finally {
            if (hog != null) {
                hog.destroyForcibly();
            }
            limited.close();
        }
    }
}
