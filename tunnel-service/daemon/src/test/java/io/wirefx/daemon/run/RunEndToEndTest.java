package io.wirefx.daemon.run;

import io.wirefx.core.crypto.KeyPair;
import io.wirefx.daemon.testing.ProcessOutput;
import io.wirefx.tun.linux.LinuxTunDriver;
import io.wirefx.tun.linux.testing.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Root only, end to end: {@code wirefx run} with a full-tunnel configuration in namespace A; its peer is Debian's
 * wireguard-go in namespace B, which forwards to an "internet" namespace C. A reaches the peer's endpoint
 * (198.51.100.1, on B's loopback) only through its default route over the veth, so without the fwmark the tunnel's
 * own packets would be routed into the tunnel.
 *
 * <pre>
 *  A: a0 192.168.77.2/24, default via .1   B: b0 192.168.77.1/24, lo 198.51.100.1, forwarding   C: c0 203.0.113.2/24
 *     wirefx run 10.77.0.2/32 fd77::2/128     wireguard-go 10.77.0.1/24 fd77::1/64 :51820              2001:db8:c::2/64
 *     AllowedIPs 0.0.0.0/0, ::/0               b1 203.0.113.1/24 2001:db8:c::1/64                      back via B
 * </pre>
 *
 * The run is the CLI's {@code CliMain} in a new JVM under {@code ip netns exec A} (what {@code bin/wirefx} executes).
 */
class RunEndToEndTest {
    private static final String ENDPOINT = "198.51.100.1";
    private static final String INTERNET = "203.0.113.2";
    private static final String INTERNET6 = "2001:db8:c::2";

    @TempDir
    Path tmp;

    NetNs a;
    NetNs b;
    NetNs c;
    String ifA;
    String ifB;
    String pubA;
    String privA;
    String pubB;
    final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Optional<String> cause = NetNs.unavailabilityCause().or(() -> new LinuxTunDriver().unavailabilityCause())
                .or(() -> missing("wireguard-go")).or(() -> missing("wg")).or(() -> missing("nft"))
                .or(() -> missing("ping"));
        if (cause.isPresent()) {
            System.err.println("RunEndToEndTest skipped: " + cause.get());
        }
        assumeTrue(cause.isEmpty(), () -> "privileged end-to-end test skipped: " + cause.orElse(""));
        // A recording stand-in for resolvconf, first on the runs' PATH: a DNS step registers the tunnel's fragment in
        // resolvconfDir() and its undo removes it; the host's DNS is never touched.
        Files.createDirectories(resolvconfDir());
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path fake = bin.resolve("resolvconf");
        Files.writeString(fake, """
                #!/bin/sh
                echo "$*" >> "$WFX_FAKE_RESOLVCONF_DIR.log"
                case "$1" in
                  -a) cat > "$WFX_FAKE_RESOLVCONF_DIR/$2" ;;
                  -d) rm -f "$WFX_FAKE_RESOLVCONF_DIR/$2" ;;
                  *) exit 99 ;;
                esac
                """);
        Files.setPosixFilePermissions(fake, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        a = NetNs.create("wfxe2e-");
        b = NetNs.create("wfxe2e-");
        c = NetNs.create("wfxe2e-");
        ifA = NetNs.uniqueInterfaceName("wfa");
        ifB = NetNs.uniqueInterfaceName("wfb");
        for (NetNs n : List.of(a, b, c)) {
            n.ip("link", "set", "lo", "up");
            // No duplicate address detection: link-local addresses would change state under the snapshots.
            n.execChecked("sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0",
                    "net.ipv6.conf.default.accept_dad=0");
        }
        a.ip("link", "add", "a0", "type", "veth", "peer", "name", "b0", "netns", b.name());
        b.ip("link", "add", "b1", "type", "veth", "peer", "name", "c0", "netns", c.name());
        a.ip("address", "add", "192.168.77.2/24", "dev", "a0");
        a.ip("link", "set", "a0", "up");
        a.ip("route", "add", "default", "via", "192.168.77.1");
        b.ip("address", "add", "192.168.77.1/24", "dev", "b0");
        b.ip("address", "add", "203.0.113.1/24", "dev", "b1");
        b.ip("address", "add", ENDPOINT + "/32", "dev", "lo");
        b.ip("link", "set", "b0", "up");
        b.ip("link", "set", "b1", "up");
        b.ip("address", "add", "2001:db8:c::1/64", "dev", "b1");
        b.execChecked("sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1");
        c.ip("address", "add", INTERNET + "/24", "dev", "c0");
        c.ip("address", "add", INTERNET6 + "/64", "dev", "c0");
        c.ip("link", "set", "c0", "up");
        c.ip("route", "add", "10.77.0.0/16", "via", "203.0.113.1");
        c.ip("-6", "route", "add", "fd77::/64", "via", "2001:db8:c::1");

        SecureRandom rng = new SecureRandom();
        KeyPair ka = KeyPair.generate(rng);
        KeyPair kb = KeyPair.generate(rng);
        privA = ka.privateKey().toBase64();
        pubA = ka.publicKey().toBase64();
        pubB = kb.publicKey().toBase64();
        Path keyB = tmp.resolve("b.key");
        Files.writeString(keyB, kb.privateKey().toBase64() + "\n");
        Files.setPosixFilePermissions(keyB, PosixFilePermissions.fromString("rw-------"));

        // The peer: wireguard-go in B.
        ProcessBuilder wgGo = new ProcessBuilder("ip", "netns", "exec", b.name(), "wireguard-go", "-f", ifB)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("wireguard-go.log").toFile());
        wgGo.environment().put("LOG_LEVEL", "error");
        processes.add(wgGo.start());
        waitFor(() -> b.ipResult("link", "show", "dev", ifB).exitCode() == 0
                && Files.exists(uapiSocket(ifB)), "wireguard-go interface and socket");
        b.execChecked("wg", "set", ifB, "private-key", keyB.toString(), "listen-port", "51820", "peer", pubA,
                "allowed-ips", "10.77.0.2/32,fd77::2/128");
        b.ip("address", "add", "10.77.0.1/24", "dev", ifB);
        b.ip("address", "add", "fd77::1/64", "dev", ifB);
        b.ip("link", "set", ifB, "up");
        // Account the tunnel's UDP by outgoing interface in A (the test's own table, not touched by wirefx).
        a.execChecked("nft", "-f", writeFile("count.nft", """
                table ip e2ecount {
                  chain out {
                    type filter hook output priority 0; policy accept;
                    oifname "a0" udp dport 51820 counter
                    oifname != "a0" udp dport 51820 counter
                  }
                }
                """).toString());
    }

    @AfterEach
    void tearDown() {
        for (Process p : processes) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (NetNs n : new NetNs[]{a, b, c}) {
            if (n != null) {
                n.close();
            }
        }
        for (String name : new String[]{ifA, ifB}) {
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

    interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private Path fullTunnelConfig() throws IOException {
        return writeFile(ifA + ".conf", "[Interface]\nPrivateKey = " + privA
                + "\nAddress = 10.77.0.2/32, fd77::2/128\n\n[Peer]\nPublicKey = " + pubB
                + "\nAllowedIPs = 0.0.0.0/0, ::/0\nEndpoint = " + ENDPOINT + ":51820\n");
    }

    /** A {@code wirefx run} process in A, with its merged output collected line by line. */
    final class Run {
        final Process process;
        final ProcessOutput output;

        Run(Path config) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", a.name(), java,
                    "--enable-native-access=ALL-UNNAMED", "-cp", cp, "io.wirefx.daemon.cli.CliMain", "run",
                    config.toString()).redirectErrorStream(true);
            pb.environment().put(RunCommand.STATE_DIR_ENV, tmp.resolve("state").toString());
            pb.environment().put("PATH", tmp.resolve("bin") + ":" + System.getenv().getOrDefault("PATH",
                    "/usr/sbin:/usr/bin:/sbin:/bin"));
            pb.environment().put("WFX_FAKE_RESOLVCONF_DIR", resolvconfDir().toString());
            process = pb.start();
            processes.add(process);
            output = new ProcessOutput(process, "wirefx run");
        }

        String output() {
            return output.text();
        }

        void awaitLine(String fragment) throws Exception {
            output.awaitLine(fragment, Duration.ofSeconds(30));
        }

        /** SIGTERM through the process handle (Process.destroy() would also close our end of its output). */
        void sigterm() {
            assertTrue(process.toHandle().destroy(), "SIGTERM sent");
        }

        int exit() throws Exception {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "wirefx run did not exit:\n" + output());
            output.awaitEnd(Duration.ofSeconds(10)); // all output read (EOF)
            return process.exitValue();
        }
    }

    /** Everything in A that wirefx may touch (the veth's counters left out). */
    /** What the fake resolvconf holds registered: one file per name, its content the fragment. */
    private Path resolvconfDir() {
        return tmp.resolve("resolvconf");
    }

    private Map<String, String> snapshotA() throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        try (java.util.stream.Stream<Path> s = Files.list(resolvconfDir())) {
            m.put("dns", s.sorted().map(f -> f.getFileName() + ":" + readQuietly(f)).toList().toString());
        }
        m.put("links", a.execChecked("ip", "-o", "link", "show").replaceAll("link/ether \\S+", "")
                .replaceAll("\\d+: ", ""));
        m.put("addr", a.execChecked("ip", "-o", "address", "show"));
        m.put("route4", a.execChecked("ip", "-4", "route", "show", "table", "all"));
        m.put("route6", a.execChecked("ip", "-6", "route", "show", "table", "all"));
        m.put("rule4", a.execChecked("ip", "-4", "rule", "show"));
        m.put("rule6", a.execChecked("ip", "-6", "rule", "show"));
        m.put("nft", a.execChecked("nft", "list", "tables"));
        return m;
    }

    private static String readQuietly(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    private long[] udpCounters() throws Exception {
        String out = a.execChecked("nft", "list", "chain", "ip", "e2ecount", "out");
        Matcher m = Pattern.compile("counter packets (\\d+)").matcher(out);
        long[] r = new long[2];
        for (int i = 0; i < 2; i++) {
            assertTrue(m.find(), out);
            r[i] = Long.parseLong(m.group(1));
        }
        return r;
    }

    private long vethTxPackets() throws Exception {
        return Long.parseLong(a.execChecked("cat", "/sys/class/net/a0/statistics/tx_packets").strip());
    }

    private void pingInternetThroughTunnel() throws Exception {
        NetNs.ExecResult ping = a.exec("ping", "-c", "3", "-i", "0.2", "-W", "5", INTERNET);
        assertEquals(0, ping.exitCode(), ping.output());
        String route = a.ip("route", "get", INTERNET);
        assertTrue(route.contains("dev " + ifA), route);
        NetNs.ExecResult ping6 = a.exec("ping", "-6", "-c", "3", "-i", "0.2", "-W", "5", INTERNET6);
        assertEquals(0, ping6.exitCode(), ping6.output());
        assertTrue(a.ip("-6", "route", "get", INTERNET6).contains("dev " + ifA));
    }

    // ------------------------------------------------------------------ tests

    @Test
    void fullTunnelReachesTheInternetNamespaceAndStopsCleanlyOnSigterm() throws Exception {
        Map<String, String> before = snapshotA();
        long txBefore = vethTxPackets();
        Run run = new Run(fullTunnelConfig());
        run.awaitLine("[+] " + ifA + " is up");

        pingInternetThroughTunnel();
        long[] udp = udpCounters();
        assertTrue(udp[0] > 0, "the tunnel's UDP left by the veth");
        assertEquals(0, udp[1], "no tunnel UDP went anywhere else (no routing loop)");
        assertTrue(vethTxPackets() > txBefore);
        String hs = b.execChecked("wg", "show", ifB, "latest-handshakes");
        assertTrue(hs.matches("(?s)\\S+\\s+[1-9]\\d*\\s*"), "wireguard-go completed a handshake: " + hs);
        // The run serves UAPI: stock wg sees the fwmark chosen for the full tunnel and the handshake.
        assertEquals("0xca6c", a.execChecked("wg", "show", ifA, "fwmark").strip());
        String hsA = a.execChecked("wg", "show", ifA, "latest-handshakes");
        assertTrue(hsA.matches("(?s)\\S+\\s+[1-9]\\d*\\s*"), hsA);
        // Unmarked traffic to the endpoint itself would go into the tunnel; the engine's marked packets did not.
        assertTrue(a.ip("route", "get", ENDPOINT).contains("dev " + ifA));
        assertTrue(a.ip("route", "get", ENDPOINT, "mark", "51820").contains("dev a0"));

        run.sigterm();
        assertEquals(TunnelRun.OK, run.exit(), run.output());
        assertTrue(run.output().contains("stopping " + ifA + " (SIGTERM)"), run.output());
        assertEquals(before, snapshotA(), "nothing left behind in A");
        assertFalse(Files.exists(tmp.resolve("state").resolve(ifA + ".state")));
        assertFalse(Files.exists(uapiSocket(ifA)), "UAPI socket removed");
    }

    @Test
    void afterSigkillTheNextRunCleansUpAndStarts() throws Exception {
        Map<String, String> before = snapshotA();
        Path config = fullTunnelConfig();
        Run first = new Run(config);
        first.awaitLine("[+] " + ifA + " is up");
        first.process.destroyForcibly(); // SIGKILL: no teardown at all
        first.exit();
        Map<String, String> killed = snapshotA();
        assertFalse(killed.get("links").contains(ifA), "the TUN interface died with the process");
        assertTrue(killed.get("rule4").contains("lookup 51820"), "the rules survived: " + killed.get("rule4"));
        assertTrue(killed.get("rule6").contains("lookup 51820"), killed.get("rule6"));
        assertTrue(killed.get("nft").contains("wirefx-" + ifA), killed.get("nft"));
        assertTrue(Files.exists(tmp.resolve("state").resolve(ifA + ".state")));

        Run second = new Run(config);
        second.awaitLine("[+] " + ifA + " is up");
        assertTrue(second.output().contains("was not shut down cleanly"), second.output());
        String rules = a.ip("-4", "rule", "show");
        assertEquals(1, rules.split("lookup 51820", -1).length - 1, "one fwmark rule, not two: " + rules);
        assertEquals(1, rules.split("suppress_prefixlength 0", -1).length - 1, rules);
        String rules6 = a.ip("-6", "rule", "show");
        assertEquals(1, rules6.split("lookup 51820", -1).length - 1, rules6);
        pingInternetThroughTunnel();

        second.sigterm();
        assertEquals(TunnelRun.OK, second.exit(), second.output());
        assertTrue(second.output().contains("[#] ip link delete dev " + ifA), second.output());
        assertEquals(before, snapshotA());
    }

    /**
     * Crash during change (docs/security.md, test 7): {@code kill -9} of {@code wirefx run} at each step of a
     * full-tunnel bring-up, as soon as the step's command is printed (the journal entry is written before it, the
     * command may or may not have run). The next run cleans up what the journal names, comes up, and after SIGTERM
     * the namespace's links, addresses, routes (all tables), rules and nft tables are exactly as before the first
     * run. The configuration sets DNS, through a recording stand-in for {@code resolvconf} (see {@link #setUp}):
     * its registrations are part of the snapshot, so a DNS registration left by the killed run must be undone by the
     * next one. Heavy profile (two JVM starts per step).
     */
    @Test
    @Tag("heavy")
    void sigkillAtEachStepOfTheBringUpThenTheNextRunRestoresEverything() throws Exception {
        Map<String, String> before = snapshotA();
        Path config = writeFile(ifA + ".conf", Files.readString(fullTunnelConfig())
                .replace("\n\n[Peer]", "\nDNS = 10.77.0.1\n\n[Peer]"));
        List<String> steps = List.of("[#] ip -4 address add", "[#] ip -6 address add", "[#] ip link set mtu",
                "[#] resolvconf -a", "[#] ip -4 route add 0.0.0.0/0", "[#] ip -4 rule add not fwmark", "suppress_prefixlength 0",
                "[#] nft -f -", "[#] ip -6 route add ::/0", "[#] ip -6 rule add not fwmark", "is up");
        for (String step : steps) {
            Run first = new Run(config);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!first.output().contains(step)) {
                assertTrue(first.process.isAlive() && System.nanoTime() < deadline,
                        "no '" + step + "' from wirefx run:\n" + first.output());
                Thread.sleep(1);
            }
            first.process.destroyForcibly();
            first.exit();
            if (step.equals("is up")) {
                assertEquals("[" + ifA + ":nameserver 10.77.0.1\n]", snapshotA().get("dns"),
                        "the killed run left its DNS registered");
            }

            Run second = new Run(config);
            long upBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!second.output().contains("[+] " + ifA + " is up")) {
                assertTrue(second.process.isAlive() && System.nanoTime() < upBy, "after a kill at '" + step
                        + "', the next run did not come up:\n" + first.output() + "\n----\n" + second.output());
                Thread.sleep(20);
            }
            second.sigterm();
            assertEquals(TunnelRun.OK, second.exit(), second.output());
            assertEquals(before, snapshotA(), "after a kill at '" + step + "' and one more run:\n"
                    + first.output() + "\n----\n" + second.output());
            assertFalse(Files.exists(tmp.resolve("state").resolve(ifA + ".state")), step);
        }
        String calls = Files.readString(Path.of(resolvconfDir() + ".log"));
        assertTrue(calls.contains("-a " + ifA + " -m 0 -x") && calls.contains("-d " + ifA + " -f"), calls);
    }

    @Test
    void deletingTheInterfaceEndsTheRunWithACleanTeardown() throws Exception {
        Map<String, String> before = snapshotA();
        Run run = new Run(fullTunnelConfig());
        run.awaitLine("[+] " + ifA + " is up");
        a.ip("link", "delete", "dev", ifA); // what wg-quick down would do
        assertEquals(TunnelRun.OK, run.exit(), run.output());
        assertTrue(run.output().contains("tunnel stopped: interface " + ifA + " removed"), run.output());
        assertEquals(before, snapshotA());
    }

    @Test
    void badConfigurationsExitOneWithTheLineAndChangeNothing() throws Exception {
        Map<String, String> before = snapshotA();
        String good = Files.readString(fullTunnelConfig());
        String[][] cases = {
                {good.replace("Address = ", "Adress = "), ":3: ", "UNKNOWN_KEY"},
                {good.replace("PublicKey = " + pubB, "PublicKey = " + pubB.substring(1)), ":6: ", "INVALID_KEY"},
                {good.replace("::/0", "::/129"), ":7: ", "INVALID_CIDR"},
        };
        for (String[] bad : cases) {
            Path f = writeFile(ifA + ".conf", bad[0]);
            Run run = new Run(f);
            assertEquals(TunnelRun.BAD_INPUT, run.exit(), run.output());
            assertTrue(run.output().contains(f + bad[1]) && run.output().contains(bad[2]), run.output());
            assertEquals(before, snapshotA());
        }
        assertFalse(Files.exists(tmp.resolve("state")), "not even the state directory was created");
    }
}
