package io.wirefx.ui.fx;

import static io.wirefx.ui.fx.FxFixture.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wirefx.ui.TestTexts;
import io.wirefx.ui.WireFxApp;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * The application as launched: no service on the socket and no system tray (headless AWT here), so the window
 * stays with the no-tray notice and the "service not running" banner.
 */
class AppFxTest {
    private static Stage stage;
    private static javafx.application.Application app;

    @BeforeAll
    static void launch() throws Exception {
        Path dir = Files.createTempDirectory("wirefx-app");
        System.setProperty("wirefx.socket", dir.resolve("absent.sock").toString());
        stage = FxToolkit.registerPrimaryStage();
        app = FxToolkit.setupApplication(WireFxApp.class);
    }

    @AfterAll
    static void close() throws Exception {
        // Without a tray the app lets JavaFX exit with its last window; the other tests need the toolkit.
        javafx.application.Platform.setImplicitExit(false);
        FxFixture.onFx(() -> {
            app.stop(); // closes the service client
            return null;
        });
        FxToolkit.cleanupStages();
        System.clearProperty("wirefx.socket");
    }

    @Test
    void windowStaysWithNoticesWhenThereIsNoTrayAndNoService() {
        FxRobot robot = new FxRobot();
        waitUntil("shown", () -> stage.isShowing() && stage.getTitle() != null);
        assertTrue(stage.getTitle().contains("WireFX"));
        waitUntil("no-tray notice", () -> robot.lookup("#notice").tryQuery().isPresent());
        assertEquals(TestTexts.BUNDLE.getString("app.noTray"),
                robot.lookup("#notice").lookup(".label").queryAs(Label.class).getText());
        waitUntil("service banner", () -> robot.lookup("#connection-banner").query().isVisible()
                && "The WireFX service is not running".equals(
                robot.lookup("#connection-banner .banner-title").queryLabeled().getText()));
        assertTrue(robot.lookup("#connection-banner .banner-help").queryLabeled().getText()
                .contains(System.getProperty("wirefx.socket")), "names the socket it tried");
        assertTrue(stage.getIcons().size() > 0, "window icon");
    }

    @Test
    void showingTheWindowAgainSetsUpTheTrayOnlyOnce() {
        FxRobot robot = new FxRobot();
        waitUntil("no-tray notice", () -> robot.lookup("#notice").tryQuery().isPresent());
        for (int i = 0; i < 3; i++) {
            FxFixture.onFx(() -> {
                stage.hide();
                stage.show();
                return null;
            });
            org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        }
        // The tray set-up (here: finding there is none, and saying so) ran for the first frame only.
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, robot.lookup("#notice").queryAll().size(), "one tray set-up, one notice");
    }
}
