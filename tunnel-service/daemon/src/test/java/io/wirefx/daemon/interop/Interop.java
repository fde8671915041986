package io.wirefx.daemon.interop;

import io.wirefx.tun.linux.testing.NetNs;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Shared facts for the interop tests: whether they can run here, where the repository and its launcher are. */
final class Interop {

    /** Where stock {@code wg} looks for UAPI sockets; shared by every namespace, so names must be unique. */
    static final Path SOCKET_DIR = Path.of("/var/run/wireguard");

    private Interop() {
    }

    /** Skips the calling test, with the reason, unless root, namespaces and the stock tools are available. */
    static void assumeAvailable() {
        Optional<String> cause = NetNs.unavailabilityCause();
        Assumptions.assumeTrue(cause.isEmpty(), () -> "interop tests skipped: " + cause.orElse(""));
        for (String tool : new String[]{"wireguard-go", "wg", "wg-quick", "ping", "nft"}) {
            Assumptions.assumeTrue(onPath(tool), "interop tests skipped: " + tool + " is not installed");
        }
        Assumptions.assumeTrue(Files.isExecutable(launcher()), "interop tests skipped: no " + launcher());
    }

    static boolean onPath(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin:/bin:/usr/sbin:/sbin").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    /** The repository root: the first parent of the working directory holding {@code bin/wirefx-userspace}. */
    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.exists(q.resolve("bin/wirefx-userspace"))) {
                return q;
            }
        }
        throw new IllegalStateException("no bin/wirefx-userspace above " + p);
    }

    static Path launcher() {
        return repoRoot().resolve("bin/wirefx-userspace");
    }

    /**
     * The class path the launcher should use: the one this test runs with (module classes plus dependency jars), so
     * that {@code mvn test} need not package jars first. Test-only entries are harmless.
     */
    static String daemonClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        return Arrays.stream(cp.split(File.pathSeparator))
                .filter(e -> !e.isBlank())
                .collect(Collectors.joining(File.pathSeparator));
    }
}
