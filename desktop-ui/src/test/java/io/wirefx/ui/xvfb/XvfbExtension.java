package io.wirefx.ui.xvfb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a virtual X server ({@code Xvfb}) and a system tray ({@code trayer}) on the display the "xvfb" surefire
 * execution puts in {@code DISPLAY} (property {@code wirefx.ui.testDisplay}, default {@code :97}), once per test JVM;
 * stops them when the JVM's tests end. Tests are skipped, with the reason, where Xvfb or trayer is not installed
 * ({@code apt-get install xvfb trayer x11-utils}) or DISPLAY does not match.
 *
 * <p>Manual equivalent: {@code Xvfb :97 -screen 0 1280x800x24 -nolisten tcp &
 * DISPLAY=:97 trayer --edge top --align right --widthtype request --height 28 --SetDockType true &}.
 */
public final class XvfbExtension implements BeforeAllCallback {
    private static final String KEY = "wirefx-xvfb";

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Servers servers = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KEY, k -> start(), Servers.class);
        Assumptions.assumeTrue(servers.skipReason == null, () -> "X tests skipped: " + servers.skipReason);
    }

    /** Display from the surefire configuration. */
    public static String display() {
        return System.getProperty("wirefx.ui.testDisplay", ":97");
    }

    private static Servers start() {
        String display = display();
        String env = System.getenv("DISPLAY");
        if (!display.equals(env)) {
            return new Servers("DISPLAY is " + env + ", not " + display + " (run through the 'xvfb-test' execution)");
        }
        for (String tool : new String[] {"Xvfb", "trayer", "xwininfo"}) {
            if (which(tool) == null) {
                return new Servers(tool + " is not installed (apt-get install xvfb trayer x11-utils)");
            }
        }
        Servers s = new Servers(null);
        try {
            if (!responds(display)) {
                Path log = Files.createTempFile("xvfb", ".log");
                s.started.add(new ProcessBuilder("Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start());
                if (!waitFor(() -> responds(display), 10_000)) {
                    s.close();
                    return new Servers("Xvfb did not come up on " + display + " (see " + log + ")");
                }
            }
            if (!trayRunning(display)) {
                Path log = Files.createTempFile("trayer", ".log");
                ProcessBuilder pb = new ProcessBuilder("trayer", "--edge", "top", "--align", "right",
                        "--widthtype", "request", "--height", "28", "--SetDockType", "true", "--transparent",
                        "false", "--tint", "0x2b2b2b", "--expand", "true", "--padding", "4");
                pb.environment().put("DISPLAY", display);
                s.started.add(pb.redirectErrorStream(true).redirectOutput(log.toFile()).start());
                if (!waitFor(() -> trayRunning(display), 10_000)) {
                    s.close();
                    return new Servers("trayer did not start on " + display + " (see " + log + ")");
                }
            }
            s.stopAfterThisJvm();
        } catch (IOException e) {
            s.close();
            return new Servers("cannot start Xvfb/trayer: " + e.getMessage());
        }
        return s;
    }

    private static Path which(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static boolean responds(String display) {
        return run(List.of("xwininfo", "-display", display, "-root")) != null;
    }

    private static boolean trayRunning(String display) {
        String out = run(List.of("xwininfo", "-display", display, "-root", "-children"));
        return out != null && out.contains("\"panel\" \"trayer\"");
    }

    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return new String(out);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static boolean waitFor(java.util.function.BooleanSupplier ok, long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            if (ok.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return ok.getAsBoolean();
    }

    /** The processes this JVM started (stopped once it has exited), or why the X tests are skipped. */
    static final class Servers {
        final String skipReason;
        final List<Process> started = new ArrayList<>();

        Servers(String skipReason) {
            this.skipReason = skipReason;
        }

        /**
         * AWT and GTK end the process if their X server vanishes, so the servers must outlive this JVM: a small
         * watchdog shell stops them once the JVM is gone.
         */
        void stopAfterThisJvm() throws IOException {
            if (started.isEmpty()) {
                return;
            }
            StringBuilder pids = new StringBuilder();
            for (int i = started.size() - 1; i >= 0; i--) {
                pids.append(' ').append(started.get(i).pid());
            }
            String script = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 0.3; done; "
                    + "kill" + pids + " 2>/dev/null; exit 0";
            new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        }

        /** Stops what was started (only when start-up failed half-way, before any X client connected). */
        void close() {
            for (int i = started.size() - 1; i >= 0; i--) {
                Process p = started.get(i);
                p.destroy();
                try {
                    if (!p.waitFor(3, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
