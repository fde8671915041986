package io.wirefx.tun.macos;

import io.wirefx.tun.PacketBatch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real utun interface on macOS, as root (the CI workflow runs it with sudo): open it, give it an address and a
 * route for a private /24, ping an address inside it, read the echo request from the device, write the reply, and
 * {@code ping} must succeed. Touches only its own interface and that /24.
 */
@Tag("macos")
@EnabledOnOs(OS.MAC)
class RealUtunTest {

    @Test
    void pingThroughAUtunAnsweredByTheTest() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        UtunDriver driver = new UtunDriver();
        assumeTrue(driver.isAvailable(), () -> driver.unavailabilityCause().orElse(""));
        try (UtunDevice tun = driver.open("utun", 1420)) {
            String name = tun.name();
            assertTrue(name.matches("utun[0-9]+"), name);
            assertEquals(1420, tun.mtu());
            run("ifconfig", name, "inet", "10.177.33.1/24", "10.177.33.1", "alias");
            run("ifconfig", name, "up");
            run("route", "-q", "-n", "add", "-inet", "10.177.33.0/24", "-interface", name);
            CompletableFuture<Integer> ping = CompletableFuture.supplyAsync(() -> {
                try {
                    return new ProcessBuilder("ping", "-c", "1", "-t", "10", "10.177.33.2").inheritIO().start()
                            .waitFor();
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            PacketBatch batch = new PacketBatch(8, 1500);
            byte[] request = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (request == null && System.nanoTime() < deadline) {
                int n = tun.read(batch);
                for (int i = 0; i < n; i++) {
                    byte[] p = batch.copyPacket(i);
                    if ((p[0] >> 4) == 4 && p[9] == 1 && (p[20] & 0xFF) == 8 && (p[16] & 0xFF) == 10
                            && (p[19] & 0xFF) == 2) {
                        request = p; // ICMP echo request to 10.177.33.2
                    }
                }
            }
            assertTrue(request != null, "no echo request read from " + name);
            PacketBatch reply = new PacketBatch(1, 1500);
            reply.add(echoReply(request));
            assertEquals(1, tun.write(reply));
            assertEquals(0, ping.get(15, TimeUnit.SECONDS), "ping got no reply");
        }
    }

    /** The reply to an IPv4 ICMP echo request: addresses swapped, type 0, both checksums recomputed. */
    static byte[] echoReply(byte[] request) {
        byte[] p = request.clone();
        int ihl = (p[0] & 0xF) * 4;
        for (int i = 0; i < 4; i++) {
            byte t = p[12 + i];
            p[12 + i] = p[16 + i];
            p[16 + i] = t;
        }
        p[8] = 64;
        p[10] = 0;
        p[11] = 0;
        int ipSum = checksum(p, 0, ihl);
        p[10] = (byte) (ipSum >> 8);
        p[11] = (byte) ipSum;
        p[ihl] = 0;
        p[ihl + 2] = 0;
        p[ihl + 3] = 0;
        int icmpSum = checksum(p, ihl, p.length - ihl);
        p[ihl + 2] = (byte) (icmpSum >> 8);
        p[ihl + 3] = (byte) icmpSum;
        return p;
    }

    private static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i < len - 1; i += 2) {
            sum += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xFF) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    private static void run(String... argv) throws Exception {
        Process p = new ProcessBuilder(List.of(argv)).inheritIO().start();
        assertEquals(0, p.waitFor(), String.join(" ", argv));
    }
}
