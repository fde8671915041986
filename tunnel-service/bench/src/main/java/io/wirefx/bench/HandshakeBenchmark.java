package io.wirefx.bench;

import io.wirefx.core.crypto.KeyPair;
import io.wirefx.core.crypto.X25519;
import io.wirefx.core.noise.Macs;
import io.wirefx.core.noise.Noise;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/** Complete Noise_IKpsk2 handshakes per second on one core: both roles, all four messages' crypto and mac1. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HandshakeBenchmark {
    byte[] si, siPub, sr, srPub, ssI, ssR, psk, mac1KeyR, mac1KeyI;
    byte[] ts = new byte[12];
    SecureRandom rng = new SecureRandom();

    @Setup
    public void setup() {
        KeyPair i = KeyPair.generate(rng);
        KeyPair r = KeyPair.generate(rng);
        si = i.privateKey().bytes();
        siPub = i.publicKey().bytes();
        sr = r.privateKey().bytes();
        srPub = r.publicKey().bytes();
        ssI = new byte[32];
        ssR = new byte[32];
        X25519.dh(si, srPub, ssI);
        X25519.dh(sr, siPub, ssR);
        psk = new byte[32];
        rng.nextBytes(psk);
        mac1KeyR = Macs.labelKey(Noise.LABEL_MAC1, srPub);
        mac1KeyI = Macs.labelKey(Noise.LABEL_MAC1, siPub);
    }

    @Benchmark
    public Noise.SessionKeys fullHandshake() {
        Noise.InitiatorState st = new Noise.InitiatorState();
        byte[] init = Noise.createInitiation(si, siPub, srPub, ssI, X25519.generatePrivateKey(rng), 1, ts, st);
        Macs.writeMac1(init, 0, init.length, mac1KeyR);
        if (!Macs.checkMac1(init, 0, init.length, mac1KeyR)) throw new IllegalStateException();
        Noise.ConsumedInitiation ci = Noise.consumeInitiationStatic(sr, srPub, init, 0);
        if (ci == null || !Noise.consumeInitiationTimestamp(ci, ssR, init, 0)) throw new IllegalStateException();
        Noise.SessionKeys[] rk = new Noise.SessionKeys[1];
        byte[] resp = Noise.createResponse(ci, psk, X25519.generatePrivateKey(rng), 2, rk);
        Macs.writeMac1(resp, 0, resp.length, mac1KeyI);
        if (!Macs.checkMac1(resp, 0, resp.length, mac1KeyI)) throw new IllegalStateException();
        return Noise.consumeResponse(st, si, psk, resp, 0);
    }
}
