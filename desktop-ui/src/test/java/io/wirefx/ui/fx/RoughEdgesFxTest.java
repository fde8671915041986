package io.wirefx.ui.fx;

import static io.wirefx.ui.fx.FxFixture.onFx;
import static io.wirefx.ui.fx.FxFixture.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wirefx.ipc.Event;
import io.wirefx.ipc.LogEntry;
import io.wirefx.ipc.TunnelState;
import io.wirefx.ui.RealService;
import io.wirefx.ui.TestTexts;
import io.wirefx.ui.editor.EditorWindow;
import io.wirefx.ui.tunnels.TunnelItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.geometry.Bounds;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The rough edges a new user hit, each checked through the UI against a real (simulated-tunnel) service: the
 * "waiting for handshake" state, the log following its newest line, nothing truncated at 800×600, saving a
 * running tunnel restarts it, rename checked as typed, "Unknown" with the layout kept while the service is down,
 * and the delete confirmation of a connected tunnel.
 */
@ExtendWith(ApplicationExtension.class)
class RoughEdgesFxTest {
    @TempDir
    static Path dir;
    private RealService service;
    private FxFixture fx;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        Path d = Files.createTempDirectory(dir == null ? Path.of(System.getProperty("java.io.tmpdir")) : dir, "svc");
        // No periodic stats: the tests publish them, so "no handshake yet" lasts as long as a test wants.
        service = new RealService(d, Duration.ofMillis(100), null);
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

    private static String badge(FxRobot robot, String tunnel) {
        return onFx(() -> robot.lookup("#tunnel-cell-" + tunnel).tryQuery()
                .map(cell -> ((Label) cell.lookup(".badge")).getText()).orElse(null));
    }

    private void startAndWaitRunning(FxRobot robot, String name) {
        onFx(() -> fx.main.tunnelsViewModel().activate(fx.main.tunnelsViewModel().find(name)));
        waitUntil(name + " running", () -> service.tunnels.state(name) == TunnelState.RUNNING
                && fx.main.tunnelsViewModel().find(name).state() == TunnelState.RUNNING);
    }

    @Test
    void aRunningTunnelWithoutHandshakeSaysItWaits(FxRobot robot) throws Exception {
        service.tunnels.create("wg1", TestTexts.conf(1));
        waitUntil("listed", () -> fx.main.tunnelsViewModel().find("wg1") != null);
        startAndWaitRunning(robot, "wg1");
        waitUntil("waiting badge", () -> "Waiting".equals(badge(robot, "wg1")));
        assertEquals("Running \u2014 waiting for handshake", robot.lookup("#detail-state").queryLabeled().getText());
        // The first stats event carries a handshake time: the tunnel is really up now.
        service.tunnels.publishStats();
        waitUntil("running badge", () -> "Running".equals(badge(robot, "wg1")));
        assertEquals("Running", robot.lookup("#detail-state").queryLabeled().getText());
    }

    @Test
    void followingTheLogKeepsTheNewestLineInView(FxRobot robot) throws Exception {
        robot.clickOn("#log-tab");
        ListView<?> lines = robot.lookup("#log-lines").queryListView();
        assertTrue(robot.lookup("#log-follow").queryAs(javafx.scene.control.CheckBox.class).isSelected());
        for (int i = 0; i < 300; i++) {
            service.log.info(null, "line " + i);
            if (i % 50 == 0) {
                Thread.sleep(20); // several batches, as the service sends them
            }
        }
        waitUntil("all lines", () -> lines.getItems().stream().anyMatch(e -> ((LogEntry) e).message()
                .equals("line 299")), () -> lines.getItems().size() + " lines, last " + (lines.getItems().isEmpty()
                ? "none" : ((LogEntry) lines.getItems().getLast()).message()));
        waitUntil("the newest line is fully visible", () -> lastCellFullyVisible(lines),
                () -> "cells: " + visibleCells(lines));
        // And again after a single new line.
        service.log.info(null, "one more");
        waitUntil("one more arrived", () -> ((LogEntry) lines.getItems().getLast()).message().equals("one more"));
        waitUntil("still in view", () -> lastCellFullyVisible(lines), () -> "cells: " + visibleCells(lines));
    }

    private static boolean lastCellFullyVisible(ListView<?> list) {
        int last = list.getItems().size() - 1;
        Bounds view = list.localToScene(list.getLayoutBounds());
        double bottom = view.getMaxY() - list.getInsets().getBottom();
        for (Node n : list.lookupAll(".scroll-bar")) {
            if (n instanceof ScrollBar sb && sb.getOrientation() == Orientation.HORIZONTAL && sb.isVisible()) {
                bottom = Math.min(bottom, sb.localToScene(sb.getLayoutBounds()).getMinY());
            }
        }
        for (Node n : list.lookupAll(".list-cell")) {
            if (n instanceof ListCell<?> c && c.isVisible() && c.getIndex() == last && !c.isEmpty()) {
                Bounds b = c.localToScene(c.getLayoutBounds());
                return b.getMinY() >= view.getMinY() - 0.5 && b.getMaxY() <= bottom + 0.5;
            }
        }
        return false;
    }

