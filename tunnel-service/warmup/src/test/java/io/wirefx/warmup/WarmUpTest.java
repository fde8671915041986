package io.wirefx.warmup;

import io.wirefx.engine.DelegatingTun;
import io.wirefx.engine.bind.linux.LinuxUdpBind;
import io.wirefx.tun.TunDevice;
import io.wirefx.tun.linux.LinuxTunDriver;
import io.wirefx.tun.memory.MemoryTun;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The warm-up really moves packets end to end through both paths of its private engine pair. */
class WarmUpTest {
    private static final long BUDGET = TimeUnit.SECONDS.toNanos(30);
    private static final WarmUp.LoopbackPairs DRIVERS = WarmUp.LoopbackPairs.ofDrivers();

    /** Round trips of both passes: the asked number, then a second pass once the compiler's queue has drained. */
    private static int total(int trips) {
        return trips + Math.min(trips, WarmUp.TAIL_ROUND_TRIPS);
    }

    /** Handshakes of both passes: one at the start of each pass and one every HANDSHAKE_EVERY round trips. */
    private static int handshakes(int trips) {
        return rounds(trips) + rounds(Math.min(trips, WarmUp.TAIL_ROUND_TRIPS));
    }

    private static int rounds(int trips) {
        return (trips + WarmUp.HANDSHAKE_EVERY - 1) / WarmUp.HANDSHAKE_EVERY;
    }

    @Test
    void inMemoryPairCompletesEveryRoundTrip() throws Exception {
        WarmUp.Result r = WarmUp.run(false, null, DRIVERS, 40, BUDGET);
        assertEquals(total(40), r.roundTrips());
        assertEquals(false, r.nativeBind());
        assertEquals("MemoryTun", r.tunClass());
    }

    @Test
    void loopbackPairCompletesEveryRoundTrip() throws Exception {
        WarmUp.Result r = WarmUp.run(true, null, DRIVERS, 40, BUDGET);
        assertEquals(total(40), r.roundTrips()); // over loopback, or in memory where loopback UDP does not work
        if (!LinuxUdpBind.isAvailable()) {
            assertEquals(false, r.nativeBind());
        }
    }

    @Test
    void handshakesAgainEveryFewHundredRoundTripsWithAndWithoutPsk() throws Exception {
        int trips = 4 * WarmUp.HANDSHAKE_EVERY + 1;
        WarmUp.Result r = WarmUp.run(true, null, DRIVERS, trips, BUDGET);
        assertEquals(total(trips), r.roundTrips());
        assertEquals(handshakes(trips), r.handshakes(), r.toString());
    }

    @Test
    void runsOnALoopbackPairOfTheProductionDevicesClass() throws Exception {
        AtomicInteger pairs = new AtomicInteger();
        // a production device whose driver offers a loopback mode: here, in-memory devices of a distinct class
        TunDevice production = new MemoryTun("production", 1420);
        WarmUp.LoopbackPairs pairing = device -> {
            assertSame(production, device);
            pairs.incrementAndGet();
            PairedTun near = new PairedTun("near");
            PairedTun far = new PairedTun("far");
            near.other = far;
            far.other = near;
            return Optional.of(new TunDevice[]{near, far});
        };
        WarmUp.Result r = WarmUp.run(false, production, pairing, 2 * WarmUp.DELAYED_EVERY, BUDGET);
        assertEquals(total(2 * WarmUp.DELAYED_EVERY), r.roundTrips(), "delayed hops included");
        assertEquals(4, pairs.get(), "one pair per side in each of the two passes");
        assertEquals("PairedTun", r.tunClass());
    }

    @Test
    void runsOnTheLinuxDriversOwnCodeOverASocketPair() throws Exception {
        assumeTrue(new LinuxTunDriver().isAvailable() || LinuxUdpBind.isAvailable(), "not Linux");
        TunDevice[] production = LinuxTunDriver.openLoopbackPair(1420);
        try {
            int trips = 4 * WarmUp.HANDSHAKE_EVERY + 1; // every kind of round: rebind, strangers, contention
            WarmUp.Result r = WarmUp.run(true, production[0], DRIVERS, trips, BUDGET);
            assertEquals(total(trips), r.roundTrips(), r.toString());
            assertEquals("LinuxTunDevice", r.tunClass());
            assertEquals(handshakes(trips), r.handshakes());
        } finally {
            production[0].close();
            production[1].close();
        }
    }

    @Test
    void productionDevicesWithoutALoopbackModeGetInMemoryStandIns() throws Exception {
        WarmUp.Result r = WarmUp.run(false, new MemoryTun("production", 1420), DRIVERS, 8, BUDGET);
        assertEquals(total(8), r.roundTrips());
        assertEquals("MemoryTun", r.tunClass());
    }

    @Test
    void stopsAtTheBudget() throws Exception {
        WarmUp.Result r = WarmUp.run(false, null, DRIVERS, Integer.MAX_VALUE, TimeUnit.MILLISECONDS.toNanos(300));
        assertTrue(r.roundTrips() > 0 && r.roundTrips() < Integer.MAX_VALUE, r.toString());
    }

    /** In-memory device whose writes are injected into its partner; it has no non-blocking read (the fallback). */
    private static final class PairedTun extends DelegatingTun {
        volatile PairedTun other;

        PairedTun(String name) {
            super(new MemoryTun(name, 1420, 64));
        }

        @Override
        public boolean readsWithoutWaiting() {
            return false;
        }

        @Override
        public int readNow(io.wirefx.tun.PacketBatch batch) throws IOException {
            batch.clear();
            return isOpen() ? 0 : -1;
        }

        @Override
        public int write(io.wirefx.tun.PacketBatch batch) throws IOException {
            int n = 0;
            for (int i = 0; i < batch.count(); i++) {
                if (other.tun.inject(batch.array(i), batch.offset(i), batch.length(i))) {
                    n++;
                }
            }
            return n;
        }
    }
}
