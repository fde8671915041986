package io.wirefx.platform.windows;

import io.wirefx.core.config.Config;
import io.wirefx.platform.PlanOptions;
import io.wirefx.platform.Platform;
import io.wirefx.platform.Platforms;
import io.wirefx.platform.ProcessCommandRunner;
import io.wirefx.platform.TunnelControl;
import io.wirefx.platform.TunnelNetwork;
import io.wirefx.platform.TunnelNetworkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The Windows platform through the seam's interfaces, with fake IP Helper and WFP. */
class WindowsNetworkSetupTest {

    @TempDir
    Path state;

    final FakeNetworkApi net = new FakeNetworkApi();
    final FakeWfp wfp = new FakeWfp();
    final List<String> log = new ArrayList<>();
    final WindowsNetworkSetup setup = new WindowsNetworkSetup(() -> net, () -> wfp,
            new WindowsNetworkSetup.Options(true, false, "C:\\WireFX\\java.exe"), Optional.of(net));

    static final TunnelControl CONTROL = new TunnelControl() {
        @Override
        public String interfaceName() {
            return "office";
        }

        @Override
        public void setFwmark(long mark) {
        }

        @Override
        public List<InetAddress> endpointAddresses() {
            return List.of();
        }
    };

    TunnelNetwork tunnel(String iface, String peer) throws Exception {
        Config c = WindowsPlanTest.config(iface, peer);
        return setup.forTunnel(new TunnelNetworkSpec("office", "office", c, state, Optional.empty(), log::add));
    }

    @Test
    void fullTunnelUpAppliesAddressesRoutesAndTheKillSwitchAndDownTakesAllBack() throws Exception {
        net.aliases.put("office", 0x77L);
        TunnelNetwork t = tunnel("Address = 10.8.0.2/24\nDNS = 10.8.0.1", "AllowedIPs = 0.0.0.0/0");
        t.prepare();
        t.interfaceOpened("office");
        t.up(CONTROL);
        assertEquals(java.util.Set.of("10.8.0.2/24"), net.addresses.get(0x77L));
        assertFalse(wfp.active().isEmpty());
        assertTrue(t.upNote().startsWith("untunneled traffic blocked"), t.upNote());
        assertTrue(t.journalLocation().endsWith("office.netjournal"));
        assertEquals(List.of(), t.down());
        assertTrue(net.clean(0x77L));
        assertEquals(List.of(), wfp.active());
        t.close();
    }

    @Test
    void splitTunnelGetsNoKillSwitch() throws Exception {
        net.aliases.put("office", 0x77L);
        TunnelNetwork t = tunnel("Address = 10.8.0.2/24", "AllowedIPs = 10.8.0.0/24");
        t.interfaceOpened("office");
        t.up(CONTROL);
        assertTrue(wfp.calls.isEmpty());
        assertEquals("", t.upNote());
        t.close();
    }

    @Test
    void aKillSwitchFailureUndoesTheAddresses() throws Exception {
        net.aliases.put("office", 0x77L);
        wfp.failOnFilter = 0;
        TunnelNetwork t = tunnel("Address = 10.8.0.2/24", "AllowedIPs = 0.0.0.0/0");
        t.interfaceOpened("office");
        org.junit.jupiter.api.Assertions.assertThrows(io.wirefx.platform.NetconfigException.class, () -> t.up(CONTROL));
        assertTrue(net.clean(0x77L));
    }

    @Test
    void staleJournalsAreUndoneAtStart() throws Exception {
        net.aliases.put("office", 0x77L);
        TunnelNetwork t = tunnel("Address = 10.8.0.2/24", "AllowedIPs = 10.8.0.0/24");
        t.interfaceOpened("office");
        t.up(CONTROL); // then the service dies
        assertEquals(List.of("office.netjournal: cleaned up after an unclean shutdown"),
                setup.cleanUpStale(state, log::add));
        assertTrue(net.clean(0x77L));
    }

    @Test
    void thePlatformIsFoundAndPlansOffWindows() throws Exception {
        assumeFalse(WindowsPlatform.onWindows());
        Platform p = Platforms.byId("windows").orElseThrow();
        assertTrue(p.unavailabilityCause().orElseThrow().endsWith("not Windows"));
        assertEquals("office", p.interfaceNameFor("office"));
        List<String> lines = new ArrayList<>();
        p.network().plan(WindowsPlanTest.config("Address = 10.8.0.2/24", "AllowedIPs = 0.0.0.0/0"),
                new PlanOptions("office", "office", new ProcessCommandRunner()), lines::add);
        assertTrue(lines.contains("setsockopt IP_UNICAST_IF on the WireGuard UDP socket (IPv4) = the default "
                + "interface, read at run time"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("FwpmFilterAdd0")));
    }
}
