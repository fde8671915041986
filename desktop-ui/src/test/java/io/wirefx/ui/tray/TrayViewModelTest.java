package io.wirefx.ui.tray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wirefx.ipc.Event;
import io.wirefx.ipc.PeerStats;
import io.wirefx.ipc.TunnelState;
import io.wirefx.ipc.TunnelStats;
import io.wirefx.ui.FakeService;
import io.wirefx.ui.TestTexts;
import io.wirefx.ui.format.Formats;
import io.wirefx.ui.service.ConnectionState;
import io.wirefx.ui.tunnels.TunnelsViewModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrayViewModelTest {
    private final FakeService service = new FakeService();

    private TrayViewModel tray() {
        service.texts.put("home", TestTexts.conf(1));
        service.texts.put("work", TestTexts.conf(2));
        TunnelsViewModel tunnels = new TunnelsViewModel(service, Runnable::run, () -> 0L,
                new Formats(TestTexts.BUNDLE), TestTexts.BUNDLE);
        return new TrayViewModel(tunnels, TestTexts.BUNDLE);
    }

    @Test
    void snapshotListsTunnelsAndTheConnectedIcon() {
        TrayViewModel vm = tray();
        TraySnapshot s = vm.snapshotProperty().get();
        assertTrue(s.serviceConnected());
        assertFalse(s.anyActive());
        assertEquals("WireFX: no tunnel active", s.tooltip(), "not to be read as \"service down\"");
        assertEquals(List.of("home", "work"), s.tunnels().stream().map(TraySnapshot.Entry::label).toList());
        vm.toggle("work");
        s = vm.snapshotProperty().get();
        assertTrue(s.anyActive());
        assertTrue(s.tunnels().get(1).checked());
        assertEquals("WireFX\nwork: waiting for handshake", s.tooltip(), "running, no handshake yet");
        assertTrue(s.onlyWaiting());
        service.emit(new Event.StatsUpdate(List.of(new TunnelStats("work", List.of(
                new PeerStats("k", 10, 20, 1_700_000_000_000L))))));
        s = vm.snapshotProperty().get();
        assertEquals("WireFX: connected (work)", s.tooltip());
        assertFalse(s.onlyWaiting());
    }

    @Test
    void transientAndFailedStatesShowInTheLabel() {
        TrayViewModel vm = tray();
        service.setState("home", TunnelState.STOPPING, null);
        TraySnapshot.Entry e = vm.snapshotProperty().get().tunnels().getFirst();
        assertEquals("home (Stopping\u2026)", e.label());
        assertFalse(e.enabled());
        service.setState("home", TunnelState.FAILED, "x");
        e = vm.snapshotProperty().get().tunnels().getFirst();
        assertEquals("home (Failed)", e.label());
        assertFalse(e.checked());
        assertTrue(e.enabled());
    }

    @Test
    void serviceDownShowsInTheIcon() {
        TrayViewModel vm = tray();
        service.setConnection(new ConnectionState(ConnectionState.Status.UNREACHABLE, null, Path.of("/s"), null));
        assertFalse(vm.snapshotProperty().get().serviceConnected());
        assertEquals("WireFX: service not running", vm.snapshotProperty().get().tooltip());
    }
}
