package io.wirefx.installers;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code bin/wirefx demo --ui} on a virtual X server (Xvfb) with a system tray (trayer): once the tunnel is up the
 * tray app opens against the service in the demo's first namespace (its tray icon installed, a connection on that
 * service's socket), the test quits it with Ctrl+Q in its window as a user would, and the demo then takes the tunnel
 * down and removes everything it made.
 */
@Tag("heavy")
@Timeout(value = 600, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DemoUiTest {
    private static final Pattern NAMESPACES = Pattern.compile("namespaces (wfxdemo-[0-9a-f]+-a) and ");

    @BeforeEach
    void needsRootAndX() {
        assumeTrue(Processes.isRoot(), "demo --ui test skipped: needs root (network namespaces)");
        for (String tool : List.of("ip", "ping", "ss", "Xvfb", "trayer", "xdotool")) {
            assumeTrue(Processes.onPath(tool), "demo --ui test skipped: needs " + tool);
        }
    }

    @Test
    void trayAppOpensOnTheDemoServiceAndQuittingItEndsTheDemo() throws Exception {
        Path root = Processes.repoRoot();
        int n = 120;
        while (n < 160 && (Files.exists(Path.of("/tmp/.X11-unix/X" + n)) || Files.exists(Path.of("/tmp/.X" + n + "-lock")))) {
            n++;
        }
        String display = ":" + n;
        List<Process> x = new ArrayList<>();
        try {
            x.add(new ProcessBuilder("Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            for (int i = 0; i < 100 && !Files.exists(Path.of("/tmp/.X11-unix/X" + n)); i++) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(Path.of("/tmp/.X11-unix/X" + n)), "Xvfb did not come up on " + display);
            ProcessBuilder tray = new ProcessBuilder("trayer", "--edge", "top", "--align", "right", "--widthtype",
                    "request", "--height", "28", "--SetDockType", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            tray.environment().put("DISPLAY", display);
            x.add(tray.start());

            ProcessBuilder pb = new ProcessBuilder("setsid", root.resolve("bin/wirefx").toString(), "demo", "--ui")
                    .directory(root.toFile()).redirectErrorStream(true);
            pb.environment().put("DISPLAY", display);
            pb.environment().put("GDK_BACKEND", "x11");
            pb.environment().put("WIREFX_UI_JAVA_OPTS", "-Dwirefx.ui.trace=true -Dprism.order=sw");
            pb.environment().remove("SUDO_USER");
            pb.environment().remove("WAYLAND_DISPLAY");
            Process demo = pb.start();
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(demo.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (java.io.IOException e) {
                    // the demo ended
                }
            });
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
                while (lines.stream().noneMatch(l -> l.contains("tray installed"))) {
                    assertTrue(demo.isAlive(), () -> "the demo ended before the tray app was up:\n" + text(lines));
                    assertTrue(System.nanoTime() < deadline, () -> "no tray app after 300 s:\n" + text(lines));
                    Thread.sleep(200);
                }
                assertTrue(lines.stream().anyMatch(l -> l.contains("opening the tray app on the service in")),
                        text(lines));
                Matcher ns = NAMESPACES.matcher(text(lines));
                assertTrue(ns.find(), text(lines));
                // The app's connection, accepted by the service in the namespace (the CLI's have ended by now).
                String connections = Processes.run(Path.of("/"), 30, "ss", "-xH", "state", "established").out();
                assertTrue(connections.lines().anyMatch(l -> l.contains("/wirefx-demo.") && l.contains("/a/wirefx.sock")),
                        "the tray app is connected to the service in " + ns.group(1) + ":\n" + connections);

                // Ctrl+Q in the main window: focus it (no window manager on Xvfb) and type the keys.
                Processes.Result window = Processes.run(root, java.util.Map.of("DISPLAY", display), 60,
                        List.of("xdotool", "search", "--sync", "--onlyvisible", "--name", "^WireFX$"));
                assertEquals(0, window.exitCode(), window::both);
                String id = window.out().strip().lines().findFirst().orElseThrow();
                Processes.Result key = Processes.run(root, java.util.Map.of("DISPLAY", display), 30,
                        List.of("xdotool", "windowfocus", "--sync", id, "key", "--clearmodifiers", "ctrl+q"));
                assertEquals(0, key.exitCode(), key::both);

                // The first run of bin/wirefx-ui writes its start-up cache as it exits, which takes a while.
                assertTrue(demo.waitFor(240, TimeUnit.SECONDS), () -> "the demo did not end after Ctrl+Q:\n"
                        + text(lines));
                reader.join(10_000);
                assertEquals(0, demo.exitValue(), () -> text(lines));
                assertTrue(lines.stream().anyMatch(l -> l.contains("demo is down")), text(lines));
                DemoTest.assertNothingLeft(text(lines));
            } finally {
                if (demo.isAlive()) {
                    new ProcessBuilder("kill", "-INT", "--", "-" + demo.pid()).inheritIO().start().waitFor();
                    demo.waitFor(120, TimeUnit.SECONDS);
                }
            }
        } finally {
            for (Process p : x.reversed()) {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String text(List<String> lines) {
        return String.join("\n", lines);
    }
}
