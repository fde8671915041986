package io.wirefx.tun.windows;

import io.wirefx.tun.PacketBatch;
import io.wirefx.tun.testing.Ip4;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Wintun adapter (Windows, elevated; {@code wirefx.install.dir} holds the pinned {@code wintun-0.14.1.zip}):
 * the adapter gets 10.77.0.1/24 (netsh), {@code ping 10.77.0.2} sends an echo request into the adapter, the test
 * reads it from the session and writes the echo reply, and ping must succeed.
 */
@Tag("windows")
@EnabledOnOs(OS.WINDOWS)
class WintunAdapterWindowsTest {

    static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd));
        return p.exitValue();
    }

    @Test
    void pingInTheAdaptersSubnetIsAnsweredThroughTheSession() throws Exception {
        WintunDriver driver = new WintunDriver();
        assertTrue(driver.isAvailable(), driver.unavailabilityCause().orElse(""));
        try (WintunDevice dev = driver.open("wfx-ci-ping", 1420)) {
            assertEquals(0, run("netsh", "interface", "ipv4", "set", "address", "name=wfx-ci-ping", "static",
                    "10.77.0.1", "255.255.255.0"));
            Thread.sleep(3000); // address becomes usable
            Process ping = new ProcessBuilder("ping", "-n", "3", "-w", "3000", "10.77.0.2").inheritIO().start();
            PacketBatch batch = new PacketBatch(16, 2048);
            int answered = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (answered == 0 && System.nanoTime() < deadline) {
                int n = dev.read(batch);
                for (int i = 0; i < n; i++) {
                    byte[] p = batch.copyPacket(i);
                    byte[] answer = Ip4.echoReplyFor(p, 0, p.length);
                    if (answer != null && p[19] == 2) { // to 10.77.0.2
                        PacketBatch reply = new PacketBatch(1, 2048);
                        reply.add(answer);
                        assertEquals(1, dev.write(reply));
                        answered++;
                    }
                }
            }
            assertTrue(answered > 0, "no echo request read from the session");
            assertTrue(ping.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, ping.exitValue(), "ping got its reply through Wintun");
        }
    }
}
