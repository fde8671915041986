package io.wirefx.tun.macos;

import io.wirefx.tun.TunDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UtunDriverTest {

    @Test
    void isFoundThroughTheServiceLoader() {
        assertTrue(ServiceLoader.load(TunDriver.class).stream().anyMatch(p -> p.type() == UtunDriver.class));
    }

    @Test
    @DisabledOnOs(OS.MAC)
    void isUnavailableOffMacOsAndSaysWhy() {
        UtunDriver d = new UtunDriver();
        assertFalse(d.isAvailable());
        assertTrue(d.unavailabilityCause().orElseThrow().startsWith("not macOS"));
        IOException e = assertThrows(IOException.class, () -> d.open("utun", 1420));
        assertTrue(e.getMessage().contains("not macOS"), e.getMessage());
    }

    @Test
    void unitsFollowTheKernelsNumbering() {
        assertEquals(0, UtunDriver.unitFor(null));
        assertEquals(0, UtunDriver.unitFor(""));
        assertEquals(0, UtunDriver.unitFor("utun"));
        assertEquals(1, UtunDriver.unitFor("utun0"));
        assertEquals(10, UtunDriver.unitFor("utun9"));
        for (String bad : new String[]{"wg0", "utun01", "utun-1", "utunx", "tun3", "utun9999999999"}) {
            assertThrows(IllegalArgumentException.class, () -> UtunDriver.unitFor(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new UtunDriver().open("utun", 20));
    }
}
