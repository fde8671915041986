package io.wirefx.ui.xvfb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wirefx.ipc.TunnelState;
import io.wirefx.ui.RealService;
import io.wirefx.ui.TestTexts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app as a process of its own under a real X server with a tray (trayer) and connected to a real service, as a
 * desktop session runs it: SIGTERM (logout) ends it within a second, cleanly (exit status of a SIGTERM'd JVM that
 * ran its shutdown, no {@code hs_err_pid*.log}).
 */
@Tag("xvfb")
@ExtendWith(XvfbExtension.class)
class AppExitXvfbTest {

    @Test
    void sigtermWithTrayAndServiceExitsWithinASecond(@TempDir Path dir) throws Exception {
        try (RealService service = new RealService(dir, Duration.ofMillis(50), Duration.ofMillis(250))) {
            service.tunnels.create("home", TestTexts.conf(1));
            service.tunnels.start("home");
            Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
            Path work = Files.createDirectories(dir.resolve("cwd"));
            ProcessBuilder pb = new ProcessBuilder(javaBin.toString(), "-cp", System.getProperty("java.class.path"),
                    "-Dwirefx.ui.trace=true", "-Dprism.order=sw", "io.wirefx.ui.Main")
                    .directory(work.toFile()).redirectErrorStream(true);
            pb.environment().put("WIREFX_SOCKET", service.socket.toString());
            pb.environment().put("DISPLAY", XvfbExtension.display());
            pb.environment().put("GDK_BACKEND", "x11");
            Process app = pb.start();
            List<String> output = new CopyOnWriteArrayList<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(app.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        output.add(line);
                    }
                } catch (java.io.IOException ignored) {
                    // process ended
                }
            });
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (output.stream().noneMatch(l -> l.contains("tray installed"))) {
                    assertTrue(app.isAlive(), () -> "app ended early: " + output);
                    assertTrue(System.nanoTime() < deadline, () -> "no tray within 120 s: " + output);
                    Thread.sleep(50);
                }
                assertEquals(TunnelState.RUNNING, service.tunnels.state("home"));
                Thread.sleep(1500); // connected, tray menu built, stats flowing

                long t0 = System.nanoTime();
                app.destroy(); // SIGTERM
                boolean ended = app.waitFor(10, TimeUnit.SECONDS);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertTrue(ended, () -> "still running 10 s after SIGTERM: " + output);
                System.out.println("wirefx-ui exited " + ms + " ms after SIGTERM, status " + app.exitValue());
                // One second on an idle machine; on a machine loaded beyond its cores, scaled by the load.
                double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage() / Runtime.getRuntime().availableProcessors();
                long bound = Math.round(1000 * Math.max(1.0, load));
                assertTrue(ms < bound, () -> "exit took " + ms + " ms (bound " + bound + " ms): " + output);
                try (var files = Files.list(work)) {
                    assertEquals(List.of(), files.map(p -> p.getFileName().toString())
                            .filter(n -> n.startsWith("hs_err")).toList(), "no JVM crash log");
                }
                assertEquals(TunnelState.RUNNING, service.tunnels.state("home"), "tunnels outlive the app");
            } finally {
                app.destroyForcibly();
            }
        }
    }
}
