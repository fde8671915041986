package io.wirefx.engine;

import io.wirefx.tun.memory.MemoryTun;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32;

/**
 * A checked bulk transfer through an engine pair: a sender thread injects numbered packets into one TUN (flows
 * alternate IPv4 / IPv6 inner packets), the calling thread takes them from the other TUN and checks every byte, the
 * per-flow order and a CRC32 per flow. A window of packets in flight (like TCP's) keeps the kernel's UDP buffers from
 * overflowing, so nothing may be lost: a packet that never arrives fails the transfer after {@code stallMillis}.
 */
final class Traffic {

    /** What a transfer moved. */
    record Result(long packets, long payloadBytes, long nanos, long[] sentCrc, long[] receivedCrc) {
        double mbitPerSecond() {
            return payloadBytes * 8.0 / (nanos / 1e9) / 1e6;
        }
    }

    private final MemoryTun in;
    private final MemoryTun out;
    private final String src4;
    private final String dst4;
    private final String src6;
    private final String dst6;
    int flows = 4;
    int packetSize = 1400; // IP packet size, ≤ MTU
    int window = defaultWindow();
    long stallMillis = 10_000;
    int firstFlow; // flow ids start here (two transfers at once use different ids)

    /**
     * Packets in flight: as many as the receiving socket buffer surely holds (a datagram costs ~2.3 KB of buffer), so
     * the test is lossless also where {@code net.core.rmem_max} is small and the bind cannot raise its buffer.
     */
    static int defaultWindow() {
        long rmem = 4L << 20;
        try {
            rmem = Long.parseLong(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/core/rmem_max"))
                    .strip());
        } catch (java.io.IOException | RuntimeException ignored) {
            // not Linux: assume a roomy buffer
        }
        // the kernel doubles the requested size for its bookkeeping
        return (int) Math.clamp(2 * rmem / 2400 / 2, 64, 1024);
    }

    Traffic(MemoryTun in, MemoryTun out, String src4, String dst4, String src6, String dst6) {
        this.in = in;
        this.out = out;
        this.src4 = src4;
        this.dst4 = dst4;
        this.src6 = src6;
        this.dst6 = dst6;
    }

    static Traffic aToB(EnginePair p) {
        return new Traffic(p.tunA, p.tunB, EnginePair.A4, EnginePair.B4, EnginePair.A6, EnginePair.B6);
    }

    static Traffic bToA(EnginePair p) {
        return new Traffic(p.tunB, p.tunA, EnginePair.B4, EnginePair.A4, EnginePair.B6, EnginePair.A6);
    }

    /** Moves {@code totalBytes} of IP packets. */
    Result run(long totalBytes) throws InterruptedException {
        long packets = (totalBytes + packetSize - 1) / packetSize;
        return run(packets, () -> false);
    }

    /**
     * Sends up to {@code maxPackets} packets, or until {@code stop} says so; then checks that every packet sent
     * arrived, in order per flow, byte for byte.
     */
    Result run(long maxPackets, BooleanSupplier stop) throws InterruptedException {
        Semaphore credits = new Semaphore(window);
        long[] sentCrc = new long[flows];
        long[] sentCount = new long[1];
        AtomicReference<Throwable> senderFailure = new AtomicReference<>();
        Thread sender = Thread.ofPlatform().daemon().name("traffic-sender").start(() -> {
            CRC32[] crc = new CRC32[flows];
            for (int f = 0; f < flows; f++) {
                crc[f] = new CRC32();
            }
            int[] seq = new int[flows];
            long n = 0;
            try {
                while (n < maxPackets && !stop.getAsBoolean()) {
                    if (!credits.tryAcquire(stallMillis, TimeUnit.MILLISECONDS)) {
                        throw new AssertionError("no credit for " + stallMillis + " ms: packets lost");
                    }
                    int f = (int) (n % flows);
                    boolean v6 = (f & 1) == 1;
                    int header = v6 ? Packets.IPV6_HEADER : Packets.IPV4_HEADER;
                    byte[] payload = Packets.payload(firstFlow + f, seq[f]++, packetSize - header);
                    crc[f].update(payload);
                    byte[] pkt = v6 ? Packets.ipv6(src6, dst6, payload) : Packets.ipv4(src4, dst4, payload);
                    while (!in.inject(pkt)) {
                        if (!in.isOpen()) {
                            throw new AssertionError("TUN closed during transfer");
                        }
                        Thread.sleep(1);
                    }
                    n++;
                }
            } catch (Throwable t) {
                senderFailure.set(t);
            } finally {
                for (int f = 0; f < flows; f++) {
                    sentCrc[f] = crc[f].getValue();
                }
                synchronized (sentCount) {
                    sentCount[0] = n;
                    sentCount.notifyAll();
                }
            }
        });

        long start = System.nanoTime();
        CRC32[] crc = new CRC32[flows];
        for (int f = 0; f < flows; f++) {
            crc[f] = new CRC32();
        }
        int[] expect = new int[flows];
        long received = 0;
        long bytes = 0;
        try {
            while (true) {
                if (!sender.isAlive()) {
                    sender.join();
                    if (received == sentCount[0]) {
                        break;
                    }
                }
                byte[] p = out.takeWritten(stallMillis, TimeUnit.MILLISECONDS);
                if (p == null) {
                    if (!sender.isAlive() && received == sentCount[0]) {
                        break;
                    }
                    throw new AssertionError("transfer stalled after " + received + " packets (none for "
                            + stallMillis + " ms)");
                }
                boolean v6 = (p[0] & 0xf0) == 0x60;
                int header = v6 ? Packets.IPV6_HEADER : Packets.IPV4_HEADER;
                int flow = Packets.flowOf(p, header) - firstFlow;
                if (flow < 0 || flow >= flows) {
                    throw new AssertionError("packet of an unknown flow " + (flow + firstFlow));
                }
                int seq = Packets.seqOf(p, header);
                if (seq != expect[flow]) {
                    throw new AssertionError("flow " + flow + ": expected packet " + expect[flow] + " but got " + seq);
                }
                if (!Packets.payloadMatches(p, header, flow + firstFlow, seq)) {
                    throw new AssertionError("flow " + flow + " packet " + seq + ": payload corrupted");
                }
                if (((p[0] & 0xf0) == 0x40) == ((flow & 1) == 1)) {
                    throw new AssertionError("flow " + flow + " arrived with the wrong IP version");
                }
                expect[flow]++;
                crc[flow].update(p, header, p.length - header);
                bytes += p.length;
                received++;
                credits.release();
            }
        } finally {
            sender.interrupt();
            sender.join(5000);
        }
        long nanos = System.nanoTime() - start;
        if (senderFailure.get() != null) {
            throw new AssertionError("sender failed", senderFailure.get());
        }
        long[] receivedCrc = new long[flows];
        for (int f = 0; f < flows; f++) {
            receivedCrc[f] = crc[f].getValue();
        }
        return new Result(received, bytes, nanos, sentCrc, receivedCrc);
    }
}
