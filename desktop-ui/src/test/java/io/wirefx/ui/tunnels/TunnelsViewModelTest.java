package io.wirefx.ui.tunnels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wirefx.core.config.Config;
import io.wirefx.ipc.Event;
import io.wirefx.ipc.PeerStats;
import io.wirefx.ipc.Role;
import io.wirefx.ipc.TunnelState;
import io.wirefx.ipc.TunnelStats;
import io.wirefx.ui.FakeService;
import io.wirefx.ui.TestTexts;
import io.wirefx.ui.format.Formats;
import io.wirefx.ui.service.ConnectionState;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TunnelsViewModelTest {
    private final FakeService service = new FakeService();
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private TunnelsViewModel vm;

    @BeforeEach
    void setUp() {
        service.texts.put("office", TestTexts.conf(1));
        service.texts.put("Home", TestTexts.conf(2));
        service.texts.put("beta", TestTexts.conf(3));
        vm = new TunnelsViewModel(service, Runnable::run, now::get, new Formats(TestTexts.BUNDLE), TestTexts.BUNDLE);
    }

    private List<String> names() {
        return vm.tunnels().stream().map(TunnelItem::name).toList();
    }

    @Test
    void listIsLoadedSortedAndFirstSelected() {
        assertEquals(List.of("beta", "Home", "office"), names());
        assertEquals("beta", vm.selectedProperty().get().name());
        assertTrue(vm.connectedProperty().get());
        assertTrue(vm.adminProperty().get());
        assertTrue(vm.loadedProperty().get());
    }

    @Test
    void detailShowsInterfaceAndPeers() throws Exception {
        vm.selectByName("office");
        TunnelDetailViewModel d = vm.detail();
        assertEquals("office", d.nameProperty().get());
        assertEquals(Config.parse(TestTexts.conf(1)).iface().publicKey().toBase64(), d.publicKeyProperty().get());
        assertEquals("51820", d.listenPortProperty().get());
        assertEquals("10.8.0.2/24, fd00::2/64", d.addressesProperty().get());
        assertEquals("10.8.0.1", d.dnsProperty().get());
        assertEquals("1420", d.mtuProperty().get());
        assertEquals(1, d.peers().size());
        PeerViewModel p = d.peers().getFirst();
        assertEquals("0.0.0.0/0, ::/0", p.allowedIps());
        assertEquals("192.0.2.1:51820", p.endpoint());
        assertEquals("every 25 seconds", p.persistentKeepalive(TestTexts.BUNDLE));
        assertEquals("", p.handshakeProperty().get(), "no counters while stopped");
        assertEquals("Stopped", d.stateTextProperty().get());
        assertEquals("_Activate", d.toggleTextProperty().get());
    }

    @Test
    void stateEventsMapToBadgesAndTheToggle() {
        TunnelItem home = vm.find("Home");
        vm.selectedProperty().set(home);
        service.autoRun = false;
        vm.toggle(home);
        assertEquals(TunnelState.STARTING, home.state(), "optimistic while the service starts it");
        assertEquals("Starting\u2026", vm.detail().stateTextProperty().get());
        assertEquals("De_activate", vm.detail().toggleTextProperty().get());
        assertTrue(vm.anyActiveBinding().get());
        service.setState("Home", TunnelState.RUNNING, null);
        assertEquals("badge-running", StateBadges.styleClass(home.state()));
        assertEquals("Running \u2014 waiting for handshake", vm.detail().stateTextProperty().get(),
                "no stats with a handshake yet");
        vm.toggle(home);
        assertEquals(TunnelState.STOPPED, home.state());
        assertFalse(vm.anyActiveBinding().get());
        assertEquals(List.of("start Home", "stop Home"), service.calls.stream()
                .filter(c -> c.startsWith("start") || c.startsWith("stop")).toList());
    }

    @Test
    void failureShowsTheServicesReason() {
        TunnelItem office = vm.find("office");
        vm.selectedProperty().set(office);
        service.setState("office", TunnelState.FAILED, "cannot open /dev/net/tun: permission denied");
        assertEquals(TunnelState.FAILED, office.state());
        assertEquals("badge-failed", StateBadges.styleClass(office.state()));
        assertEquals("cannot open /dev/net/tun: permission denied", vm.detail().failureReasonProperty().get());
        assertEquals("_Activate", vm.detail().toggleTextProperty().get(), "a failed tunnel can be started again");
        service.setState("office", TunnelState.STARTING, null);
        assertNull(vm.detail().failureReasonProperty().get());
    }

    @Test
    void statsEventsUpdateThePeerLive() throws Exception {
        vm.selectByName("office");
        service.setState("office", TunnelState.RUNNING, null);
        String peerKey = vm.detail().peers().getFirst().publicKey();
        service.emit(new Event.StatsUpdate(List.of(
                new TunnelStats("beta", List.of(new PeerStats(peerKey, 1, 1, 1))), // another tunnel: ignored
                new TunnelStats("office", List.of(new PeerStats(peerKey, 1_258_291, 3_500, now.get() - 12_000))))));
        PeerViewModel p = vm.detail().peers().getFirst();
        assertEquals("12 seconds ago", p.handshakeProperty().get());
        assertEquals("1.2 MiB", p.receivedProperty().get());
        assertEquals("3.4 KiB", p.sentProperty().get());
        now.addAndGet(60_000);
        vm.detail().tick();
        assertEquals("1 minute, 12 seconds ago", p.handshakeProperty().get());
        service.setState("office", TunnelState.STOPPED, null);
        assertEquals("", p.receivedProperty().get(), "no stale counters once stopped");
    }

    @Test
    void statsAreFetchedWhenARunningTunnelIsSelected() {
        String peerKey = io.wirefx.ui.TestTexts.keys(1002).publicKey().toBase64();
        service.states.put("Home", TunnelState.RUNNING);
        service.stats.put("Home", new TunnelStats("Home", List.of(new PeerStats(peerKey, 10, 20, 0))));
        vm.reload();
        vm.selectByName("Home");
        PeerViewModel p = vm.detail().peers().getFirst();
        assertEquals("Never", p.handshakeProperty().get());
        assertEquals("10 B", p.receivedProperty().get());
    }

    @Test
    void listChangesKeepTheSelection() {
        vm.selectByName("office");
        TunnelItem office = vm.find("office");
        service.texts.put("alpha", TestTexts.conf(4));
        service.emit(new Event.TunnelsChanged());
        assertEquals(List.of("alpha", "beta", "Home", "office"), names());
        assertSame(office, vm.selectedProperty().get(), "same item object, still selected");
        service.texts.remove("office");
        service.emit(new Event.EventsLost(3));
        assertEquals("alpha", vm.selectedProperty().get().name(), "selection falls back to the first");
    }

    @Test
    void renameSelectsTheNewName() {
        vm.selectByName("beta");
        vm.rename(vm.find("beta"), "gamma");
        assertEquals("gamma", vm.selectedProperty().get().name());
    }

    @Test
    void failedActionsBecomeNotifications() {
        vm.delete(new TunnelItem(new io.wirefx.ipc.TunnelSummary("ghost", TunnelState.STOPPED, List.of(), 0, null)));
        assertEquals("no such tunnel", vm.notificationProperty().get());
        vm.clearNotification();
        assertNull(vm.notificationProperty().get());
    }

    @Test
    void connectionLossAndOperatorRole() {
        service.setConnection(new ConnectionState(ConnectionState.Status.UNREACHABLE, null, Path.of("/s"), "x"));
        assertFalse(vm.connectedProperty().get());
        assertFalse(vm.adminProperty().get());
        service.texts.put("new1", TestTexts.conf(9));
        service.setConnection(ConnectionState.connected(Path.of("/s"), Role.OPERATOR));
        assertTrue(vm.connectedProperty().get());
        assertFalse(vm.adminProperty().get(), "operator: no editing");
        assertTrue(names().contains("new1"), "re-read on reconnect");
        assertNull(vm.notificationProperty().get(), "connection failures are the banner's, not notifications");
    }

    @Test
    void aRunningTunnelWaitsForItsFirstHandshake() {
        TunnelItem office = vm.find("office");
        vm.selectedProperty().set(office);
        vm.activate(office);
        assertTrue(office.isAwaitingHandshake());
        assertEquals("Running \u2014 waiting for handshake", vm.detail().stateTextProperty().get());
        assertEquals("badge-waiting", vm.detail().stateStyleProperty().get());
        assertEquals("Waiting", StateBadges.of(TestTexts.BUNDLE, office, true).text());
        String key = vm.detail().peers().getFirst().publicKey();
        service.emit(new Event.StatsUpdate(List.of(new TunnelStats("office",
                List.of(new PeerStats(key, 0, 148, 0))))));
        assertTrue(office.isAwaitingHandshake(), "counters without a handshake: still waiting");
        service.emit(new Event.StatsUpdate(List.of(new TunnelStats("office",
                List.of(new PeerStats(key, 92, 148, now.get() - 3000))))));
        assertFalse(office.isAwaitingHandshake());
        assertEquals("Running", vm.detail().stateTextProperty().get());
        vm.deactivate(office);
        assertEquals(0, office.latestHandshakeProperty().get(), "forgotten when stopped");
    }

    @Test
    void withTheServiceAwayStatesAreUnknownAndTheAdminLayoutStays() {
        vm.selectByName("office");
        service.setConnection(new ConnectionState(ConnectionState.Status.UNREACHABLE, null, Path.of("/s"), "x"));
        assertEquals("Unknown (the service is not connected)", vm.detail().stateTextProperty().get());
        assertEquals("Unknown", StateBadges.of(TestTexts.BUNDLE, vm.find("office"), false).text());
        assertTrue(vm.adminLayoutProperty().get(), "the last role's layout is kept");
        assertFalse(vm.adminProperty().get(), "but nothing is allowed");
        service.setConnection(ConnectionState.connected(Path.of("/s"), Role.OPERATOR));
        assertEquals("Stopped", vm.detail().stateTextProperty().get());
        assertFalse(vm.adminLayoutProperty().get());
    }

    @Test
    void renameProblemsAreKnownBeforeAsking() {
        TunnelItem beta = vm.find("beta");
        assertEquals("Enter a name.", vm.renameProblem(beta, " "));
        assertEquals(TestTexts.BUNDLE.getString("editor.nameInvalid"), vm.renameProblem(beta, "a/b"));
        assertEquals(TestTexts.BUNDLE.getString("editor.nameInvalid"), vm.renameProblem(beta, "x".repeat(33)));
        assertEquals("A tunnel named \u201coffice\u201d exists already.", vm.renameProblem(beta, "office"));
        assertNull(vm.renameProblem(beta, "beta"), "unchanged: no problem (and nothing to do)");
        assertNull(vm.renameProblem(beta, "gamma"));
    }

    @Test
    void aRunningTunnelShowsTheListenPortAndMtuItUses() {
        service.texts.put("auto", TestTexts.conf(9).replace("ListenPort = 51820\n", "").replace("MTU = 1420\n", ""));
        vm.reload();
        vm.selectByName("auto");
        assertEquals("", vm.detail().listenPortProperty().get(), "none configured, not running");
        vm.activate(vm.find("auto"));
        String key = vm.detail().peers().getFirst().publicKey();
        service.emit(new Event.StatsUpdate(List.of(new TunnelStats("auto",
                List.of(new PeerStats(key, 1, 2, now.get())), "auto", 41234, 1420))));
        assertEquals("41234 (chosen automatically)", vm.detail().listenPortProperty().get());
        assertEquals("1420 (chosen automatically)", vm.detail().mtuProperty().get());
        assertEquals("auto", vm.detail().interfaceNameProperty().get(), "the interface the platform chose");
        vm.deactivate(vm.find("auto"));
        assertEquals("", vm.detail().interfaceNameProperty().get());
        assertEquals("", vm.detail().listenPortProperty().get());
        assertEquals("", vm.detail().mtuProperty().get());

        vm.selectByName("office"); // ListenPort and MTU configured: shown as configured, running or not
        vm.activate(vm.find("office"));
        String key2 = vm.detail().peers().getFirst().publicKey();
        service.emit(new Event.StatsUpdate(List.of(new TunnelStats("office",
                List.of(new PeerStats(key2, 1, 2, now.get())), "office", 51820, 1420))));
        assertEquals("51820", vm.detail().listenPortProperty().get());
        assertEquals("1420", vm.detail().mtuProperty().get());
    }
}
