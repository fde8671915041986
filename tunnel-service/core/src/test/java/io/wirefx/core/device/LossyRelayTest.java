package io.wirefx.core.device;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static io.wirefx.core.device.DevicePair.seconds;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A relay that drops, duplicates, reorders and delays datagrams between two devices. Whatever it does, the devices
 * converge: after the bad spell, traffic flows both ways; no packet is ever delivered twice or corrupted.
 */
class LossyRelayTest {

    @Property(tries = 25)
    void convergesDespiteLossDuplicationAndReordering(@ForAll long seed, @ForAll @IntRange(min = 0, max = 40) int dropPercent) {
        DevicePair p = new DevicePair(seed);
        p.peerAOnB.setEndpoint(DevicePair.ADDR_A);
        Random r = new Random(seed);
        Set<String> sentToB = new HashSet<>();
        Set<String> sentToA = new HashSet<>();

        // 60 virtual seconds of bad network: each step both sides send, the relay misbehaves, time moves on.
        List<DevicePair.InFlight> delayed = new ArrayList<>();
        for (int step = 0; step < 600; step++) {
            byte[] ab = Packets.ipv4("10.0.0.1", "10.0.0.2", 20, step);
            byte[] ba = Packets.ipv4("10.0.0.2", "10.0.0.1", 20, step + 1000);
            stamp(ab, step);
            stamp(ba, step + 1_000_000);
            sentToB.add(key(ab));
            sentToA.add(key(ba));
            if (r.nextBoolean()) p.sendFromA(ab);
            if (r.nextBoolean()) p.sendFromB(ba);
            List<DevicePair.InFlight> batch = new ArrayList<>(p.network);
            p.network.clear();
            batch.addAll(delayed);
            delayed.clear();
            Collections.shuffle(batch, r);
            for (DevicePair.InFlight f : batch) {
                int roll = r.nextInt(100);
                if (roll < dropPercent) continue;
                if (roll < dropPercent + 10) { delayed.add(f); continue; }
                p.deliver(f);
                if (r.nextInt(10) == 0) p.deliver(f); // duplicate
            }
            // results of deliveries (responses, keepalives) go back through the relay next step
            p.advance(seconds(0.1));
        }
        // Now a clean network: within a few rekey timeouts, fresh packets get through both ways.
        p.network.clear();
        int before = p.deliveredToB.size(), beforeA = p.deliveredToA.size();
        for (int i = 0; i < 40 && (p.deliveredToB.size() == before || p.deliveredToA.size() == beforeA); i++) {
            p.sendFromA(Packets.ipv4("10.0.0.1", "10.0.0.2", 20, 1));
            p.sendFromB(Packets.ipv4("10.0.0.2", "10.0.0.1", 20, 2));
            p.flush();
            p.advance(seconds(1));
            p.flush();
        }
        assertTrue(p.deliveredToB.size() > before, "A→B recovered");
        assertTrue(p.deliveredToA.size() > beforeA, "B→A recovered");

        // Nothing delivered twice, nothing delivered that was not sent.
        assertNoDuplicatesAmongStamped(p.deliveredToB, sentToB);
        assertNoDuplicatesAmongStamped(p.deliveredToA, sentToA);
    }

    private static void stamp(byte[] packet, int id) {
        packet[20] = (byte) (id >>> 24);
        packet[21] = (byte) (id >>> 16);
        packet[22] = (byte) (id >>> 8);
        packet[23] = (byte) id;
        packet[24] = 0x5a; // marks a stamped packet
    }

    private static String key(byte[] p) {
        return java.util.HexFormat.of().formatHex(p);
    }

    private static void assertNoDuplicatesAmongStamped(List<byte[]> delivered, Set<String> sent) {
        Set<String> seen = new HashSet<>();
        for (byte[] d : delivered) {
            if (d.length > 24 && d[24] == 0x5a) {
                String k = key(d);
                assertTrue(sent.contains(k), "delivered a packet that was never sent");
                assertTrue(seen.add(k), "delivered twice");
            }
        }
    }
}
