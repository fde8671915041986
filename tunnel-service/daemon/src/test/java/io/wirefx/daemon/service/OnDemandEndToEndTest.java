package io.wirefx.daemon.service;

import io.wirefx.ipc.OnDemandRules;
import io.wirefx.ipc.TunnelState;
import io.wirefx.platform.linux.LinuxPlatform;
import io.wirefx.platform.linux.MockNetworkManager;
import io.wirefx.platform.linux.NetworkManagerMonitor;
import io.wirefx.platform.linux.PrivateBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * From NetworkManager to the tunnels: python3-dbusmock's NetworkManager on a private bus, the real
 * {@link NetworkManagerMonitor}, the {@link OnDemandController} and a real {@link TunnelManager} whose tunnels are
 * {@link TunnelManagerTest}'s stand-ins (no privileges: the network commands go to its fake runner). Joining an
 * untrusted or trusted Wi-Fi or a wired network starts and stops the tunnels whose rules say so. Waits are hang
 * guards only (the @Timeout).
 */
@Timeout(120)
class OnDemandEndToEndTest {
    @TempDir
    Path tmp;

    final TunnelManagerTest fixture = new TunnelManagerTest();
    PrivateBus bus;
    MockNetworkManager nm;
    NetworkManagerMonitor monitor;
    OnDemandController controller;

    final Map<String, OnDemandRules> rules = Map.of(
            "work", new OnDemandRules(true, false, List.of("Home")),
            "lab", new OnDemandRules(false, true, List.of()),
            "plain", OnDemandRules.OFF);

    @BeforeEach
    void setUp() throws Exception {
        fixture.tmp = tmp.resolve("manager");
        java.nio.file.Files.createDirectories(fixture.tmp);
        fixture.setUp();
        fixture.manager.create("work", fixture.config("10.1.0.2/24", "10.1.0.0/24", ""));
        fixture.manager.create("lab", fixture.config("10.2.0.2/24", "10.2.0.0/24", ""));
        fixture.manager.create("plain", fixture.config("10.3.0.2/24", "10.3.0.0/24", ""));
        bus = PrivateBus.start(tmp);
        nm = MockNetworkManager.start(bus);
        monitor = NetworkManagerMonitor.start(bus.address(), Duration.ofMillis(200));
        controller = new OnDemandController(monitor, () -> rules, OnDemandController.Tunnels.of(fixture.manager),
                fixture.log).start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (controller != null) {
            controller.close();
        }
        if (monitor != null) {
            monitor.close();
        }
        if (nm != null) {
            nm.close();
        }
        if (bus != null) {
            bus.close();
        }
        fixture.tearDown();
    }

    void await(String name, TunnelState state) throws InterruptedException {
        fixture.awaitPolling(name, state);
    }

    boolean runsOnItsInterface(String name) {
        String iface = new LinuxPlatform(fixture.runner).interfaceNameFor(name);
        TunnelManagerTest.StubTunnel t = fixture.factory.tunnels.get(iface);
        return t != null && !t.closed;
    }

    @Test
    void joiningNetworksStartsAndStopsTheRightTunnels() throws Exception {
        assertTrue(controller.available(), () -> controller.unavailableReason().toString());
        String cafe = nm.joinWifi("Cafe");
        await("work", TunnelState.RUNNING);
        assertTrue(runsOnItsInterface("work"));
        assertEquals(TunnelState.STOPPED, fixture.manager.state("lab"));

        nm.leaveWifi(cafe);
        await("work", TunnelState.STOPPED);
        assertFalse(runsOnItsInterface("work"));

        nm.joinWifi("Home");
        String wired = nm.joinWired();
        await("lab", TunnelState.RUNNING);
        assertEquals(TunnelState.STOPPED, fixture.manager.state("work"), "trusted Wi-Fi");

        String airport = nm.joinWifi("Airport");
        await("work", TunnelState.RUNNING);
        assertEquals(TunnelState.RUNNING, fixture.manager.state("lab"));

        nm.leaveWired(wired);
        await("lab", TunnelState.STOPPED);
        nm.leaveWifi(airport);
        await("work", TunnelState.STOPPED);
        assertEquals(TunnelState.STOPPED, fixture.manager.state("plain"), "no rules: never touched");

        assertTrue(fixture.log.tail(200).stream().anyMatch(e -> "work".equals(e.tunnel())
                && e.message().equals("on-demand: on Wi-Fi 'Cafe' (untrusted) → starting work")),
                () -> fixture.log.tail(200).toString());
    }

    @Test
    void withoutNetworkManagerNothingMoves() throws Exception {
        nm.joinWifi("Cafe");
        await("work", TunnelState.RUNNING);
        nm.stop();
        while (controller.available()) {
            Thread.sleep(10);
        }
        assertTrue(controller.unavailableReason().orElseThrow().contains("NetworkManager is not running"));
        assertEquals(TunnelState.RUNNING, fixture.manager.state("work"), "left as it is");

        nm.restart(); // NetworkManager back, no network: a change
        await("work", TunnelState.STOPPED);
    }
}
