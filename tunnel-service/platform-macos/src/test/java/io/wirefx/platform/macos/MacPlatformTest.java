package io.wirefx.platform.macos;

import io.wirefx.platform.Platform;
import io.wirefx.platform.PlanOptions;
import io.wirefx.platform.Platforms;
import io.wirefx.tun.macos.UtunDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MacPlatformTest {

    @Test
    void isFoundByIdAndNamesItsParts() {
        Platform p = Platforms.byId("macos").orElseThrow();
        assertInstanceOf(MacPlatform.class, p);
        assertEquals("utun", p.interfaceNameFor("office"));
        assertEquals(MacPaths.paths(), p.paths());
        assertEquals("/var/run/wirefx/wirefx.sock", p.paths().ipcAddress());
        assertInstanceOf(UtunDriver.class, p.tunDriver());
        assertEquals("launchd", p.serviceHost().describe());
    }

    @Test
    @DisabledOnOs(OS.MAC)
    void saysWhyItCannotRunHere() {
        assertTrue(new MacPlatform().unavailabilityCause().orElseThrow().contains("not macOS"));
    }

    @Test
    void aPlanForTheUtunTemplateAssumesUtun9() throws Exception {
        ScriptedMac mac = ScriptedMac.home();
        List<String> lines = new ArrayList<>();
        new MacPlatform(mac).network().plan(DarwinPlanTest.config("Address = 10.1.0.2/16\nMTU = 1400\n",
                "AllowedIPs = 10.1.0.0/16\n"), new PlanOptions("office", "utun", mac), lines::add);
        assertEquals(List.of(
                "ifconfig utun9 inet 10.1.0.2/16 10.1.0.2 alias",
                "ifconfig utun9 mtu 1400",
                "ifconfig utun9 up",
                "route -q -n add -inet 10.1.0.0/16 -interface utun9"), lines.subList(1, lines.size()));
    }
}
