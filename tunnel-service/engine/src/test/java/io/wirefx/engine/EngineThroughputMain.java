package io.wirefx.engine;

import io.wirefx.engine.bind.NioUdpBind;
import io.wirefx.engine.bind.UdpBind;
import io.wirefx.engine.bind.linux.LinuxUdpBind;
import io.wirefx.tun.memory.MemoryTun;

import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A quick, JMH-free throughput check: two engines over loopback UDP with in-memory TUN devices, one-way bulk of
 * pre-built IPv4 packets A → B with a window of packets in flight. Prints Mbit/s of IP packets delivered.
 *
 * <pre>
 * ./mvnw -B -q -pl tunnel-service/engine test-compile
 * java -cp "tunnel-service/engine/target/test-classes:tunnel-service/engine/target/classes:$(cat cp.txt)" \
 *      io.wirefx.engine.EngineThroughputMain [bind=nio|linux] [crypto=N] [seconds=S] [size=BYTES] [batch=N]
 *      [depth=N] [window=N] [loopback=127.0.0.1]
 * </pre>
 * Not a test (no assertions on speed); numbers depend on the machine and on what else runs.
 */
public final class EngineThroughputMain {
    private EngineThroughputMain() {
    }

    public static void main(String[] args) throws Exception {
        String bindName = LinuxUdpBind.isAvailable() ? "linux" : "nio";
        int crypto = WireGuardEngine.Builder.defaultCryptoThreads();
        int seconds = 10;
        int size = 1420;
        int batch = WireGuardEngine.DEFAULT_BATCH_SIZE;
        int depth = WireGuardEngine.DEFAULT_PIPELINE_DEPTH;
        int window = 2048;
        String loopback = "127.0.0.1";
        boolean inline = true;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "bind" -> bindName = kv[1];
                case "crypto" -> crypto = Integer.parseInt(kv[1]);
                case "seconds" -> seconds = Integer.parseInt(kv[1]);
                case "size" -> size = Integer.parseInt(kv[1]);
                case "batch" -> batch = Integer.parseInt(kv[1]);
                case "depth" -> depth = Integer.parseInt(kv[1]);
                case "window" -> window = Integer.parseInt(kv[1]);
                case "loopback" -> loopback = kv[1];
                case "inline" -> inline = Boolean.parseBoolean(kv[1]);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        UdpBind.Factory factory = bindName.equals("linux") ? LinuxUdpBind::open : NioUdpBind::open;
        EnginePair.Options o = EnginePair.options().bindFactory(factory).cryptoThreads(crypto).loopback(loopback);
        o.batchSize = batch;
        o.pipelineDepth = depth;
        o.inlineWhenIdle = inline;
        o.tunQueue = Math.max(window * 2, 4096);
        try (EnginePair p = EnginePair.start(o)) {
            // establish the session
            byte[] ping = Packets.ipv4(EnginePair.A4, EnginePair.B4, Packets.payload(0, 0, 64));
            if (EnginePair.roundTrip(p.tunA, p.tunB, ping, 5000) == null) {
                throw new IllegalStateException("no handshake");
            }
            byte[][] pool = new byte[64][];
            for (int i = 0; i < pool.length; i++) {
                pool[i] = Packets.ipv4(EnginePair.A4, EnginePair.B4, Packets.payload(1, i, size - Packets.IPV4_HEADER));
            }
            long warmupNanos = TimeUnit.SECONDS.toNanos(Math.min(3, seconds));
            long runNanos = TimeUnit.SECONDS.toNanos(seconds);
            Semaphore credits = new Semaphore(window);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong received = new AtomicLong();
            AtomicLong receivedBytes = new AtomicLong();
            MemoryTun in = p.tunA;
            MemoryTun out = p.tunB;
            Thread sender = Thread.ofPlatform().name("bench-sender").start(() -> {
                int i = 0;
                try {
                    while (!stop.get()) {
                        if (!credits.tryAcquire(1, TimeUnit.SECONDS)) {
                            continue; // losses: the window shrinks; keep going
                        }
                        while (!in.inject(pool[i++ & 63])) {
                            Thread.onSpinWait();
                        }
                    }
                } catch (InterruptedException ignored) {
                    // stop
                }
            });
            Thread receiver = Thread.ofPlatform().name("bench-receiver").start(() -> {
                try {
                    while (!stop.get()) {
                        byte[] pkt = out.takeWritten(100, TimeUnit.MILLISECONDS);
                        if (pkt != null) {
                            received.incrementAndGet();
                            receivedBytes.addAndGet(pkt.length);
                            credits.release();
                        }
                    }
                } catch (InterruptedException ignored) {
                    // stop
                }
            });
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(warmupNanos));
            long b0 = receivedBytes.get();
            long p0 = received.get();
            long t0 = System.nanoTime();
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(runNanos));
            long b1 = receivedBytes.get();
            long p1 = received.get();
            long t1 = System.nanoTime();
            stop.set(true);
            sender.interrupt();
            sender.join();
            receiver.join();
            double secs = (t1 - t0) / 1e9;
            System.out.printf(Locale.ROOT, "inline=" + inline + " bind=%s crypto=%d batch=%d depth=%d size=%d window=%d: %.0f Mbit/s, %.0f kpps "
                            + "(cores=%d)%n", bindName, crypto, batch, depth, size, window,
                    (b1 - b0) * 8 / secs / 1e6, (p1 - p0) / secs / 1e3, Runtime.getRuntime().availableProcessors());
            System.out.println("A: " + p.a.stats().counters());
            System.out.println("B: " + p.b.stats().counters());
        }
    }
}
