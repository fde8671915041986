package io.wirefx.tun.windows;

import com.sun.jna.Memory;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class WintunLogTest {

    @Test
    void fileTimesBecomeInstants() {
        assertEquals(Instant.EPOCH, WintunLog.fromFileTime(WintunLog.FILETIME_UNIX_EPOCH));
        // 2024-01-01T00:00:00.0000001Z
        assertEquals(Instant.parse("2024-01-01T00:00:00.000000100Z"),
                WintunLog.fromFileTime(133_485_408_000_000_001L));
    }

    @Test
    void theCallbackDecodesUtf16AndMapsLevels() {
        List<String> lines = new ArrayList<>();
        WintunLog.Callback cb = WintunLog.callback((level, time, msg) -> lines.add(level + " " + time + " " + msg));
        try (Memory msg = Wide.of("Créé adapter ✓")) {
            cb.invoke(1, WintunLog.FILETIME_UNIX_EPOCH, msg);
            cb.invoke(2, WintunLog.FILETIME_UNIX_EPOCH, msg);
        }
        assertEquals(List.of("WARN 1970-01-01T00:00:00Z Créé adapter ✓", "ERR 1970-01-01T00:00:00Z Créé adapter ✓"),
                lines);
    }

    @Test
    void installKeepsTheCallbackAndUninstallTurnsLoggingOff() {
        FakeWintun fake = new FakeWintun();
        List<String> lines = new ArrayList<>();
        WintunLog.install(fake, (level, time, msg) -> lines.add(msg));
        try (Memory msg = Wide.of("hello")) {
            fake.logger.invoke(0, 0, msg);
        }
        assertEquals(List.of("hello"), lines);
        WintunLog.uninstall(fake);
        assertNull(fake.logger);
    }

    @Test
    void aThrowingSinkDoesNotReachTheDriverThread() {
        WintunLog.Callback cb = WintunLog.callback((level, time, msg) -> {
            throw new IllegalStateException("sink broken");
        });
        try (Memory msg = Wide.of("x")) {
            cb.invoke(0, 0, msg);
        }
    }
}
