package io.wirefx.ui.xvfb;

import static io.wirefx.ui.fx.FxFixture.onFx;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wirefx.ipc.TunnelState;
import io.wirefx.ui.RealService;
import io.wirefx.ui.TestTexts;
import io.wirefx.ui.editor.EditorWindow;
import io.wirefx.ui.fx.FxFixture;
import io.wirefx.ui.theme.Theme;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.application.ColorScheme;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Renders the real windows (GTK glass on Xvfb) against the real service and writes the screenshots of
 * {@code docs/screenshots/}: main window with a running tunnel and live counters (light and dark), editor with an
 * error.
 */
@Tag("xvfb")
@ExtendWith(XvfbExtension.class)
class ScreenshotsXvfbTest {
    private static RealService service;
    private static Path out;

    @BeforeAll
    static void startFx() throws Exception {
        Assumptions.assumeTrue(gtkInstalled(), "JavaFX needs GTK 3 on X (apt-get install libgtk-3-0)");
        out = Path.of(System.getProperty("wirefx.ui.screenshotDir", "target/screenshots"));
        Files.createDirectories(out);
        CountDownLatch started = new CountDownLatch(1);
        try {
            Platform.startup(started::countDown);
        } catch (IllegalStateException alreadyRunning) {
            started.countDown();
        }
        assertTrue(started.await(20, TimeUnit.SECONDS));
        Platform.setImplicitExit(false);
        Path dir = Files.createTempDirectory("wirefx-shots");
        // Handshakes 12 s in the past, so the pane shows a real "12 seconds ago".
        service = new RealService(dir, Duration.ofMillis(100), null,
                Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-12)));
        service.tunnels.create("home", TestTexts.conf(11));
        service.tunnels.create("office", TestTexts.conf(12).replace("Endpoint = 192.0.2.1:51820",
                "Endpoint = vpn.example.com:51820"));
        service.tunnels.create("travel", TestTexts.conf(13));
        service.tunnels.failNextStart("travel", "cannot create interface travel: operation not permitted");
        service.tunnels.start("travel");
        service.tunnels.start("home");
        waitFor(() -> service.tunnels.state("home") == TunnelState.RUNNING
                && service.tunnels.state("travel") == TunnelState.FAILED);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    private static boolean gtkInstalled() {
        for (String dir : new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64",
                "/usr/lib"}) {
            if (Files.exists(Path.of(dir, "libgtk-3.so.0"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void mainWindowEditorAndDarkTheme() throws Exception {
        FxFixture fx = new FxFixture(service.client);
        Stage stage = onFx(() -> {
            Theme.force(ColorScheme.LIGHT);
            Stage s = new Stage();
            fx.show(s, 980, 660);
            return s;
        });
        service.client.start();
        FxFixture.waitUntil("home running and selected", () -> {
            var vm = fx.main.tunnelsViewModel();
            var home = vm.find("home");
            if (home != null && vm.selectedProperty().get() != home) {
                vm.selectedProperty().set(home);
            }
            return home != null && home.state() == TunnelState.RUNNING
                    && vm.detail().peers().size() == 1;
        });
        for (int i = 0; i < 900; i++) {
            service.tunnels.publishStats(); // ~1.3 MiB received
        }
        FxFixture.waitUntil("live counters", () -> fx.main.tunnelsViewModel().detail().peers().getFirst()
                .receivedProperty().get().endsWith("MiB"));
        Thread.sleep(300);
        save(stage.getScene(), "main-window.png");

        onFx(() -> {
            Theme.force(ColorScheme.DARK);
            return null;
        });
        Thread.sleep(300);
        save(stage.getScene(), "main-window-dark.png");
        onFx(() -> {
            Theme.force(ColorScheme.LIGHT);
            return null;
        });

        // The settings of the full tunnel "office": the kill switch on, LAN allowed.
        onFx(() -> {
            var vm = fx.main.tunnelsViewModel();
            vm.selectedProperty().set(vm.find("office"));
            return null;
        });
        javafx.scene.Node settings = stage.getScene().lookup("#settings-section");
        FxFixture.waitUntil("office's settings shown", () -> settings.isVisible()
                && !((javafx.scene.control.CheckBox) stage.getScene().lookup("#settings-block")).isDisabled());
        onFx(() -> {
            ((javafx.scene.control.CheckBox) stage.getScene().lookup("#settings-block")).setSelected(true);
            ((javafx.scene.control.CheckBox) stage.getScene().lookup("#settings-allow-lan")).setSelected(true);
            return null;
        });
        Thread.sleep(300);
        saveNode(settings, "tunnel-settings.png");

        String text = service.store.read("office");
        EditorWindow editor = onFx(() -> EditorWindow.openExisting(fx.ctx, stage, fx.main.tunnelsViewModel(),
                "office", text));
        onFx(() -> {
            editor.stage().setWidth(760);
            editor.stage().setHeight(560);
            editor.viewModel().textProperty().set(text.replace("AllowedIPs = 0.0.0.0/0, ::/0",
                    "AllowedIPs = 10.0.0.300/24, ::/0"));
            return null;
        });
        Thread.sleep(400);
        save(editor.stage().getScene(), "editor-error.png");
        onFx(() -> {
            editor.stage().hide();
            stage.hide();
            return null;
        });
    }

    private static void saveNode(javafx.scene.Node node, String name) throws Exception {
        write(onFx(() -> node.snapshot(null, null)), name);
    }

    private static void save(Scene scene, String name) throws Exception {
        write(onFx(() -> scene.snapshot(null)), name);
    }

    private static void write(WritableImage img, String name) throws Exception {
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        BufferedImage buf = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        PixelReader r = img.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                buf.setRGB(x, y, r.getArgb(x, y));
            }
        }
        Path file = out.resolve(name);
        assertTrue(ImageIO.write(buf, "png", file.toFile()));
        System.out.println("screenshot: " + file.toAbsolutePath().normalize() + " (" + Files.size(file) + " bytes)");
    }

    private static void waitFor(BooleanSupplier ok) throws InterruptedException {
        long end = System.nanoTime() + 15_000_000_000L;
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(20);
        }
    }
}
