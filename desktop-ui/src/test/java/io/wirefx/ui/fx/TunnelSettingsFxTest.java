package io.wirefx.ui.fx;

import static io.wirefx.ui.fx.FxFixture.onFx;
import static io.wirefx.ui.fx.FxFixture.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wirefx.ipc.OnDemandRules;
import io.wirefx.ipc.TunnelSettings;
import io.wirefx.ui.RealService;
import io.wirefx.ui.TestTexts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The tunnel detail's settings section against the real service (the daemon's IPC server and config store,
 * simulated tunnels): the kill switch toggles only for full tunnels, the on-demand rules only when the service can
 * follow networks, Apply stores them, and a change made elsewhere shows up.
 */
@ExtendWith(ApplicationExtension.class)
class TunnelSettingsFxTest {
    @TempDir
    static Path dir;
    private RealService service;
    private FxFixture fx;

    @Start
    void start(Stage stage) throws Exception {
        Path d = Files.createTempDirectory(dir == null ? Path.of(System.getProperty("java.io.tmpdir")) : dir, "svc");
        service = new RealService(d, Duration.ofMillis(100), null);
        service.tunnels.create("full", TestTexts.conf(1));
        service.tunnels.create("split", TestTexts.conf(2).replace("AllowedIPs = 0.0.0.0/0, ::/0",
                "AllowedIPs = 10.8.0.0/24"));
        fx = new FxFixture(service.client);
        fx.show(stage, 1000, 900);
        service.client.start();
    }

    @AfterEach
    void tearDown() {
        service.close();
    }

    private static boolean disabled(FxRobot robot, String id) {
        return onFx(() -> robot.lookup(id).query().isDisabled());
    }

    private static boolean shown(FxRobot robot, String id) {
        return onFx(() -> {
            Node n = robot.lookup(id).query();
            return n.isVisible() && n.getParent().isVisible();
        });
    }

    private void select(FxRobot robot, String tunnel) {
        waitUntil(tunnel + " listed", () -> onFx(() -> robot.lookup("#tunnel-cell-" + tunnel).tryQuery().isPresent()));
        robot.clickOn("#tunnel-cell-" + tunnel);
        waitUntil(tunnel + " settings loaded", () -> onFx(() -> fx.main.tunnelsViewModel().settings().loadedProperty()
                .get() && Objects.equals(fx.main.tunnelsViewModel().selectedProperty().get().name(), tunnel)));
    }

    @Test
    void blockUntunneledForFullTunnelsOnlyAndOnDemandOnlyWithNetworkManager(FxRobot robot) throws Exception {
        select(robot, "full");
        assertFalse(disabled(robot, "#settings-block"), "a full tunnel may block untunneled traffic");
        assertTrue(disabled(robot, "#settings-allow-lan"), "LAN choice only once blocking");
        assertTrue(disabled(robot, "#settings-on-wifi") && disabled(robot, "#settings-on-wired"));
        assertTrue(shown(robot, "#settings-on-demand-note"));
        assertEquals("On-demand rules need NetworkManager.",
                robot.lookup("#settings-on-demand-note").queryLabeled().getText());

        robot.clickOn("#settings-block");
        assertFalse(disabled(robot, "#settings-allow-lan"));
        robot.clickOn("#settings-allow-lan");
        robot.clickOn("#settings-apply");
        waitUntil("stored", () -> settingsOf("full").equals(new TunnelSettings(true, true, OnDemandRules.OFF)));
        waitUntil("saved note", () -> onFx(() -> robot.lookup("#settings-status").queryLabeled().getText())
                .startsWith("Settings saved"));

        select(robot, "split");
        assertTrue(disabled(robot, "#settings-block"), "not a full tunnel");
        assertTrue(shown(robot, "#settings-block-note"));
        assertFalse(onFx(() -> ((CheckBox) robot.lookup("#settings-block").query()).isSelected()));

        service.tunnels.setOnDemandAvailable(true);
        select(robot, "full");
        assertTrue(onFx(() -> ((CheckBox) robot.lookup("#settings-block").query()).isSelected()), "read back");
        assertTrue(onFx(() -> ((CheckBox) robot.lookup("#settings-allow-lan").query()).isSelected()));
        assertFalse(shown(robot, "#settings-on-demand-note"));
        assertTrue(disabled(robot, "#settings-trusted"), "trusted SSIDs go with Wi-Fi");
        robot.clickOn("#settings-on-wifi");
        assertFalse(disabled(robot, "#settings-trusted"));
        robot.clickOn("#settings-trusted").write("home\nCafé 5G");
        robot.clickOn("#settings-on-wired");
        robot.clickOn("#settings-apply");
        waitUntil("rules stored", () -> settingsOf("full").equals(new TunnelSettings(true, true,
                new OnDemandRules(true, true, List.of("home", "Café 5G")))));

        // A change made elsewhere (the CLI, another window) arrives as an event.
        service.tunnels.setSettings("full", TunnelSettings.DEFAULT);
        waitUntil("event applied", () -> onFx(() -> !((CheckBox) robot.lookup("#settings-block").query())
                .isSelected() && ((Label) robot.lookup("#settings-status").query()) != null
                && robot.lookup("#settings-trusted").queryTextInputControl().getText().isEmpty()));
    }

    private TunnelSettings settingsOf(String name) {
        try {
            return service.store.settings(name);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
