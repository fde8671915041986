package io.wirefx.ui.fx;

import static io.wirefx.ui.fx.FxFixture.onFx;
import static io.wirefx.ui.fx.FxFixture.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wirefx.ui.RealService;
import io.wirefx.ui.TestTexts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Dropping files on the main window imports them: the platform's drop events (with a dragboard holding the files)
 * are delivered to the tunnel list, and the window's own drag-over and drop handlers do the rest.
 */
@ExtendWith(ApplicationExtension.class)
class DropImportFxTest {
    private RealService service;
    private FxFixture fx;

    @Start
    void start(Stage stage) throws Exception {
        Path d = Files.createTempDirectory("wirefx-drop");
        service = new RealService(d, Duration.ofMillis(50), null);
        fx = new FxFixture(service.client);
        fx.show(stage, 900, 600);
        service.client.start();
    }

    @AfterEach
    void tearDown() {
        service.close();
    }

    @Test
    void droppedConfAndZipAreImported(FxRobot robot) throws Exception {
        waitUntil("connected", () -> fx.main.tunnelsViewModel().connectedProperty().get());
        Path conf = Files.writeString(service.dir.resolve("dropped.conf"), TestTexts.conf(7));
        Path zip = service.dir.resolve("more.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("zipped.conf"));
            out.write(TestTexts.conf(8).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        javafx.scene.Node list = robot.lookup("#tunnel-list").query();
        assertTrue(onFx(() -> Drops.dropFiles(list, List.of(conf.toFile(), zip.toFile()))),
                "the window accepts and completes the drop");
        waitUntil("both listed", () -> fx.main.tunnelsViewModel().tunnels().size() == 2);
        assertEquals("\u2714 dropped.conf: Imported as \u201cdropped\u201d",
                robot.lookup("#import-result-0").queryLabeled().getText());
        assertEquals("\u2714 zipped.conf: Imported as \u201czipped\u201d",
                robot.lookup("#import-result-1").queryLabeled().getText());
        assertTrue(service.store.exists("dropped") && service.store.exists("zipped"));
    }
}
