package io.wirefx.core.device;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.crypto.KeyPair;
import io.wirefx.core.timers.Timings;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Two in-memory devices, A (10.0.0.1, fd00::1) and B (10.0.0.2, fd00::2), each the other's only peer, joined by a
 * test-controlled "network": datagrams are collected and delivered when the test says so. Virtual time.
 */
final class DevicePair {
    static final InetSocketAddress ADDR_A = socket("192.0.2.1", 51820);
    static final InetSocketAddress ADDR_B = socket("192.0.2.2", 51821);

    final Device a;
    final Device b;
    final Peer peerBOnA;
    final Peer peerAOnB;
    final KeyPair keysA;
    final KeyPair keysB;
    long now = 1_000_000_000_000L;

    /** Datagrams in flight, with the address they came from. */
    record InFlight(InetSocketAddress from, Datagram datagram) {
    }

    final List<InFlight> network = new ArrayList<>();
    final List<byte[]> deliveredToA = new ArrayList<>();
    final List<byte[]> deliveredToB = new ArrayList<>();

    DevicePair(long seed, Key psk, Timings timings) {
        Random r = new Random(seed);
        keysA = KeyPair.generate(r);
        keysB = KeyPair.generate(r);
        a = new Device(new Random(seed + 1), timings);
        b = new Device(new Random(seed + 2), timings);
        a.setPrivateKey(keysA.privateKey());
        b.setPrivateKey(keysB.privateKey());
        a.setWallClock(1_700_000_000_000_000_000L, now);
        b.setWallClock(1_700_000_000_000_000_000L, now);
        peerBOnA = a.addPeer(keysB.publicKey());
        peerAOnB = b.addPeer(keysA.publicKey());
        peerBOnA.setPresharedKey(psk);
        peerAOnB.setPresharedKey(psk);
        peerBOnA.setEndpoint(ADDR_B);
        a.allowedIps().insert(Packets.addr("10.0.0.2"), 32, peerBOnA);
        a.allowedIps().insert(Packets.addr("fd00::2"), 128, peerBOnA);
        b.allowedIps().insert(Packets.addr("10.0.0.1"), 32, peerAOnB);
        b.allowedIps().insert(Packets.addr("fd00::1"), 128, peerAOnB);
    }

    DevicePair(long seed) {
        this(seed, null, Timings.STANDARD);
    }

    static InetSocketAddress socket(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Feeds a result of one side into the network; returns it for inspection. */
    TunnelResult collect(Device from, TunnelResult r) {
        InetSocketAddress src = from == a ? ADDR_A : ADDR_B;
        switch (r) {
            case TunnelResult.Send s -> s.datagrams().forEach(d -> network.add(new InFlight(src, d)));
            case TunnelResult.Deliver d -> {
                (from == a ? deliveredToA : deliveredToB).add(Arrays.copyOfRange(d.packet(), d.offset(), d.offset() + d.length()));
                d.alsoSend().forEach(x -> network.add(new InFlight(src, x)));
            }
            case TunnelResult.Done d -> d.alsoSend().forEach(x -> network.add(new InFlight(src, x)));
            case TunnelResult.Drop ignored -> {
            }
        }
        return r;
    }

    TunnelResult sendFromA(byte[] packet) {
        return collect(a, a.encapsulate(packet, now));
    }

    TunnelResult sendFromB(byte[] packet) {
        return collect(b, b.encapsulate(packet, now));
    }

    /** Delivers one in-flight datagram to the device it is addressed to; returns that device's result. */
    TunnelResult deliver(InFlight f) {
        Device to = f.datagram().to().equals(ADDR_A) ? a : b;
        byte[] copy = f.datagram().data().clone();
        return collect(to, to.decapsulate(copy, 0, copy.length, f.from(), now));
    }

    /** Delivers everything in flight, repeatedly, until the network is quiet. */
    List<TunnelResult> flush() {
        List<TunnelResult> results = new ArrayList<>();
        for (int guard = 0; !network.isEmpty() && guard < 10_000; guard++) {
            results.add(deliver(network.removeFirst()));
        }
        return results;
    }

    void advance(long nanos) {
        now += nanos;
        a.tick(now).forEach(d -> network.add(new InFlight(ADDR_A, d)));
        b.tick(now).forEach(d -> network.add(new InFlight(ADDR_B, d)));
    }

    /** Ticks both devices without advancing; returns what each emitted (also queued on the network). */
    List<Datagram> tickA() {
        List<Datagram> out = a.tick(now);
        out.forEach(d -> network.add(new InFlight(ADDR_A, d)));
        return out;
    }

    List<Datagram> tickB() {
        List<Datagram> out = b.tick(now);
        out.forEach(d -> network.add(new InFlight(ADDR_B, d)));
        return out;
    }

    static long seconds(double s) {
        return (long) (s * 1_000_000_000L);
    }
}
