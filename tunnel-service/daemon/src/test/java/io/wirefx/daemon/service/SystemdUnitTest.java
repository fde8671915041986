package io.wirefx.daemon.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code installers/systemd/wirefx.service}: the settings the service relies on, and {@code systemd-analyze verify}. */
@Timeout(120)
class SystemdUnitTest {
    @TempDir
    Path tmp;

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("installers/systemd"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new AssertionError("installers/systemd not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    static String unit() throws Exception {
        return Files.readString(repoRoot().resolve("installers/systemd/wirefx.service"), StandardCharsets.UTF_8);
    }

    @Test
    void unitHasTheSettingsTheServiceNeeds() throws Exception {
        List<String> lines = unit().lines().map(String::strip).toList();
        for (String required : List.of("ExecStart=/opt/wirefx/bin/wirefx-service", "NoNewPrivileges=yes",
                "ProtectSystem=strict", "DeviceAllow=/dev/net/tun rw", "ReadWritePaths=/etc/wirefx /run/wirefx",
                "RuntimeDirectoryPreserve=yes", "Restart=on-failure", "CapabilityBoundingSet=CAP_NET_ADMIN",
                "AmbientCapabilities=CAP_NET_ADMIN", "ConfigurationDirectory=wirefx", "StateDirectory=wirefx",
                "RuntimeDirectory=wirefx")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(required)), "missing " + required);
        }
        // The JIT needs writable+executable memory and the full tunnel writes a net sysctl.
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("MemoryDenyWriteExecute=yes")));
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("ProtectKernelTunables=yes")));
    }

    @Test
    void systemdAnalyzeVerifyAcceptsTheUnit() throws Exception {
        Optional<Path> tool = Optional.empty();
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "systemd-analyze");
            if (Files.isExecutable(p)) {
                tool = Optional.of(p);
                break;
            }
        }
        if (tool.isEmpty()) {
            System.err.println("SystemdUnitTest: systemd-analyze is not installed; verify skipped");
        }
        assumeTrue(tool.isPresent(), "systemd-analyze is not installed");
        // verify insists that ExecStart exists: point it at this checkout's launcher (same script as /opt).
        Path launcher = repoRoot().resolve("bin/wirefx-service");
        assertTrue(Files.isExecutable(launcher), launcher + " is executable");
        Path copy = tmp.resolve("wirefx.service");
        Files.writeString(copy, unit().replace("/opt/wirefx/bin/wirefx-service", launcher.toString()));
        Process p = new ProcessBuilder(tool.get().toString(), "verify", copy.toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        // Unknown keys and bad values are only warnings to verify: none may appear.
        assertFalse(out.contains(copy.getFileName().toString()), "warnings about the unit:\n" + out);
    }
}
