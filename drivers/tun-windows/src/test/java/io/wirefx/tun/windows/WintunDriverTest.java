package io.wirefx.tun.windows;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WintunDriverTest {

    private final FakeWintun fake = new FakeWintun();
    private final WintunDriver driver = new WintunDriver(() -> new WintunDriver.Natives(fake, fake));

    @Test
    void createsTheAdapterWithTheTunnelsGuidAndAnEightMegabyteSession() throws Exception {
        try (WintunDevice d = driver.open("office", 1420)) {
            assertEquals("office", d.name());
            assertEquals(List.of("create office WireFX " + Guid.forTunnel("office"), "startSession office 800000"),
                    fake.calls);
            assertEquals(1420, fake.get(d.luid()));
        }
    }

    @Test
    void reopensTheAdapterOfThatNameWhenCreatingFails() throws Exception {
        try (WintunDevice first = driver.open("office", 1420)) {
            fake.failCreate = true;
            first.close();
            try (WintunDevice again = driver.open("office", 1420)) {
                assertTrue(fake.calls.contains("open office"), fake.calls.toString());
                assertEquals(first.luid(), again.luid());
            }
        }
    }

    @Test
    void aSessionFailureClosesTheAdapter() {
        fake.failSession = true;
        IOException e = assertThrows(IOException.class, () -> driver.open("office", 1420));
        assertTrue(e.getMessage().contains("WintunStartSession"), e.getMessage());
        assertTrue(fake.adapter("office").closed);
    }

    @Test
    void rejectsBadNamesAndMtus() {
        assertThrows(IllegalArgumentException.class, () -> driver.open("x".repeat(128), 1420));
        assertThrows(IllegalArgumentException.class, () -> driver.open("a\nb", 1420));
        assertThrows(IllegalArgumentException.class, () -> driver.open("ok", 67));
    }

    @Test
    void aFailingLoaderMakesTheDriverUnavailableWithItsReason() {
        WintunDriver broken = new WintunDriver(() -> {
            throw new IllegalStateException("wintun.dll has SHA-256 abc, pinned def");
        });
        assertFalse(broken.isAvailable());
        assertEquals("wintun.dll has SHA-256 abc, pinned def", broken.unavailabilityCause().orElseThrow());
        IOException e = assertThrows(IOException.class, () -> broken.open("x", 1420));
        assertTrue(e.getMessage().contains("pinned"));
    }

    @Test
    void theRealDriverIsUnavailableOffWindows() {
        org.junit.jupiter.api.Assumptions.assumeFalse(System.getProperty("os.name").startsWith("Windows"));
        assertTrue(new WintunDriver().unavailabilityCause().orElseThrow().startsWith("not Windows"));
    }
}
