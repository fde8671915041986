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
            new WindowsNetworkSetup.Options("C:\\WireFX\\java.exe"), Optional.of(net));

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

    /** A tunnel whose settings block untunneled traffic. */
    TunnelNetwork tunnel(String iface, String peer) throws Exception {
        return tunnel(iface, peer, new io.wirefx.platform.TrafficPolicy(true, false));
    }

    TunnelNetwork tunnel(String iface, String peer, io.wirefx.platform.TrafficPolicy policy) throws Exception {
        Config c = WindowsPlanTest.config(iface, peer);
        return setup.forTunnel(new TunnelNetworkSpec("office", "office", c, state, Optional.empty(), log::add,
                policy));
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

    /** A tunnel that records the pins of its UDP sockets. */
    static final class PinnedControl implements TunnelControl {
        final List<String> pins = new java.util.concurrent.CopyOnWriteArrayList<>();

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

        @Override
        public void bindToInterface(int ipv4IfIndex, int ipv6IfIndex) {
            pins.add(ipv4IfIndex + "/" + ipv6IfIndex);
        }
    }

    static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }

    @Test
    void fullTunnelPinsTheUdpSocketToTheDefaultInterfaceAndRePinsOnRouteChangesUntilDown() throws Exception {
        net.aliases.put("office", 0x77L);
        net.defaultRoutes.put(Family.IPV4, List.of(new NetworkApi.DefaultRoute(0x11, 5, 25, true)));
        net.defaultRoutes.put(Family.IPV6, List.of(new NetworkApi.DefaultRoute(0x11, 5, 25, true)));
        PinnedControl control = new PinnedControl();
        TunnelNetwork t = tunnel("Address = 10.8.0.2/24", "AllowedIPs = 0.0.0.0/0");
        t.interfaceOpened("office");
        t.up(control);
        assertEquals(List.of("5/0", "0/5"), control.pins, "both families pinned before the routes exist");
        // Wi-Fi (index 9) takes over IPv4; the tunnel's own /0 must never be chosen
        net.changeDefaultRoutes(Family.IPV4, List.of(new NetworkApi.DefaultRoute(0x77, 40, 0, true),
                new NetworkApi.DefaultRoute(0x22, 9, 35, true)));
        await(() -> control.pins.size() == 3);
        assertEquals(List.of("5/0", "0/5", "9/0"), control.pins);
        assertEquals(List.of(), t.down());
        assertEquals(List.of(), net.routeSubscribers, "down stops following route changes");
        t.close();
    }

    @Test
    void aFullTunnelThatCannotPinItsSocketDoesNotComeUp() throws Exception {
        net.aliases.put("office", 0x77L);
        net.defaultRoutes.put(Family.IPV4, List.of(new NetworkApi.DefaultRoute(0x11, 5, 25, true)));
        TunnelNetwork t = tunnel("Address = 10.8.0.2/24", "AllowedIPs = 0.0.0.0/0");
        t.interfaceOpened("office");
        io.wirefx.platform.NetconfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.wirefx.platform.NetconfigException.class, () -> t.up(CONTROL));
        assertTrue(e.getMessage().contains("pin"), e.getMessage());
        assertTrue(net.clean(0x77L));
        assertEquals(List.of(), net.routeSubscribers);
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
    void aFullTunnelWhoseSettingIsOffGetsNoKillSwitch() throws Exception {
        net.aliases.put("office", 0x77L);
        TunnelNetwork t = tunnel("Address = 10.8.0.2/24", "AllowedIPs = 0.0.0.0/0",
                io.wirefx.platform.TrafficPolicy.NONE);
        t.interfaceOpened("office");
        t.up(CONTROL);
        assertTrue(wfp.calls.isEmpty(), wfp.calls.toString());
        assertEquals("", t.upNote());
        assertEquals(List.of(), t.down());
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
                new PlanOptions("office", "office", new ProcessCommandRunner(),
                        new io.wirefx.platform.TrafficPolicy(true, false)), lines::add);
        assertTrue(lines.contains("setsockopt IP_UNICAST_IF on the WireGuard UDP socket (IPv4) = the default "
                + "interface, read at run time"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("FwpmFilterAdd0")));
        List<String> off = new ArrayList<>();
        p.network().plan(WindowsPlanTest.config("Address = 10.8.0.2/24", "AllowedIPs = 0.0.0.0/0"),
                new PlanOptions("office", "office", new ProcessCommandRunner()), off::add);
        assertTrue(off.stream().noneMatch(l -> l.startsWith("FwpmFilterAdd0")), off.toString());
    }
}
