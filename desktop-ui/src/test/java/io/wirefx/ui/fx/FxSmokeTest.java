package io.wirefx.ui.fx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wirefx.ui.FakeService;
import io.wirefx.ui.FileDialogs;
import io.wirefx.ui.MainWindow;
import io.wirefx.ui.TestTexts;
import io.wirefx.ui.UiContext;
import io.wirefx.ui.format.Formats;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class FxSmokeTest {
    private final FakeService service = new FakeService();

    @Start
    void start(Stage stage) {
        service.texts.put("home", TestTexts.conf(1));
        UiContext ctx = new UiContext(service, Platform::runLater, Executors.newVirtualThreadPerTaskExecutor(),
                TestTexts.BUNDLE, new Formats(TestTexts.BUNDLE), System::currentTimeMillis, ZoneOffset.UTC,
                new Random(1), new FileDialogs() {
                    @Override
                    public List<Path> chooseImportFiles(Window owner) {
                        return List.of();
                    }

                    @Override
                    public Optional<Path> chooseExportFile(Window owner, String suggestedName) {
                        return Optional.empty();
                    }

                    @Override
                    public Optional<Path> chooseLogFile(Window owner, String suggestedName) {
                        return Optional.empty();
                    }
                });
        MainWindow main = new MainWindow(ctx);
        stage.setScene(main.scene());
        stage.setTitle("WireFX");
        stage.show();
    }

    @Test
    void showsTheTunnelAndTogglesIt(FxRobot robot) {
        WaitForAsyncUtils.waitForFxEvents();
        Label heading = robot.lookup("#detail-heading").queryAs(Label.class);
        assertEquals("Interface: home", heading.getText());
        robot.clickOn("#toggle-button");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Running", robot.lookup("#detail-state").queryAs(Label.class).getText());
        assertTrue(service.calls.contains("start home"));
    }
}
