package io.wirefx.daemon.log;

import io.wirefx.ipc.LogEntry;
import io.wirefx.ipc.LogLevel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the engine logs through System.Logger ends up in the service's log ring, in its format. */
class LibraryLogBridgeTest {
    @Test
    void engineRecordsReachTheRingWithLevelsAndCauses() throws Exception {
        LogRing ring = new LogRing(100, Clock.systemUTC());
        try (AutoCloseable bridge = LibraryLogBridge.install(ring)) {
            System.Logger engine = System.getLogger("io.wirefx.engine.WireGuardEngine");
            engine.log(System.Logger.Level.WARNING, "engine wg0: unexpected failure in send",
                    new IOException("No buffer space available"));
            engine.log(System.Logger.Level.INFO, "TUN device {0} is gone; stopping the engine", "wg0");
            engine.log(System.Logger.Level.DEBUG, "engine wg0 rebound");
            engine.log(System.Logger.Level.ERROR, "boom");
        }
        List<LogEntry> lines = ring.tail(10);
        assertEquals(3, lines.size(), lines::toString);
        assertEquals(LogLevel.WARN, lines.get(0).level());
        assertTrue(lines.get(0).message().contains("unexpected failure in send: java.io.IOException: No buffer space"),
                lines.get(0).message());
        assertEquals("TUN device wg0 is gone; stopping the engine", lines.get(1).message());
        assertEquals(LogLevel.ERROR, lines.get(2).level());
        // Uninstalled: nothing more arrives.
        System.getLogger("io.wirefx.engine.WireGuardEngine").log(System.Logger.Level.WARNING, "after");
        assertEquals(3, ring.tail(10).size());
    }
}
