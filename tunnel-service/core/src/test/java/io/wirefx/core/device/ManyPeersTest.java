package io.wirefx.core.device;

import io.wirefx.core.crypto.KeyPair;
import io.wirefx.core.timers.Timings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many peers (docs/security.md, test 6): one device (the hub) with 1,000 peers, a /32 each; 100 of them are real
 * devices that complete a handshake with the hub and exchange a packet both ways. Reports the heap cost per peer and
 * the cryptokey-routing lookup time at 10, 100, 1,000 and 10,000 peers, which must stay flat (a trie: its depth
 * depends on the address length, not on the number of peers). Core only, virtual time; heavy profile.
 */
@Tag("heavy")
class ManyPeersTest {
    private static final int PEERS = 1000;
    private static final int ACTIVE = 100;

    private static byte[] ip(int i) {
        return new byte[]{10, 100, (byte) (i >> 8), (byte) i};
    }

    private static String text(int i) {
        return "10.100." + ((i >> 8) & 0xff) + "." + (i & 0xff);
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void aThousandPeersHandshakesWithAHundredAndFlatLookups() {
        Random r = new Random(61);
        KeyPair hubKeys = KeyPair.generate(r);
        long now = 1_000_000_000_000L;
        Device hub = new Device(new Random(62), Timings.STANDARD);
        hub.setPrivateKey(hubKeys.privateKey());
        hub.setWallClock(1_700_000_000_000_000_000L, now);
        InetSocketAddress hubAddr = DevicePair.socket("192.0.2.1", 51820);

        List<KeyPair> keys = new ArrayList<>();
        for (int i = 0; i < PEERS; i++) {
            keys.add(KeyPair.generate(r));
        }
        long before = usedHeap();
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < PEERS; i++) {
            Peer p = hub.addPeer(keys.get(i).publicKey());
            hub.allowedIps().insert(ip(i + 1), 32, p);
            p.setEndpoint(DevicePair.socket("198.51.100." + (i % 250 + 1), 40000 + i));
            peers.add(p);
        }
        long perPeer = (usedHeap() - before) / PEERS;

        // 100 spokes handshake with the hub and exchange one packet each way
        for (int i = 0; i < ACTIVE; i++) {
            int n = i * (PEERS / ACTIVE) + 1;
            Device spoke = new Device(new Random(1000 + i), Timings.STANDARD);
            spoke.setPrivateKey(keys.get(n - 1).privateKey());
            spoke.setWallClock(1_700_000_000_000_000_000L, now);
            Peer hubOnSpoke = spoke.addPeer(hubKeys.publicKey());
            hubOnSpoke.setEndpoint(hubAddr);
            spoke.allowedIps().insert(new byte[]{10, 100, 0, 0}, 16, hubOnSpoke);
            InetSocketAddress spokeAddr = peers.get(n - 1).endpoint();

            byte[] up = Packets.ipv4(text(n), "10.100.255.254", 40, i);
            TunnelResult.Send init = assertInstanceOf(TunnelResult.Send.class, spoke.encapsulate(up, now));
            TunnelResult.Send resp = assertInstanceOf(TunnelResult.Send.class,
                    hub.decapsulate(init.datagrams().getFirst().data(), spokeAddr, now));
            TunnelResult afterResp = spoke.decapsulate(resp.datagrams().getFirst().data(), hubAddr, now);
            List<Datagram> staged = switch (afterResp) {
                case TunnelResult.Done d -> d.alsoSend();
                case TunnelResult.Send s -> s.datagrams();
                default -> throw new AssertionError(afterResp.toString());
            };
            TunnelResult.Deliver got = assertInstanceOf(TunnelResult.Deliver.class,
                    hub.decapsulate(staged.getFirst().data(), spokeAddr, now));
            assertArrayEquals(up, Arrays.copyOfRange(got.packet(), got.offset(), got.offset() + got.length()));

            byte[] down = Packets.ipv4("10.100.255.254", text(n), 40, i + 7);
            TunnelResult.Send d = assertInstanceOf(TunnelResult.Send.class, hub.encapsulate(down, now));
            assertEquals(spokeAddr, d.datagrams().getFirst().to(), "routed to the right peer");
            TunnelResult.Deliver back = assertInstanceOf(TunnelResult.Deliver.class,
                    spoke.decapsulate(d.datagrams().getFirst().data(), hubAddr, now));
            assertArrayEquals(down, Arrays.copyOfRange(back.packet(), back.offset(), back.offset() + back.length()));
            now += 1_000_000L;
        }
        long handshaken = peers.stream().filter(p -> p.currentKeypair() != null).count();
        assertEquals(ACTIVE, handshaken);

        double[] lookupNanos = new double[4];
        int[] sizes = {10, 100, 1000, 10_000};
        for (int pass = 0; pass < 2; pass++) { // the first pass warms the JIT up for every size
            for (int s = 0; s < sizes.length; s++) {
                lookupNanos[s] = lookupTime(sizes[s]);
            }
        }
        System.out.printf(java.util.Locale.ROOT, "many peers: %d peers, %d B of heap per idle peer; %d handshakes "
                        + "and round trips; lookup ns at 10/100/1k/10k peers: %.0f / %.0f / %.0f / %.0f%n",
                PEERS, perPeer, ACTIVE, lookupNanos[0], lookupNanos[1], lookupNanos[2], lookupNanos[3]);
        assertTrue(perPeer < 8192, perPeer + " bytes per peer");
        assertTrue(lookupNanos[3] < 4 * Math.max(lookupNanos[1], 20),
                "lookup time grows with the number of peers: " + Arrays.toString(lookupNanos));
    }

    /** Mean time of a destination lookup in a table of {@code n} /32 entries (random hits), after warm-up. */
    private static double lookupTime(int n) {
        io.wirefx.core.routing.AllowedIps<Integer> t = new io.wirefx.core.routing.AllowedIps<>();
        for (int i = 1; i <= n; i++) {
            t.insert(new byte[]{10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}, 32, i);
        }
        byte[][] packets = new byte[1024][];
        Random r = new Random(n);
        for (int i = 0; i < packets.length; i++) {
            int k = 1 + r.nextInt(n);
            packets[i] = Packets.ipv4("192.0.2.1", "10." + ((k >> 16) & 0xff) + "." + ((k >> 8) & 0xff) + "."
                    + (k & 0xff), 20, 0);
        }
        long sink = 0;
        for (int round = 0; round < 200; round++) {
            for (byte[] p : packets) {
                Integer v = t.lookupDestination(p, 0, p.length);
                sink += v == null ? 0 : v;
            }
        }
        int rounds = 500;
        long t0 = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            for (byte[] p : packets) {
                Integer v = t.lookupDestination(p, 0, p.length);
                sink += v == null ? 0 : v;
            }
        }
        long elapsed = System.nanoTime() - t0;
        assertTrue(sink > 0);
        return (double) elapsed / (rounds * packets.length);
    }
}
