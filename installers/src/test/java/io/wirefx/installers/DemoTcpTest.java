package io.wirefx.installers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's Java throughput fallback ({@code bin/.wirefx-demo-tcp.java}) moves bytes and reports a rate. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DemoTcpTest {

    @Test
    void sendsForTheGivenTimeAndTheReceiverReportsTheRate() throws Exception {
        Path root = Processes.repoRoot();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String source = root.resolve("bin/.wirefx-demo-tcp.java").toString();
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String p = Integer.toString(port);
        CompletableFuture<Processes.Result> receiver = CompletableFuture.supplyAsync(() -> {
            try {
                return Processes.run(root, Map.of(), 90, List.of(java, source, "receive", "127.0.0.1", p));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Processes.Result sent = null;
        for (int i = 0; i < 100 && (sent == null || sent.exitCode() != 0); i++) {
            Thread.sleep(200);
            sent = Processes.run(root, 60, java, source, "send", "127.0.0.1", p, "1");
        }
        assertEquals(0, sent.exitCode(), sent::both);
        Processes.Result got = receiver.get(90, TimeUnit.SECONDS);
        assertEquals(0, got.exitCode(), got::both);
        assertTrue(got.out().matches("received [0-9.]+ MB in [0-9.]+ s: [1-9][0-9]* Mbit/s\\s*"), got::both);
    }
}
