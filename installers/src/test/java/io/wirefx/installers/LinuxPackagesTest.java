package io.wirefx.installers;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The .deb and .rpm that the "packages" profile built in {@code target/packages} (heavy: CI builds them): the rpm's
 * file list, scripts and requirements; the .deb installed into a fresh Debian root, used (keys, the service in a
 * private namespace with a tunnel to a wireguard-go peer), upgraded, removed and purged
 * ({@code installers/linux/test-deb-in-debian-root.sh}).
 */
@Tag("heavy")
class LinuxPackagesTest {
    private static final long MAX_BYTES = 70L * 1024 * 1024;

    private static Path packages;

    @BeforeAll
    static void packagesBuilt() {
        packages = Path.of("target/packages").toAbsolutePath();
        assumeTrue(Files.isDirectory(packages), "no target/packages: build with -Ppackages (on in CI)");
    }

    private static Path only(String glob) throws IOException {
        try (Stream<Path> s = Files.list(packages)) {
            List<Path> found = s.filter(p -> p.getFileSystem().getPathMatcher("glob:" + glob)
                    .matches(p.getFileName())).toList();
            assertEquals(1, found.size(), "exactly one " + glob + " in " + packages + ": " + found);
            return found.getFirst();
        }
    }

    @Test
    @Timeout(120)
    void rpmHasTheFilesScriptsAndRequirements() throws Exception {
        assumeTrue(Processes.onPath("rpm"), "rpm is not installed");
        Path rpm = only("wirefx-*.rpm");
        assertTrue(Files.size(rpm) <= MAX_BYTES, rpm + ": " + Files.size(rpm) + " bytes");

        String files = Processes.run(packages, 60, "rpm", "-qpl", rpm.toString()).out();
        for (String f : List.of("/opt/wirefx/bin/wirefx", "/opt/wirefx/bin/wirefx-service",
                "/opt/wirefx/bin/wirefx-userspace", "/opt/wirefx/bin/wirefx-ui", "/opt/wirefx/bin/wirefx-tray",
                "/opt/wirefx/lib/runtime/bin/java", "/opt/wirefx/lib/share/wirefx.service",
                "/opt/wirefx/lib/share/sysusers.conf", "/opt/wirefx/lib/share/wirefx.desktop",
                "/opt/wirefx/lib/share/wirefx-ui-autostart.desktop", "/opt/wirefx/lib/share/wirefx.svg",
                "/opt/wirefx/lib/share/wirefx.bash", "/opt/wirefx/lib/share/_wirefx", "/opt/wirefx/lib/share/wirefx.1",
                "/opt/wirefx/lib/share/wirefx-service.8",
                "/opt/wirefx/lib/app/javafx/javafx-graphics-25.0.2-linux.jar")) {
            assertTrue(files.lines().anyMatch(f::equals), "rpm lacks " + f);
        }
        assertTrue(files.lines().allMatch(f -> f.startsWith("/opt/wirefx") || f.equals("/opt")),
                "payload only under /opt/wirefx");

        String scripts = Processes.run(packages, 60, "rpm", "-qp", "--scripts", rpm.toString()).out();
        assertTrue(scripts.contains("postinstall scriptlet"), scripts);
        assertTrue(scripts.contains("wirefx_integrate\nwirefx_groups\nwirefx_add_installing_user\n"
                + "wirefx_start_service"), scripts);
        assertTrue(scripts.contains("preuninstall scriptlet"), scripts);
        assertTrue(scripts.contains("if [ \"$1\" = 0 ]; then\n  wirefx_stop_service\n  wirefx_disintegrate"),
                "erase only (not upgrade) stops the service:\n" + scripts);
        assertTrue(scripts.contains("systemctl restart wirefx.service"), scripts);

        String requires = Processes.run(packages, 60, "rpm", "-qp", "-R", rpm.toString()).out();
        for (String r : List.of("gtk3", "iproute", "shadow-utils")) {
            assertTrue(requires.lines().anyMatch(r::equals), "rpm does not require " + r + ":\n" + requires);
        }
    }

    @Test
    @Timeout(900)
    void debInstallsRunsUpgradesAndPurgesInAFreshDebianRoot() throws Exception {
        assumeTrue(Processes.isRoot(), "needs root (chroot, namespaces)");
        for (String tool : List.of("debootstrap", "unshare", "wireguard-go", "wg", "ip", "ping", "dpkg-deb")) {
            assumeTrue(Processes.onPath(tool), tool + " is not installed");
        }
        Path deb = only("wirefx_*.deb");
        assertTrue(Files.size(deb) <= MAX_BYTES, deb + ": " + Files.size(deb) + " bytes");
        Path cache = Path.of("target/debian-cache").toAbsolutePath();
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "deb-test");
        Processes.Result r = Processes.run(Path.of("."), Map.of(), 840, List.of("unshare", "--mount",
                "--propagation", "private", "bash", Processes.repoRoot()
                        .resolve("installers/linux/test-deb-in-debian-root.sh").toString(),
                cache.toString(), work.toString(), deb.toString()));
        String out = r.both();
        assertEquals(0, r.exitCode(), out);
        assertTrue(out.contains("STEP purge"), out);
        assertTrue(out.matches("(?s).*public key [A-Za-z0-9+/]{43}=.*"), out);
        assertTrue(out.matches("(?s).*64 bytes from 10\\.88\\.0\\.2.*"), out);
        assertTrue(out.strip().endsWith("PASS"), out);
        Processes.run(Path.of("."), 120, "rm", "-rf", work.toString());
    }
}
