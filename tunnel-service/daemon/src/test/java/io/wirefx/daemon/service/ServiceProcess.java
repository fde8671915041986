package io.wirefx.daemon.service;

import io.wirefx.daemon.testing.ProcessOutput;
import io.wirefx.tun.linux.testing.NetNs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real service ({@link ServiceMain}) in a child JVM under {@code ip netns exec NS}, with the given state, socket
 * and runtime paths; its stderr collected line by line. The constructor returns once the service said it is ready.
 * The caller kills it ({@link #process}) in its tear-down.
 *
 * <p>The heap is bounded as {@code bin/wirefx-service} bounds it, and native memory tracking is on so that
 * {@code jcmd System.map} can tell the Java heap's pages from the rest.
 */
final class ServiceProcess {
    final Process process;
    private final ProcessOutput output;

    interface Check {
        boolean ok() throws Exception;
    }

    /** Polls {@code check} every 50 ms; fails after 120 s (a hang guard on a shared machine, not a speed limit). */
    static void waitFor(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    ServiceProcess(NetNs ns, Path stateDir, Path socket, Path runtimeDir, String... extraArgs) throws Exception {
        this(ns, Map.of(), stateDir, socket, runtimeDir, extraArgs);
    }

    /** @param env variables added to the service's environment ({@code ip netns exec} passes them on) */
    ServiceProcess(NetNs ns, Map<String, String> env, Path stateDir, Path socket, Path runtimeDir,
                   String... extraArgs) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns.name(), java,
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xms16m", "-Xmx128m",
                "-XX:NativeMemoryTracking=summary", "-cp", cp,
                ServiceMain.class.getName(), "--state-dir", stateDir.toString(), "--socket",
                socket.toString(), "--runtime-dir", runtimeDir.toString()));
        cmd.addAll(Arrays.asList(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        process = pb.start();
        output = new ProcessOutput(process, "the service");
        try {
            awaitLine("] ready");
        } catch (Throwable t) {
            process.destroyForcibly();
            throw t;
        }
    }

    /** Everything in {@code ns} that the service may touch: links (counters and MAC addresses left out), addresses,
     * routes of all tables, rules and nft tables. */
    static Map<String, String> snapshot(NetNs ns) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("links", ns.execChecked("ip", "-o", "link", "show").replaceAll("link/ether \\S+", "")
                .replaceAll("\\d+: ", ""));
        m.put("addr", ns.execChecked("ip", "-o", "address", "show"));
        m.put("route4", ns.execChecked("ip", "-4", "route", "show", "table", "all"));
        m.put("route6", ns.execChecked("ip", "-6", "route", "show", "table", "all"));
        m.put("rule4", ns.execChecked("ip", "-4", "rule", "show"));
        m.put("rule6", ns.execChecked("ip", "-6", "rule", "show"));
        m.put("nft", ns.execChecked("nft", "list", "tables"));
        return m;
    }

    String output() {
        return output.text();
    }

    void awaitLine(String fragment) throws Exception {
        output.awaitLine(fragment, Duration.ofSeconds(120));
    }

    int sigtermAndWait() throws Exception {
        assertTrue(process.toHandle().destroy(), "SIGTERM sent");
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "service did not exit:\n" + output());
        return process.exitValue();
    }
}
