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
    void aStrayArgumentIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(ServiceMain.USAGE, ServiceMain.run(new String[]{"extra"}, ps, ps));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("extra"), err.toString(StandardCharsets.UTF_8));
        assertEquals(ServiceMain.OK, ServiceMain.run(new String[]{"--help"}, ps, ps));
    }

    /** A supervisor that registers services, recording what it was asked. */
    static final class RegisteringHost implements io.wirefx.platform.ServiceHost {
        final java.util.List<String> calls = new java.util.ArrayList<>();

        @Override
        public void install(List<String> command) {
            calls.add("install " + command);
        }

        @Override
        public void uninstall() {
            calls.add("uninstall");
        }

        @Override
        public void ready() {
        }

        @Override
        public void stopping() {
        }

        @Override
        public String describe() {
            return "fake SCM";
        }
    }

    @Test
    void installRegistersThisJvmClassPathMainClassAndCheckedOptionsAndUninstallUnregisters() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
        RegisteringHost host = new RegisteringHost();
        assertEquals(ServiceMain.OK, ServiceMain.manage(install("--allow-scripts"), host, ps));
        assertEquals(1, host.calls.size());
        List<String> cmd = ServiceMain.serviceCommand(new String[]{"--allow-scripts"});
        assertEquals("install " + cmd, host.calls.getFirst());
        assertTrue(Path.of(cmd.getFirst()).isAbsolute() && Files.isExecutable(Path.of(cmd.getFirst())), cmd.getFirst());
        assertTrue(cmd.contains("--enable-native-access=ALL-UNNAMED"));
        assertEquals(List.of(ServiceMain.class.getName(), "--allow-scripts"), cmd.subList(cmd.size() - 2, cmd.size()));
        String cp = cmd.get(cmd.indexOf("-cp") + 1);
        assertTrue(java.util.Arrays.stream(cp.split(java.io.File.pathSeparator)).allMatch(e -> Path.of(e).isAbsolute()));

        assertEquals(1, host.calls.size());
        assertEquals(ServiceMain.OK, ServiceMain.manage(new ServiceCommandLine.Uninstall(), host, ps));
        assertEquals("uninstall", host.calls.getLast());
    }

    private static ServiceCommandLine.Install install(String... options) {
        PrintStream nowhere = new PrintStream(java.io.OutputStream.nullOutputStream());
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("install"),
                java.util.Arrays.stream(options)).toArray(String[]::new);
        return (ServiceCommandLine.Install) ServiceCommandLine.parse(args, PATHS, nowhere, nowhere);
    }

    @Test
    void installIsRefusedWhereThePackageRegistersTheService() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
        io.wirefx.platform.ServiceHost systemd = new io.wirefx.platform.linux.LinuxPlatform().serviceHost();
        assertEquals(ServiceMain.USAGE, ServiceMain.manage(install(), systemd, ps));
        assertEquals(ServiceMain.USAGE, ServiceMain.manage(new ServiceCommandLine.Uninstall(), systemd, ps));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("registered by the package"), err.toString());
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
