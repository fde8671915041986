package io.wirefx.bench;

import io.wirefx.core.crypto.KeyPair;
import io.wirefx.core.device.Datagram;
import io.wirefx.core.device.Device;
import io.wirefx.core.device.Keypair;
import io.wirefx.core.device.Opening;
import io.wirefx.core.device.Peer;
import io.wirefx.core.device.TunnelResult;
import io.wirefx.core.timers.Timings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One core: a 1420-byte IP packet encrypted in place into a transport message and decrypted back, on keys from a
 * real handshake between two devices. Payload Gbit/s = ops/s × 1420 × 8 / 1e9.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TransportBenchmark {
    static final int PACKET = 1420;

    Device a;
    Device b;
    Keypair send;
    byte[] buf;
    byte[] packet;
    long counter; // the JCE baseline's nonce
    long now = 1_000_000_000L;
    InetSocketAddress fromA;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        SecureRandom rng = new SecureRandom();
        KeyPair ka = KeyPair.generate(rng);
        KeyPair kb = KeyPair.generate(rng);
        a = new Device(rng, Timings.STANDARD);
        b = new Device(rng, Timings.STANDARD);
        a.setPrivateKey(ka.privateKey());
        b.setPrivateKey(kb.privateKey());
        Peer pb = a.addPeer(kb.publicKey());
        Peer pa = b.addPeer(ka.publicKey());
        fromA = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
        pb.setEndpoint(new InetSocketAddress(InetAddress.getLoopbackAddress(), 2));
        a.allowedIps().insert(new byte[]{10, 0, 0, 2}, 32, pb);
        b.allowedIps().insert(new byte[]{10, 0, 0, 1}, 32, pa);
        packet = new byte[PACKET];
        packet[0] = 0x45;
        packet[2] = (byte) (PACKET >>> 8);
        packet[3] = (byte) PACKET;
        packet[12] = 10; packet[15] = 1;
        packet[16] = 10; packet[19] = 2;
        // handshake: A → initiation → B → response → A → staged packet → B
        List<Datagram> toB = ((TunnelResult.Send) a.encapsulate(packet.clone(), now)).datagrams();
        Datagram resp = ((TunnelResult.Send) b.decapsulate(toB.getFirst().data(), fromA, now)).datagrams().getFirst();
        Datagram data = ((TunnelResult.Send) a.decapsulate(resp.data(), pb.endpoint(), now)).datagrams().getFirst();
        if (!(b.decapsulate(data.data(), fromA, now) instanceof TunnelResult.Deliver)) {
            throw new IllegalStateException("handshake failed");
        }
        send = pb.sendSession(now);
        buf = new byte[16 + PACKET + 16 + 16];
        counter = 1_000;
    }

    /**
     * The engine's per-packet work through the core's batch API: reserve a counter, seal in place, then open in
     * place and complete on the other side (replay window, timers, inner-packet and source checks).
     */
    @Benchmark
    public int sealAndOpen() {
        System.arraycopy(packet, 0, buf, 16, PACKET);
        long c = a.reserveCounter(send);
        int n = a.sealTransport(send, c, buf, 0, PACKET, 1420);
        if (!(b.openTransport(buf, 0, n, now) instanceof Opening.Opened o)
                || !(b.completeTransport(o, buf, 0, n, fromA, now) instanceof TunnelResult.Deliver d)) {
            throw new IllegalStateException();
        }
        return d.length();
    }

    /** Baseline: JCE's ChaCha20-Poly1305 sealing 1420 bytes into a separate buffer, nothing else. */
    @Benchmark
    public int jceSealOnly() throws Exception {
        long c = counter++;
        jceNonce[4] = (byte) c;
        jceNonce[5] = (byte) (c >>> 8);
        jceNonce[6] = (byte) (c >>> 16);
        jceNonce[7] = (byte) (c >>> 24);
        jce.init(javax.crypto.Cipher.ENCRYPT_MODE, jceKey, new javax.crypto.spec.IvParameterSpec(jceNonce));
        return jce.doFinal(packet, 0, PACKET, jceOut, 0);
    }

    javax.crypto.Cipher jce;
    javax.crypto.spec.SecretKeySpec jceKey;
    byte[] jceNonce = new byte[12];
    byte[] jceOut = new byte[PACKET + 16];

    @Setup(Level.Trial)
    public void setupJce() throws Exception {
        jce = javax.crypto.Cipher.getInstance("ChaCha20-Poly1305");
        jceKey = new javax.crypto.spec.SecretKeySpec(new byte[32], "ChaCha20");
    }

    /** The same through the device verbs (routing, timers, result objects), allocating as the simple API does. */
    @Benchmark
    public int deviceEncapsulateDecapsulate() {
        now += 1000;
        TunnelResult r = a.encapsulate(packet, 0, PACKET, now);
        byte[] wire = ((TunnelResult.Send) r).datagrams().getFirst().data();
        TunnelResult d = b.decapsulate(wire, 0, wire.length, fromA, now);
        return ((TunnelResult.Deliver) d).length();
    }
}
