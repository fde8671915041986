package io.wirefx.engine;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.crypto.KeyPair;
import io.wirefx.core.device.Peer;
import io.wirefx.core.net.IpPrefix;
import io.wirefx.core.timers.Timings;
import io.wirefx.engine.bind.NioUdpBind;
import io.wirefx.engine.bind.UdpBind;
import io.wirefx.tun.memory.MemoryTun;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Two engines in one JVM, wired over loopback UDP, each with a {@link MemoryTun}: the engine counterpart of
 * wireguard-go's tuntest pair. A is 10.0.0.1 / fd00::1, B is 10.0.0.2 / fd00::2.
 */
final class EnginePair implements AutoCloseable {
    static final String A4 = "10.0.0.1";
    static final String B4 = "10.0.0.2";
    static final String A6 = "fd00::1";
    static final String B6 = "fd00::2";
    static final int MTU = 1420;

    final MemoryTun tunA;
    final MemoryTun tunB;
    final WireGuardEngine a;
    final WireGuardEngine b;
    final KeyPair keysA;
    final KeyPair keysB;
    final InetAddress loopback;

    /** Options for {@link #start}. */
    static final class Options {
        String loopback = "127.0.0.1";
        Timings timings = Timings.STANDARD;
        UdpBind.Factory bindFactory = NioUdpBind::open;
        Key psk;
        int cryptoThreads = 1;
        long seed = 1;
        int tunQueue = 8192;
        int batchSize = WireGuardEngine.DEFAULT_BATCH_SIZE;
        int pipelineDepth = WireGuardEngine.DEFAULT_PIPELINE_DEPTH;
        boolean inlineWhenIdle = true;
        boolean endpointOnA = true;
        boolean endpointOnB = true;

        Options loopback(String v) {
            loopback = v;
            return this;
        }

        Options timings(Timings v) {
            timings = v;
            return this;
        }

        Options bindFactory(UdpBind.Factory v) {
            bindFactory = v;
            return this;
        }

        Options psk(Key v) {
            psk = v;
            return this;
        }

        Options cryptoThreads(int v) {
            cryptoThreads = v;
            return this;
        }

        Options seed(long v) {
            seed = v;
            return this;
        }

        Options endpoints(boolean onA, boolean onB) {
            endpointOnA = onA;
            endpointOnB = onB;
            return this;
        }
    }

    static Options options() {
        return new Options();
    }

    static EnginePair start() throws IOException {
        return start(options());
    }

    static EnginePair start(Options o) throws IOException {
        return new EnginePair(o);
    }

    private EnginePair(Options o) throws IOException {
        Random rnd = new Random(o.seed);
        keysA = KeyPair.generate(rnd);
        keysB = KeyPair.generate(rnd);
        loopback = InetAddress.getByName(o.loopback);
        tunA = new MemoryTun("tunA", MTU, o.tunQueue);
        tunB = new MemoryTun("tunB", MTU, o.tunQueue);
        a = build(tunA, keysA, o, o.seed * 31 + 1, "A");
        b = build(tunB, keysB, o, o.seed * 31 + 2, "B");
        a.start();
        b.start();
        configure(a, keysB.publicKey(), B4, B6, o.endpointOnA ? b.listenPort() : -1, o.psk);
        configure(b, keysA.publicKey(), A4, A6, o.endpointOnB ? a.listenPort() : -1, o.psk);
    }

    private static WireGuardEngine build(MemoryTun tun, KeyPair keys, Options o, long seed, String name) {
        return WireGuardEngine.builder(tun)
                .privateKey(keys.privateKey())
                .random(new Random(seed))
                .timings(o.timings)
                .bindFactory(o.bindFactory)
                .cryptoThreads(o.cryptoThreads)
                .batchSize(o.batchSize)
                .pipelineDepth(o.pipelineDepth)
                .inlineWhenIdle(o.inlineWhenIdle)
                .threadNamePrefix("engine-" + name + "-")
                .build();
    }

    private void configure(WireGuardEngine e, Key peer, String v4, String v6, int port, Key psk) {
        e.addPeer(peer);
        e.addAllowedIp(peer, IpPrefix.parse(v4 + "/32"));
        e.addAllowedIp(peer, IpPrefix.parse(v6 + "/128"));
        if (port >= 0) {
            e.setEndpoint(peer, new InetSocketAddress(loopback, port));
        }
        if (psk != null) {
            e.setPresharedKey(peer, psk);
        }
    }

    /** A's view of B. */
    Peer peerBOnA() {
        return a.peer(keysB.publicKey()).orElseThrow();
    }

    /** B's view of A. */
    Peer peerAOnB() {
        return b.peer(keysA.publicKey()).orElseThrow();
    }

    /** Injects {@code packet} at {@code from} and waits for it to come out of {@code to}; returns what came out. */
    static byte[] roundTrip(MemoryTun from, MemoryTun to, byte[] packet, long timeoutMillis)
            throws InterruptedException {
        if (!from.inject(packet)) {
            throw new IllegalStateException("inject refused");
        }
        return to.takeWritten(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        a.close();
        b.close();
    }
}