    private static String visibleCells(ListView<?> list) {
        List<String> out = new ArrayList<>();
        for (Node n : list.lookupAll(".list-cell")) {
            if (n instanceof ListCell<?> c && c.isVisible() && !c.isEmpty()) {
                out.add(c.getIndex() + "@" + c.localToScene(c.getLayoutBounds()).getMaxY());
            }
        }
        javafx.scene.control.skin.VirtualFlow<?> flow = (javafx.scene.control.skin.VirtualFlow<?>)
                list.lookup(".virtual-flow");
        return out + " list bottom " + list.localToScene(list.getLayoutBounds()).getMaxY() + " size "
                + list.getItems().size() + " flow cells " + flow.getCellCount() + " position " + flow.getPosition()
                + " last " + flow.getLastVisibleCell().getIndex() + " flow " + flow.localToScene(flow.getLayoutBounds());
    }

    @Test
    void nothingIsTruncatedAt800x600AndAbove(FxRobot robot) throws Exception {
        service.tunnels.create("wg-home", TestTexts.conf(2));
        waitUntil("listed", () -> fx.main.tunnelsViewModel().find("wg-home") != null);
        startAndWaitRunning(robot, "wg-home");
        service.tunnels.publishStats();
        waitUntil("counters", () -> !robot.lookup("#peer-0-transfer").queryLabeled().getText().isEmpty());
        for (double[] size : new double[][] {{800, 600}, {940, 600}, {1280, 800}}) {
            onFx(() -> {
                stage.setWidth(size[0]);
                stage.setHeight(size[1]);
                return null;
            });
            org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
            List<String> cut = onFx(() -> truncated(stage.getScene().getRoot()));
            assertEquals(List.of(), cut, "truncated at " + size[0] + "x" + size[1]);
        }
    }

    /** Every visible label or button whose shown text is not its whole text, and key fields narrower than the key. */
    private static List<String> truncated(Parent root) {
        List<String> out = new ArrayList<>();
        walk(root, out);
        return out;
    }

