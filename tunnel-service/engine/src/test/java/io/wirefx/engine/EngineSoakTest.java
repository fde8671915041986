package io.wirefx.engine;

import io.wirefx.core.timers.Timings;
import io.wirefx.engine.bind.UdpBinds;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Long bidirectional transfer with fast rekeys on the default bind; CI's heavy profile only. */
@Tag("heavy")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class EngineSoakTest {

    @Test
    void twoGigabytesBothWaysAcrossManyRekeys() throws Exception {
        EnginePair.Options o = EnginePair.options().bindFactory(UdpBinds::open)
                .timings(Timings.STANDARD.scaled(0.02)).seed(99);
        try (EnginePair p = EnginePair.start(o)) {
            byte[] ping = Packets.ipv4(EnginePair.A4, EnginePair.B4, Packets.payload(0, 0, 32));
            assertArrayEquals(ping, EnginePair.roundTrip(p.tunA, p.tunB, ping, 5000));
            Traffic ab = Traffic.aToB(p);
            Traffic ba = Traffic.bToA(p);
            ba.firstFlow = 50;
            Traffic.Result[] back = new Traffic.Result[1];
            Throwable[] failure = new Throwable[1];
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    back[0] = ba.run(1L << 30);
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            Traffic.Result fwd = ab.run(1L << 30);
            t.join();
            if (failure[0] != null) {
                throw new AssertionError(failure[0]);
            }
            assertArrayEquals(fwd.sentCrc(), fwd.receivedCrc());
            assertArrayEquals(back[0].sentCrc(), back[0].receivedCrc());
            assertEquals(0, p.a.stats().get(EngineStats.Counter.INTERNAL_ERRORS));
            assertEquals(0, p.b.stats().get(EngineStats.Counter.INTERNAL_ERRORS));
        }
    }
}
