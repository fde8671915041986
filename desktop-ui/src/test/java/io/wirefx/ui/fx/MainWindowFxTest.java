package io.wirefx.ui.fx;

import static io.wirefx.ui.fx.FxFixture.onFx;
import static io.wirefx.ui.fx.FxFixture.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wirefx.ipc.Role;
import io.wirefx.ipc.TunnelState;
import io.wirefx.ui.RealService;
import io.wirefx.ui.TestTexts;
import io.wirefx.ui.editor.ConfigHighlighter;
import io.wirefx.ui.editor.EditorWindow;
import io.wirefx.ui.editor.HighlightingTextArea;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The main window against a real service (the daemon's IPC server and config store, simulated tunnels), driven
 * through the UI: import by the file chooser, toggle, live counters, edit with an error, delete.
 */
@ExtendWith(ApplicationExtension.class)
class MainWindowFxTest {
    @TempDir
    static Path dir;
    private RealService service;
    private FxFixture fx;

    @Start
    void start(Stage stage) throws Exception {
        Path d = Files.createTempDirectory(dir == null ? Path.of(System.getProperty("java.io.tmpdir")) : dir, "svc");
        service = new RealService(d, Duration.ofMillis(150), Duration.ofMillis(250));
        fx = new FxFixture(service.client);
        fx.show(stage, 1000, 680);
        service.client.start();
    }

    @AfterEach
    void tearDown() {
        for (EditorWindow w : onFx(EditorWindow::openWindows)) {
            onFx(() -> {
                w.stage().hide();
                return null;
            });
        }
        service.close();
    }

    private Path conf(String name, String text) throws Exception {
        return Files.writeString(service.dir.resolve(name), text);
    }

    private static String badge(FxRobot robot, String tunnel) {
        return onFx(() -> {
            Node cell = robot.lookup("#tunnel-cell-" + tunnel).tryQuery().orElse(null);
            if (cell == null) {
                return null;
            }
            return ((Label) cell.lookup(".badge")).getText();
        });
    }

    private List<String> listed(FxRobot robot) {
        return onFx(() -> robot.lookup("#tunnel-list").queryListView().getItems().stream()
                .map(i -> ((io.wirefx.ui.tunnels.TunnelItem) i).name()).toList());
    }

    @Test
    void importToggleEditWithErrorAndDelete(FxRobot robot) throws Exception {
        waitUntil("connected", () -> fx.main.tunnelsViewModel().connectedProperty().get());
        fx.importAnswers.add(List.of(conf("wg-home.conf", TestTexts.conf(1))));

        // Import through the "Add tunnel" menu and the (injected) file chooser.
        robot.clickOn("#add-menu");
        robot.clickOn(TestTexts.BUNDLE.getString("main.menu.import").replace("_", ""));
        waitUntil("the tunnel is listed", () -> listed(robot).contains("wg-home"));
        assertEquals("\u2714 wg-home.conf: Imported as \u201cwg-home\u201d",
                robot.lookup("#import-result-0").queryLabeled().getText());
        assertTrue(service.store.exists("wg-home"), "stored by the service");
        assertEquals("Stopped", badge(robot, "wg-home"));
        assertEquals("Interface: wg-home", robot.lookup("#detail-heading").queryLabeled().getText());

        // Activate: the badge follows the service's events to Running, and counters arrive live.
        robot.clickOn("#toggle-button");
        waitUntil("running", () -> "Running".equals(badge(robot, "wg-home")));
        assertEquals(TunnelState.RUNNING, service.tunnels.state("wg-home"));
        waitUntil("live transfer counters", () -> robot.lookup("#peer-0-transfer").tryQuery()
                .map(n -> ((Label) n).getText()).orElse("")
                .matches("[0-9.]+ (B|KiB|MiB) received, [0-9.]+ (B|KiB|MiB) sent"),
                () -> robot.lookup("#peer-0-transfer").tryQuery().map(n -> ((Label) n).getText()) + " peers="
                        + fx.main.tunnelsViewModel().detail().peers().stream()
                        .map(p -> p.publicKey() + ":" + p.receivedProperty().get()).toList());
        assertEquals("De_activate".replace("_", ""), robot.lookup("#toggle-button").queryButton().getText()
                .replace("_", ""));
        robot.clickOn("#toggle-button");
        waitUntil("stopped", () -> "Stopped".equals(badge(robot, "wg-home")));

        // Edit: an unknown key is marked at its line, save is refused, and nothing reaches the store.
        String stored = service.store.read("wg-home");
        robot.clickOn("#edit-button");
        waitUntil("editor open", () -> !EditorWindow.openWindows().isEmpty());
        TextArea text = robot.lookup("#editor-text").queryAs(TextArea.class);
        robot.clickOn(text);
        onFx(() -> {
            text.end(); // caret after the final newline
            return null;
        });
        robot.write("Bogus = 1");
        int line = onFx(() -> text.getText().split("\n", -1).length);
        waitUntil("problem shown", () -> robot.lookup("#editor-problem").queryLabeled().getText()
                .startsWith("Line " + line + ": "));
        assertEquals("Line " + line + ": [Peer] Bogus: unknown key",
                robot.lookup("#editor-problem").queryLabeled().getText());
        HighlightingTextArea code = robot.lookup("#editor-code").queryAs(HighlightingTextArea.class);
        assertEquals(line, (int) onFx(code::markedLine), "the gutter marks the line");
        assertEquals(List.of("Bogus", "1"),
                List.of(onFx(() -> code.layerText(ConfigHighlighter.Kind.INVALID)).strip().split("\\s+")),
                "the unknown key and its value are painted as invalid, nothing else");
        assertTrue(onFx(() -> code.layerText(ConfigHighlighter.Kind.SECTION)).contains("[Interface]"));
        Button save = robot.lookup("#editor-save").queryButton();
        assertTrue(save.isDisabled(), "save is refused while invalid");
        robot.press(KeyCode.CONTROL, KeyCode.S).release(KeyCode.S, KeyCode.CONTROL);
        assertEquals(stored, service.store.read("wg-home"), "nothing saved");

        // Closing with unsaved changes asks; "Don't save" drops them on purpose.
        robot.clickOn("#editor-cancel");
        robot.clickOn("#unsaved-discard");
        waitUntil("editor closed", () -> EditorWindow.openWindows().isEmpty());
        assertEquals(stored, service.store.read("wg-home"));

        // Delete, with confirmation.
        robot.clickOn("#delete-button");
        robot.clickOn("#confirm-delete");
        waitUntil("gone from the list", () -> !listed(robot).contains("wg-home"));
        assertFalse(service.store.exists("wg-home"));
    }

    @Test
    void invalidFilesAreReportedWithTheirLine(FxRobot robot) throws Exception {
        waitUntil("connected", () -> fx.main.tunnelsViewModel().connectedProperty().get());
        String bad = TestTexts.conf(2).replace("MTU = 1420", "MTU = lots");
        fx.importAnswers.add(List.of(conf("good.conf", TestTexts.conf(3)), conf("bad.conf", bad)));
        robot.press(KeyCode.CONTROL, KeyCode.I).release(KeyCode.I, KeyCode.CONTROL);
        waitUntil("two results", () -> robot.lookup("#import-result-1").tryQuery().isPresent());
        assertEquals("\u2714 good.conf: Imported as \u201cgood\u201d",
                robot.lookup("#import-result-0").queryLabeled().getText());
        assertEquals("\u2716 bad.conf: Line 6: [Interface] MTU: not a number",
                robot.lookup("#import-result-1").queryLabeled().getText());
        waitUntil("good listed, bad not", () -> listed(robot).equals(List.of("good")));
    }

    @Test
    void editorSavesANewTunnelWithAFreshKey(FxRobot robot) throws Exception {
        waitUntil("connected", () -> fx.main.tunnelsViewModel().connectedProperty().get());
        robot.press(KeyCode.CONTROL, KeyCode.N).release(KeyCode.N, KeyCode.CONTROL);
        waitUntil("editor open", () -> !EditorWindow.openWindows().isEmpty());
        String publicKey = robot.lookup("#editor-public-key").queryTextInputControl().getText();
        assertEquals(44, publicKey.length(), "the generated key's public half is shown");
        TextArea text = robot.lookup("#editor-text").queryAs(TextArea.class);
        robot.clickOn(text);
        onFx(() -> {
            text.positionCaret(text.getText().indexOf("Address = ") + "Address = ".length());
            return null;
        });
        robot.write("10.9.0.2/24");
        waitUntil("valid: " + onFx(text::getText), () -> !robot.lookup("#editor-save").queryButton().isDisabled());
        robot.clickOn("#editor-save");
        waitUntil("listed and selected", () -> listed(robot).contains("wg0")
                && "Interface: wg0".equals(robot.lookup("#detail-heading").queryLabeled().getText()));
        assertTrue(service.store.read("wg0").contains("Address = 10.9.0.2/24"));
        waitUntil("its detail is loaded", () -> publicKey.equals(
                robot.lookup("#detail-public-key").queryTextInputControl().getText()));
    }

    @Test
    void failedStartShowsTheServicesReason(FxRobot robot) throws Exception {
        service.tunnels.create("wg1", TestTexts.conf(4));
        waitUntil("listed", () -> listed(robot).contains("wg1"));
        service.tunnels.failNextStart("wg1", "cannot create interface wg1: permission denied");
        robot.clickOn("#toggle-button");
        waitUntil("failed", () -> "Failed".equals(badge(robot, "wg1")));
        assertEquals("Failed to start: cannot create interface wg1: permission denied",
                robot.lookup("#detail-failure").queryLabeled().getText());
    }

    @Test
    void operatorModeHidesEditingAndKeys(FxRobot robot) throws Exception {
        service.tunnels.create("wg1", TestTexts.conf(4));
        waitUntil("connected", () -> fx.main.tunnelsViewModel().connectedProperty().get());
        service.grant(Role.OPERATOR);
        service.restartServer(); // drops the admin connection; the app reconnects, as operator now
        waitUntil("operator", () -> fx.main.tunnelsViewModel().connectedProperty().get()
                && !fx.main.tunnelsViewModel().adminProperty().get());
        assertEquals("Operator mode", robot.lookup("#connection-banner .banner-title").queryLabeled().getText());
        for (String id : new String[] {"#add-menu", "#delete-button", "#export-button", "#edit-button"}) {
            assertFalse(robot.lookup(id).query().isVisible(), id + " hidden");
        }
        assertTrue(robot.lookup("#toggle-button").query().isVisible(), "operators start and stop tunnels");
    }

    @Test
    void serviceDownShowsHowToFixItAndReconnects(FxRobot robot) throws Exception {
        waitUntil("connected", () -> fx.main.tunnelsViewModel().connectedProperty().get());
        service.server.close();
        waitUntil("banner", () -> robot.lookup("#connection-banner").query().isVisible());
        assertEquals("The WireFX service is not running",
                robot.lookup("#connection-banner .banner-title").queryLabeled().getText());
        assertTrue(robot.lookup("#connection-banner .banner-help").queryLabeled().getText()
                .contains("sudo systemctl start wirefx"));
        service.tunnels.create("late", TestTexts.conf(5));
        service.restartServer();
        waitUntil("reconnected by itself", () -> !robot.lookup("#connection-banner").query().isVisible()
                && listed(robot).contains("late"));
    }

    @Test
    void logShowsTheServiceLogAndFollows(FxRobot robot) throws Exception {
        service.tunnels.create("wg2", TestTexts.conf(6));
        waitUntil("listed", () -> listed(robot).contains("wg2"));
        robot.clickOn("#log-tab");
        onFx(() -> {
            fx.main.tunnelsViewModel().activate(fx.main.tunnelsViewModel().find("wg2"));
            return null;
        });
        ListView<?> lines = robot.lookup("#log-lines").queryListView();
        waitUntil("a log line about wg2", () -> lines.getItems().stream()
                .anyMatch(e -> ((io.wirefx.ipc.LogEntry) e).tunnel() != null
                        && ((io.wirefx.ipc.LogEntry) e).tunnel().equals("wg2")));
        Path saved = service.dir.resolve("saved.log");
        fx.logAnswer = saved;
        robot.clickOn("#log-save");
        waitUntil("saved", () -> Files.exists(saved));
        waitUntil("written", () -> {
            try {
                return Files.readString(saved).contains("[wg2]");
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }
}
