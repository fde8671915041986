package io.wirefx.platform.windows;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ServiceSidTest {

    @Test
    void matchesWindowsOwnServiceSids() {
        // NT SERVICE\TrustedInstaller, as every Windows installation shows it.
        assertEquals("S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464", ServiceSid.of("TrustedInstaller"));
        assertEquals(ServiceSid.of("WireFX"), ServiceSid.of("wirefx"), "case-insensitive");
    }
}