    private static void walk(Node node, List<String> out) {
        if (!node.isVisible()) {
            return;
        }
        if (node instanceof Labeled l && l.getText() != null && !l.getText().isEmpty()) {
            String whole = l.isMnemonicParsing() ? l.getText().replaceFirst("_", "") : l.getText();
            for (Node c : l.getChildrenUnmodifiable()) {
                if (c instanceof Text t && t.isVisible() && !t.getText().replace("\n", " ").strip()
                        .equals(whole.replace("\n", " ").strip())
                        && !t.getText().replace("\n", "").equals(whole.replace(" ", "").replace("\n", ""))) {
                    if (!l.isWrapText() || t.getText().endsWith("\u2026")) {
                        out.add(l.getClass().getSimpleName() + " '" + whole + "' shown as '" + t.getText() + "'");
                    }
                }
            }
        }
        if (node instanceof TextField f && !(node.getParent() instanceof javafx.scene.control.ComboBox)
                && f.getText() != null && !f.getText().isEmpty()) {
            Text probe = new Text(f.getText());
            probe.setFont(f.getFont());
            double need = probe.getLayoutBounds().getWidth();
            double have = f.getWidth() - f.getInsets().getLeft() - f.getInsets().getRight();
            if (have + 0.5 < need) {
                out.add("TextField " + f.getId() + " " + Math.round(have) + " px for " + Math.round(need) + " px");
            }
        }
        if (node instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                walk(c, out);
            }
        }
    }

    @Test
    void savingARunningTunnelRestartsIt(FxRobot robot) throws Exception {
        service.tunnels.create("wg3", TestTexts.conf(3));
        waitUntil("listed", () -> fx.main.tunnelsViewModel().find("wg3") != null);
        startAndWaitRunning(robot, "wg3");
        List<TunnelState> states = new CopyOnWriteArrayList<>();
        service.tunnels.subscribe(e -> {
            if (e instanceof Event.TunnelStateChanged c && c.name().equals("wg3")) {
                states.add(c.state());
            }
        });
        robot.clickOn("#edit-button");
        waitUntil("editor open", () -> !EditorWindow.openWindows().isEmpty());
        Button save = robot.lookup("#editor-save").queryButton();
        assertEquals("Save and restart the tunnel", save.getText().replace("_", ""));
        TextArea text = robot.lookup("#editor-text").queryAs(TextArea.class);
        onFx(() -> {
            text.setText(text.getText().replace("MTU = 1420", "MTU = 1380"));
            return null;
        });
        robot.clickOn("#editor-save");
        waitUntil("editor closed", () -> EditorWindow.openWindows().isEmpty());
        waitUntil("running again", () -> service.tunnels.state("wg3") == TunnelState.RUNNING
                && states.contains(TunnelState.RUNNING));
        assertTrue(service.store.read("wg3").contains("MTU = 1380"));
        assertEquals(List.of(TunnelState.STOPPING, TunnelState.STOPPED, TunnelState.STARTING, TunnelState.RUNNING),
                states, "stopped, stored, started");
    }

    @Test
    void renameIsCheckedWhileTyping(FxRobot robot) throws Exception {
        service.tunnels.create("wg4", TestTexts.conf(4));
        service.tunnels.create("wg5", TestTexts.conf(5));
        waitUntil("listed", () -> fx.main.tunnelsViewModel().find("wg5") != null);
        onFx(() -> {
            fx.main.tunnelsViewModel().selectByName("wg4");
            return null;
        });
        robot.clickOn("#tunnel-cell-wg4");
        robot.press(KeyCode.F2).release(KeyCode.F2);
        waitUntil("dialog", () -> robot.lookup("#rename-name").tryQuery().isPresent());
        TextField field = robot.lookup("#rename-name").queryTextInputControl() instanceof TextField f ? f : null;
        Node ok = robot.lookup("#rename-ok").query();
        assertTrue(ok.isDisabled(), "the unchanged name is nothing to do");
        onFx(() -> {
            field.setText("has space");
            return null;
        });
        assertEquals(TestTexts.BUNDLE.getString("editor.nameInvalid"),
                robot.lookup("#rename-problem").queryLabeled().getText());
        assertTrue(ok.isDisabled());
        onFx(() -> {
            field.setText("wg5");
            return null;
        });
        assertEquals("A tunnel named \u201cwg5\u201d exists already.",
                robot.lookup("#rename-problem").queryLabeled().getText());
        assertTrue(ok.isDisabled());
        onFx(() -> {
            field.setText("wg-new");
            return null;
        });
        assertFalse(robot.lookup("#rename-problem").query().isVisible());
        assertFalse(ok.isDisabled());
        robot.clickOn(ok);
        waitUntil("renamed", () -> service.store.exists("wg-new") && !service.store.exists("wg4"));
    }

    @Test
    void whileTheServiceIsDownStatesAreUnknownAndTheLayoutStays(FxRobot robot) throws Exception {
        service.tunnels.create("wg6", TestTexts.conf(6));
        waitUntil("listed", () -> fx.main.tunnelsViewModel().find("wg6") != null);
        List<String> ids = List.of("#add-menu", "#delete-button", "#export-button", "#edit-button", "#toggle-button");
        Bounds before = onFx(() -> robot.lookup("#delete-button").query().localToScene(
                robot.lookup("#delete-button").query().getLayoutBounds()));
        service.server.close();
        waitUntil("disconnected", () -> !fx.main.tunnelsViewModel().connectedProperty().get());
        waitUntil("unknown badge", () -> "Unknown".equals(badge(robot, "wg6")));
        assertEquals("Unknown (the service is not connected)",
                robot.lookup("#detail-state").queryLabeled().getText());
        for (String id : ids) {
            Node n = robot.lookup(id).query();
            assertTrue(n.isVisible() && n.isManaged(), id + " stays");
            assertTrue(n.isDisabled(), id + " disabled while the service is away");
        }
        Bounds after = onFx(() -> robot.lookup("#delete-button").query().localToScene(
                robot.lookup("#delete-button").query().getLayoutBounds()));
        assertEquals(before, after, "the button row keeps its place");
        service.restartServer();
        waitUntil("known again", () -> "Stopped".equals(badge(robot, "wg6")));
        assertFalse(robot.lookup("#delete-button").query().isDisabled());
    }

    @Test
    void deletingAConnectedTunnelSaysItDisconnects(FxRobot robot) throws Exception {
        service.tunnels.create("wg7", TestTexts.conf(7));
        waitUntil("listed", () -> fx.main.tunnelsViewModel().find("wg7") != null);
        startAndWaitRunning(robot, "wg7");
        robot.clickOn("#delete-button");
        waitUntil("confirmation", () -> robot.lookup("#confirm-delete").tryQuery().isPresent());
        String content = robot.lookup(".dialog-pane .content").queryLabeled().getText();
        assertTrue(content.startsWith("\u201cwg7\u201d is connected: deleting it disconnects it first."), content);
        robot.clickOn("#confirm-delete");
        waitUntil("gone", () -> !service.store.exists("wg7"));
        TunnelItem gone = onFx(() -> fx.main.tunnelsViewModel().find("wg7"));
        waitUntil("not listed", () -> fx.main.tunnelsViewModel().find("wg7") == null, () -> String.valueOf(gone));
    }
}
