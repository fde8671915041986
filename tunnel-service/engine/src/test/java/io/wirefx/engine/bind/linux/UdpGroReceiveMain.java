package io.wirefx.engine.bind.linux;

import io.wirefx.engine.bind.DatagramBatch;
import io.wirefx.tun.linux.testing.NetNs;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The receive side's cost with and without UDP_GRO, in one run: a {@link LinuxUdpBind} sender segments batches of
 * 64 datagrams of {@code size} bytes ({@code UDP_SEGMENT}) to a receiver on the loopback of a throw-away namespace
 * for {@code seconds}; the receiver is opened with offloads (coalesced buffers, cut up in Java) or without (one
 * datagram per message), alternately, {@code rounds} times each. Prints per round the datagrams received, their rate
 * and the receiving thread's CPU time per datagram (which depends less on the machine's load than the rate). Root.
 *
 * <pre>
 * java -cp ... io.wirefx.engine.bind.linux.UdpGroReceiveMain [seconds=2] [rounds=3] [size=1400]
 * </pre>
 */
public final class UdpGroReceiveMain {
    private UdpGroReceiveMain() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = 2;
        int rounds = 3;
        int size = 1400;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "seconds" -> seconds = Integer.parseInt(kv[1]);
                case "rounds" -> rounds = Integer.parseInt(kv[1]);
                case "size" -> size = Integer.parseInt(kv[1]);
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        try (NetNs ns = NetNs.create("wfxgrom-")) {
            ns.ip("link", "set", "lo", "up");
            for (int r = 0; r < rounds; r++) {
                for (boolean gro : new boolean[]{true, false}) {
                    System.out.println(round(ns, gro, seconds, size));
                }
            }
        }
    }

    private static String round(NetNs ns, boolean gro, int seconds, int size) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (LinuxUdpBind tx = ns.runInside(() -> LinuxUdpBind.open(0, true));
             LinuxUdpBind rx = ns.runInside(() -> LinuxUdpBind.open(0, gro))) {
            InetSocketAddress to = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), rx.localPort());
            AtomicBoolean stop = new AtomicBoolean();
            long[] sent = new long[1];
            Thread sender = Thread.ofPlatform().name("gro-sender").start(() -> {
                DatagramBatch out = new DatagramBatch(64, 16, 1500, 32);
                byte[] d = new byte[size];
                for (int i = 0; i < 64; i++) {
                    out.add(d, 0, size, to);
                }
                try {
                    while (!stop.get()) {
                        sent[0] += tx.send(out);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            DatagramBatch in = new DatagramBatch(64, 0, 9032, 0);
            long got = 0;
            long calls = 0;
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            long end = t0 + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                int n = rx.receive(in);
                if (n < 0) {
                    break;
                }
                got += n;
                calls++;
            }
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            long wall = System.nanoTime() - t0;
            stop.set(true);
            sender.join();
            return String.format("%-8s %9d datagrams received (%9d sent), %8.0f/s, %6.0f ns receive CPU per datagram,"
                            + " %5.1f datagrams per receive call, %d coalesced buffers",
                    gro ? "GRO" : "no GRO", got, sent[0], got * 1e9 / wall, (double) cpu / Math.max(got, 1),
                    (double) got / Math.max(calls, 1), rx.groMessages());
        }
    }
}
