package io.wirefx.daemon.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Timeout(120)
class ServiceMainTest {
    @TempDir
    Path tmp;

    static final io.wirefx.platform.PlatformPaths PATHS = new io.wirefx.platform.linux.LinuxPlatform().paths();

    @Test
    void optionsAndDefaults() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
        ServiceMain.Options d = ServiceMain.parse(new String[0], PATHS, ps).orElseThrow();
        assertEquals(Path.of("/etc/wirefx/tunnels"), d.stateDir());
        assertEquals(Path.of("/run/wirefx/wirefx.sock"), d.socket());
        assertEquals(Path.of("/run/wirefx"), d.runtimeDir());
        assertEquals("wirefx-admin", d.adminGroup());
        assertEquals("wirefx", d.operatorGroup());
        assertFalse(d.allowScripts());
        ServiceMain.Options o = ServiceMain.parse(new String[]{"--state-dir", "/s", "--socket", "/k.sock",
                "--runtime-dir", "/r", "--admin-group", "adm", "--operator-group", "ops", "--allow-scripts",
                "--uapi-dir", "none"}, PATHS, ps).orElseThrow();
        assertEquals(new ServiceMain.Options(Path.of("/s"), Path.of("/k.sock"), Path.of("/r"), "adm", "ops", true,
                null), o);
        assertTrue(ServiceMain.parse(new String[]{"--socket"}, PATHS, ps).isEmpty());
        assertTrue(ServiceMain.parse(new String[]{"--bogus", "x"}, PATHS, ps).isEmpty());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Usage: wirefx-service"));
        assertEquals(ServiceMain.USAGE, ServiceMain.run(new String[]{"extra"}, ps));
    }

    @Test
    void refusesToStartWithoutCapNetAdmin() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv is not installed");
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // Same user, but CAP_NET_ADMIN dropped from the bounding set (so not effective after exec).
        Process p = new ProcessBuilder(List.of("setpriv", "--bounding-set=-net_admin", java, "-cp", cp,
                ServiceMain.class.getName(), "--state-dir", tmp.resolve("state").toString(), "--socket",
                tmp.resolve("s.sock").toString(), "--runtime-dir", tmp.resolve("run").toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(ServiceMain.CANNOT_START, p.exitValue(), out);
        assertTrue(out.contains("needs CAP_NET_ADMIN"), out);
        assertFalse(Files.exists(tmp.resolve("s.sock")), "no socket");
        assertFalse(Files.exists(tmp.resolve("state")), "nothing created");
    }
}
