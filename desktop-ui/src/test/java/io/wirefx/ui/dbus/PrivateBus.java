package io.wirefx.ui.dbus;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A session bus of the test's own: {@code dbus-daemon --session --nofork --print-address} (Debian package
 * {@code dbus}); the test is skipped where it is not installed. Closing kills the daemon.
 */
final class PrivateBus implements AutoCloseable {
    final String address;
    private final Process daemon;

    private PrivateBus(Process daemon, String address) {
        this.daemon = daemon;
        this.address = address;
    }

    static PrivateBus start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dbus-daemon")),
                "dbus-daemon is not installed (apt-get install dbus)");
        Process p = new ProcessBuilder("dbus-daemon", "--session", "--nofork", "--print-address=1")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String address = r.readLine();
        if (address == null || address.isBlank()) {
            p.destroyForcibly();
            throw new IllegalStateException("dbus-daemon printed no address");
        }
        return new PrivateBus(p, address.strip());
    }

    @Override
    public void close() throws InterruptedException {
        daemon.destroy();
        if (!daemon.waitFor(5, TimeUnit.SECONDS)) {
            daemon.destroyForcibly();
        }
    }
}
