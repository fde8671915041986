package io.wirefx.engine;

import io.wirefx.core.config.Config;
import io.wirefx.core.timers.Timings;
import io.wirefx.engine.bind.linux.LinuxUdpBind;
import io.wirefx.tun.memory.MemoryTun;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Child process of {@link EndpointReresolutionTest}, run under {@code ip netns exec} so that the namespace's
 * {@code /etc/netns/NS/resolv.conf} is the resolver's configuration: an engine on a {@link MemoryTun} with timings
 * scaled by {@code args[1]}, configured from the wg-quick file {@code args[0]} (its peer's endpoint is a host name).
 * For each {@code ping SRC DST} line on stdin it sends echo requests through the tunnel for up to two seconds and
 * prints {@code ok ENDPOINT} at the first reply or {@code no ENDPOINT}.
 */
public final class ReresolveNodeMain {
    private ReresolveNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        Config config = Config.parse(Files.readString(Path.of(args[0])));
        MemoryTun tun = new MemoryTun("reresolve", 1420);
        WireGuardEngine engine = WireGuardEngine.builder(tun).timings(Timings.STANDARD.scaled(
                Double.parseDouble(args[1]))).bindFactory(LinuxUdpBind::open).build();
        engine.applyConfig(config);
        engine.start();
        var peerKey = config.peers().getFirst().publicKey();
        System.out.println("started " + engine.peer(peerKey).orElseThrow().endpoint());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int seq = 0;
        for (String line; (line = in.readLine()) != null; ) {
            String[] w = line.split(" ");
            boolean ok = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!ok && System.nanoTime() < deadline) {
                tun.inject(Icmp.echoRequest4(w[1], w[2], 0x55, ++seq, new byte[32]));
                byte[] reply = tun.takeWritten(200, TimeUnit.MILLISECONDS);
                ok = reply != null && Icmp.type(reply) == 0;
            }
            System.out.println((ok ? "ok " : "no ") + engine.peer(peerKey).orElseThrow().endpoint());
        }
        engine.close();
    }
}
