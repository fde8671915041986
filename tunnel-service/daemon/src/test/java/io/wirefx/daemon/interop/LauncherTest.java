package io.wirefx.daemon.interop;

import io.wirefx.tun.linux.testing.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/wirefx-userspace} as a process, the way wg-quick and users run it (reference §7.1): detaching once the
 * interface and socket exist, failing with the reason, staying in the foreground, and exiting (socket removed) on
 * SIGTERM, on deletion of the interface and on deletion of the socket.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LauncherTest {

    @TempDir
    Path work;

    private NetNs ns;
    private final List<Path> sockets = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        Interop.assumeAvailable();
        ns = NetNs.create("wfxl-");
        ns.ip("link", "set", "lo", "up");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        for (Path s : sockets) {
            Files.deleteIfExists(s); // a detached daemon exits when its socket goes
        }
        if (ns != null) {
            ns.close(); // and when its interface goes with the namespace
        }
    }

    private String newName() {
        String name = NetNs.uniqueInterfaceName("wfl");
        sockets.add(socket(name));
        return name;
    }

    private static Path socket(String name) {
        return Interop.SOCKET_DIR.resolve(name + ".sock");
    }

    /** Runs the launcher in the namespace; waits for it to return unless {@code background}. */
    private Process launch(boolean background, Path output, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns.name(), "env",
                "WIREFX_CLASSPATH=" + Interop.daemonClassPath(), Interop.launcher().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (background) {
            processes.add(p);
        } else {
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "launcher did not return");
        }
        return p;
    }

    private boolean interfaceExists(String name) throws IOException {
        return ns.ipResult("link", "show", "dev", name).exitCode() == 0;
    }

    @Test
    void detachesOnceReadyAndExitsWhenTheSocketIsDeleted() throws Exception {
        String name = newName();
        Path out = work.resolve("launch.out");
        Process p = launch(false, out, name);
        assertEquals(0, p.exitValue(), Files.readString(out));
        // Returned only once both exist, as wg-quick expects.
        assertTrue(Files.exists(socket(name), LinkOption.NOFOLLOW_LINKS), "socket");
        assertTrue(interfaceExists(name), "interface");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(socket(name), LinkOption.NOFOLLOW_LINKS)));
        long pid = Interop.listenerPid(ns, socket(name));
        assertTrue(pid > 0);
        assertNotEquals(p.pid(), pid, "the daemon is a separate, detached process");
        assertTrue(ns.execChecked("wg", "show", name).contains("interface: " + name));

        Files.delete(socket(name)); // what wg-quick on macOS does to stop a tunnel
        assertTrue(Interop.waitGone(pid, 15_000), "daemon still running after its socket was deleted");
        assertFalse(interfaceExists(name), "interface left behind");
    }

    @Test
    void aSecondInstanceFailsWithTheReason() throws Exception {
        String name = newName();
        Path out1 = work.resolve("first.out");
        assertEquals(0, launch(false, out1, name).exitValue(), Files.readString(out1));
        long pid = Interop.listenerPid(ns, socket(name));
        Path out2 = work.resolve("second.out");
        Process second = launch(false, out2, name);
        String text = Files.readString(out2);
        assertEquals(1, second.exitValue(), text);
        assertTrue(text.contains("Failed to start " + name), text);
        assertTrue(Interop.listenerPid(ns, socket(name)) == pid, "the first daemon keeps its socket");
        assertTrue(ns.execChecked("wg", "show", name).contains("interface: " + name));
    }

    @Test
    void staysInTheForegroundAndStopsOnSigterm() throws Exception {
        String name = newName();
        // WG_PROCESS_FOREGROUND=1 instead of -f, as wireguard-go honours it.
        List<String> cmd = List.of("ip", "netns", "exec", ns.name(), "env", "WG_PROCESS_FOREGROUND=1",
                "WIREFX_CLASSPATH=" + Interop.daemonClassPath(), Interop.launcher().toString(), name);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve("fg.out").toFile()).start();
        processes.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(socket(name), LinkOption.NOFOLLOW_LINKS) && System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), () -> "exited: " + read(work.resolve("fg.out")));
            Thread.sleep(20);
        }
        assertTrue(Files.exists(socket(name), LinkOption.NOFOLLOW_LINKS));
        assertEquals(p.pid(), Interop.listenerPid(ns, socket(name)), "the launcher became the daemon (exec)");
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), "no exit on SIGTERM");
        assertFalse(Files.exists(socket(name), LinkOption.NOFOLLOW_LINKS), "socket left behind");
        assertFalse(interfaceExists(name), "interface left behind");
    }

    @Test
    void exitsWhenItsInterfaceIsDeleted() throws Exception {
        String name = newName();
        Path out = work.resolve("launch.out");
        assertEquals(0, launch(false, out, name).exitValue(), Files.readString(out));
        long pid = Interop.listenerPid(ns, socket(name));
        ns.ip("link", "del", "dev", name); // what wg-quick down does
        assertTrue(Interop.waitGone(pid, 15_000), "daemon still running after its interface was deleted");
        assertFalse(Files.exists(socket(name), LinkOption.NOFOLLOW_LINKS), "socket left behind");
    }

    @Test
    void replacesAStaleSocket() throws Exception {
        String name = newName();
        Files.createDirectories(Interop.SOCKET_DIR);
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(socket(name)));
        } // left behind as by a crashed daemon: connect() is refused
        Path out = work.resolve("launch.out");
        assertEquals(0, launch(false, out, name).exitValue(), Files.readString(out));
        assertTrue(ns.execChecked("wg", "show", name).contains("interface: " + name));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
