package io.wirefx.engine;

import io.wirefx.engine.bind.linux.LinuxUdpBind;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The warm-up really moves packets end to end through both paths of its private engine pair. */
class WarmUpTest {
    private static final long BUDGET = TimeUnit.SECONDS.toNanos(30);

    @Test
    void inMemoryPairCompletesEveryRoundTrip() throws Exception {
        WarmUp.Result r = WarmUp.run(false, 40, BUDGET);
        assertEquals(40, r.roundTrips());
        assertEquals(false, r.nativeBind());
    }

    @Test
    void loopbackPairCompletesEveryRoundTrip() throws Exception {
        WarmUp.Result r = WarmUp.run(true, 40, BUDGET);
        assertEquals(40, r.roundTrips()); // over loopback, or in memory where loopback UDP does not work
        if (!LinuxUdpBind.isAvailable()) {
            assertEquals(false, r.nativeBind());
        }
    }

    @Test
    void stopsAtTheBudget() throws Exception {
        WarmUp.Result r = WarmUp.run(false, Integer.MAX_VALUE, TimeUnit.MILLISECONDS.toNanos(300));
        assertTrue(r.roundTrips() > 0 && r.roundTrips() < Integer.MAX_VALUE, r.toString());
    }
}
