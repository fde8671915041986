package io.wirefx.ui.settings;

import io.wirefx.ipc.OnDemandRules;
import io.wirefx.ipc.Role;
import io.wirefx.ipc.TunnelSettings;
import io.wirefx.ui.FakeService;
import io.wirefx.ui.TestTexts;
import io.wirefx.ui.service.ConnectionState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The settings section's state without the FX thread, against the simulated service. */
class TunnelSettingsViewModelTest {
    private final FakeService service = new FakeService();
    private TunnelSettingsViewModel vm;

    @BeforeEach
    void setUp() {
        service.texts.put("office", TestTexts.conf(1));
        vm = new TunnelSettingsViewModel(service, Runnable::run, TestTexts.BUNDLE);
        vm.adminProperty().set(true);
        vm.fullTunnelProperty().set(true);
    }

    @Test
    void loadsEditsAndAppliesTheWholeSet() {
        service.tunnelSettings.put("office", new TunnelSettings(true, false, OnDemandRules.OFF));
        vm.show("office");
        assertTrue(vm.loadedProperty().get());
        assertTrue(vm.blockUntunneledProperty().get());
        assertFalse(vm.blockDisabled().get());
        assertFalse(vm.allowLanDisabled().get());
        assertTrue(vm.onDemandDisabled().get(), "the service cannot follow networks");
        assertEquals("On-demand rules need NetworkManager.", vm.onDemandNote().get());
        assertFalse(vm.dirty());

        vm.allowLanProperty().set(true);
        vm.onWifiProperty().set(true);
        vm.trustedProperty().set(" home \n\nhome\nCafé 5G\n");
        assertTrue(vm.dirty());
        vm.apply();
        assertEquals(new TunnelSettings(true, true, new OnDemandRules(true, false, List.of("home", "Café 5G"))),
                service.tunnelSettings.get("office"), "trimmed, blank lines and repeats dropped");
        assertFalse(vm.dirty());
        assertEquals(TestTexts.BUNDLE.getString("settings.saved"), vm.statusProperty().get());

        vm.blockUntunneledProperty().set(false);
        assertTrue(vm.allowLanDisabled().get());
        assertFalse(vm.current().allowLan(), "no LAN exception without the kill switch");
    }

    @Test
    void aSplitTunnelCannotBlockAndABadSsidIsRefusedBeforeAnythingIsSent() {
        vm.fullTunnelProperty().set(false);
        service.onDemandAvailable = true;
        vm.show("office");
        assertTrue(vm.blockDisabled().get());
        assertEquals(TestTexts.BUNDLE.getString("settings.block.fullOnly"), vm.blockNote().get());
        assertFalse(vm.onDemandDisabled().get());
        assertEquals("", vm.onDemandNote().get());
        assertTrue(vm.trustedDisabled().get(), "trusted SSIDs go with Wi-Fi");

        vm.onWifiProperty().set(true);
        vm.trustedProperty().set("x".repeat(33));
        int calls = service.calls.size();
        vm.apply();
        assertTrue(vm.errorProperty().get().contains("1 to 32 bytes"), vm.errorProperty().get());
        assertEquals(calls, service.calls.size(), "nothing sent");
    }

    @Test
    void operatorsSeeButCannotChangeAndTheServicesRefusalIsShown() {
        service.setConnection(ConnectionState.connected(Path.of("/test.sock"), Role.OPERATOR));
        vm.adminProperty().set(false);
        vm.show("office");
        assertTrue(vm.loadedProperty().get());
        assertTrue(vm.blockDisabled().get() && vm.onDemandDisabled().get());
        vm.blockUntunneledProperty().set(true);
        vm.apply();
        assertEquals(io.wirefx.ipc.ErrorCode.FORBIDDEN.defaultMessage(), vm.errorProperty().get());
        assertNull(service.tunnelSettings.get("office"));
    }

    @Test
    void eventsForTheShownTunnelReplaceUneditedValues() {
        vm.show("office");
        TunnelSettings elsewhere = new TunnelSettings(false, false, new OnDemandRules(false, true, List.of()));
        vm.applyEvent("other", new TunnelSettings(true, true, OnDemandRules.OFF));
        assertFalse(vm.blockUntunneledProperty().get(), "another tunnel's event is ignored");
        vm.applyEvent("office", elsewhere);
        assertTrue(vm.onWiredProperty().get());
        vm.onWifiProperty().set(true); // an unsaved edit
        vm.applyEvent("office", TunnelSettings.DEFAULT);
        assertTrue(vm.onWifiProperty().get() && vm.onWiredProperty().get(), "unsaved edits are kept");
    }
}
