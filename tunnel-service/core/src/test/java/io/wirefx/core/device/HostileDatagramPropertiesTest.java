package io.wirefx.core.device;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packets from the network are untrusted: random bytes and mutations of every genuine message type never make the
 * device throw, never get delivered unless genuine, and leave the session working.
 */
class HostileDatagramPropertiesTest {

    /** Genuine datagrams of every type captured from a live pair: initiation, response, data, keepalive, cookie. */
    private static List<byte[]> genuine(long seed) {
        DevicePair p = new DevicePair(seed);
        List<byte[]> out = new ArrayList<>();
        DeviceFixtures.underLoad(p.b, p.now);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 40, 1));
        out.add(p.network.getFirst().datagram().data().clone());
        p.flush(); // cookie reply
        p.now += DevicePair.seconds(6); // the load has passed
        p.advance(0);
        for (DevicePair.InFlight f : List.copyOf(p.network)) {
            out.add(f.datagram().data().clone());
        }
        p.flush();
        p.sendFromA(Packets.ipv6("fd00::1", "fd00::2", 300, 2));
        p.sendFromB(Packets.ipv4("10.0.0.2", "10.0.0.1", 0, 3));
        for (DevicePair.InFlight f : p.network) {
            out.add(f.datagram().data().clone());
        }
        out.add(new byte[]{3, 0, 0, 0});
        return out;
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs().between(0, 5);
    }

    @Property(tries = 300)
    void mutatedGenuineDatagramsNeverThrowOrDeliver(@ForAll("seeds") long seed, @ForAll long mutationSeed,
                                                    @ForAll @IntRange(min = 1, max = 8) int mutations) {
        DevicePair p = new DevicePair(seed);
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        p.flush();
        int delivered = p.deliveredToB.size();
        Random r = new Random(mutationSeed);
        for (byte[] g : genuine(seed + 100)) {
            byte[] m = mutate(g, r, mutations);
            TunnelResult res = p.b.decapsulate(m, 0, m.length, DevicePair.ADDR_A, p.now);
            assertNotNull(res);
            assertTrue(!(res instanceof TunnelResult.Deliver), "a mutated datagram from another session was delivered");
            TunnelResult res2 = p.a.decapsulate(m.clone(), 0, m.length, DevicePair.ADDR_B, p.now);
            assertNotNull(res2);
        }
        // the real session still works afterwards
        p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 10, 0));
        p.flush();
        assertTrue(p.deliveredToB.size() > delivered);
    }

    @Property(tries = 500)
    void randomBytesAreDroppedAndCounted(@ForAll byte[] junk) {
        DevicePair p = new DevicePair(1);
        TunnelResult r = p.b.decapsulate(junk, 0, junk.length, DevicePair.ADDR_A, p.now);
        assertInstanceOf(TunnelResult.Drop.class, r);
        assertNotNull(p.a.encapsulate(junk, 0, junk.length, p.now));
        assertInstanceOf(Opening.Dropped.class, p.b.openTransport(junk, 0, junk.length, p.now));
    }

    @Property(tries = 5000)
    @Tag("heavy")
    void heavyMutationRun(@ForAll("seeds") long seed, @ForAll long mutationSeed,
                          @ForAll @IntRange(min = 1, max = 16) int mutations) {
        mutatedGenuineDatagramsNeverThrowOrDeliver(seed, mutationSeed, mutations);
    }

    private static byte[] mutate(byte[] g, Random r, int n) {
        byte[] m = g.clone();
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(4)) {
                case 0 -> { if (m.length > 0) m[r.nextInt(m.length)] ^= (byte) (1 << r.nextInt(8)); }
                case 1 -> { if (m.length > 4) m[4 + r.nextInt(m.length - 4)] = (byte) r.nextInt(); }
                case 2 -> m = java.util.Arrays.copyOf(m, Math.max(0, m.length + r.nextInt(33) - 16));
                default -> { if (m.length > 16) m[16 + r.nextInt(m.length - 16)] ^= (byte) 0xff; }
            }
        }
        return m;
    }
}
