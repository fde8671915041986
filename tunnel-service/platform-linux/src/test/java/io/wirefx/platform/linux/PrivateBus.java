package io.wirefx.platform.linux;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A bus of the test's own, standing in for the system bus: {@code dbus-daemon --session} (Debian package
 * {@code dbus}) listening on {@code unix:path=DIR/bus}, so that it can be stopped and started again at the same
 * address. The test is skipped where dbus-daemon is not installed.
 */
public final class PrivateBus implements AutoCloseable {
    private final Path socket;
    private Process daemon;

    private PrivateBus(Path socket) {
        this.socket = socket;
    }

    /** Starts a bus with its socket in {@code dir}. */
    public static PrivateBus start(Path dir) throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dbus-daemon")),
                "dbus-daemon is not installed (apt-get install dbus)");
        PrivateBus bus = new PrivateBus(dir.resolve("bus"));
        bus.restart();
        return bus;
    }

    /** The bus's address, for {@code DBUS_SYSTEM_BUS_ADDRESS}. */
    public String address() {
        return "unix:path=" + socket;
    }

    /** Starts the daemon again (after {@link #stop()}) at the same address. */
    public void restart() throws IOException {
        Files.deleteIfExists(socket);
        Process p = new ProcessBuilder("/usr/bin/dbus-daemon", "--session", "--nofork", "--print-address=1",
                "--address=" + address()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String printed = r.readLine();
        if (printed == null || printed.isBlank()) {
            p.destroyForcibly();
            throw new IllegalStateException("dbus-daemon printed no address");
        }
        daemon = p;
    }

    /** Kills the daemon: every client loses its connection. */
    public void stop() throws InterruptedException {
        if (daemon != null) {
            daemon.destroy();
            if (!daemon.waitFor(5, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            daemon = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
