package io.wirefx.installers;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code bin/wirefx demo} as a user runs it (as root): two namespaces, two services, a tunnel imported and started
 * through the CLI, handshake, pings, throughput, {@code show}; and afterwards (also after Ctrl-C) no namespace,
 * process, socket or work directory is left.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DemoTest {

    private static final Pattern NAMESPACES = Pattern.compile("namespaces (wfxdemo-[0-9a-f]+-a) and (wfxdemo-[0-9a-f]+-b)");
    private static final Pattern WORK_DIR = Pattern.compile("the demo processes and (\\S+)$", Pattern.MULTILINE);

    @BeforeEach
    void needsRoot() {
        assumeTrue(Processes.isRoot(), "demo test skipped: needs root (network namespaces)");
        assumeTrue(Processes.onPath("ip") && Processes.onPath("ping"), "demo test skipped: needs ip and ping");
    }

    @Test
    void demoRunsEndToEndAndRemovesEverything() throws Exception {
        Path root = Processes.repoRoot();
        Processes.Result r = Processes.run(root, 240, root.resolve("bin/wirefx").toString(), "demo");
        String out = r.out();
        assertEquals(0, r.exitCode(), r::both);
        assertTrue(out.contains("imported demo"), out);
        assertTrue(out.contains("demo is up"), out);
        assertTrue(out.matches("(?s).*handshake done: first reply through the tunnel after \\d+ ms.*"), out);
        assertTrue(out.matches("(?s).*latest handshake: \\d+ seconds? ago.*"), out);
        assertTrue(out.matches("(?s).*icmp_seq=5 ttl=64 time=[0-9.]+ ms.*"), out);
        assertTrue(out.matches("(?s).*rtt min/avg/max/mdev = [0-9.]+/[0-9.]+/.*"), out);
        assertTrue(out.matches("(?s).*[0-9.]+ Mbit(s/sec|/s).*"), "a throughput figure:\n" + out);
        assertTrue(out.contains("tunnel: demo (RUNNING)"), out);
        assertTrue(out.matches("(?s).*transfer: [0-9.]+ \\S+ received, [0-9.]+ MiB sent.*"), out);
        assertTrue(out.contains("demo is down"), out);
        assertNothingLeft(out);
    }

    @Test
    void ctrlCTearsDownWhatWasMade() throws Exception {
        Path root = Processes.repoRoot();
        // setsid: a process group of its own, so the SIGINT reaches the script and its children as Ctrl-C does.
        // env --default-signal: SIGINT as a terminal's foreground job has it; a build started in the background of a
        // non-interactive shell ignores it, its child processes inherit that, and a shell cannot trap a signal that
        // was ignored when it started.
        Process p = new ProcessBuilder("setsid", "env", "--default-signal=INT", root.resolve("bin/wirefx").toString(),
                "demo")
                .directory(root.toFile()).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean sent = false;
            while ((line = in.readLine()) != null) {
                out.append(line).append('\n');
                if (!sent && line.contains("demo is up")) {
                    Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + p.pid()).inheritIO().start();
                    assertEquals(0, kill.waitFor());
                    sent = true;
                }
            }
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out::toString);
        assertEquals(130, p.exitValue(), out::toString);
        assertTrue(out.toString().contains("interrupted"), out::toString);
        assertNothingLeft(out.toString());
    }

    static void assertNothingLeft(String out) throws IOException, InterruptedException {
        Matcher ns = NAMESPACES.matcher(out);
        assertTrue(ns.find(), out);
        Matcher work = WORK_DIR.matcher(out);
        assertTrue(work.find(), out);
        String netns = Processes.run(Path.of("/"), 30, "ip", "netns", "list").out();
        for (String name : List.of(ns.group(1), ns.group(2))) {
            assertFalse(netns.contains(name), "namespace " + name + " left:\n" + netns);
            assertFalse(Files.exists(Path.of("/run/netns", name)), name);
        }
        Path dir = Path.of(work.group(1));
        assertFalse(Files.exists(dir), "work directory left: " + dir);
        String ps = Processes.run(Path.of("/"), 30, "ps", "-eo", "pid,args").out();
        for (String line : ps.split("\n")) {
            assertFalse(line.contains(dir.toString()), "process left: " + line);
        }
    }
}
