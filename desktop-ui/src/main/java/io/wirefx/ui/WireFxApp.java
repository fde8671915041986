package io.wirefx.ui;

import io.wirefx.ui.editor.EditorWindow;
import io.wirefx.ui.format.Formats;
import io.wirefx.ui.service.IpcServiceClient;
import io.wirefx.ui.tray.TrayActions;
import io.wirefx.ui.tray.TrayController;
import io.wirefx.ui.tray.TrayViewModel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.logging.Logger;
import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * The WireFX tray application: main window, tray icon (where the desktop has a tray) and the service connection.
 * Closing the window keeps the app in the tray; Quit (tray, or Ctrl+Q) ends it. Tunnels are the service's and
 * keep running either way.
 */
public final class WireFxApp extends Application {
    private static final Logger LOG = Logger.getLogger(WireFxApp.class.getName());

    private IpcServiceClient service;
    private MainWindow main;
    private Stage stage;
    private volatile TrayController tray;

    @Override
    public void start(Stage primary) {
        this.stage = primary;
        Main.trace("start");
        ResourceBundle bundle = ResourceBundle.getBundle("io.wirefx.ui.messages");
        Path socket = Main.socketPath();
        service = new IpcServiceClient(socket, "wirefx-ui " + Main.version(), Duration.ofSeconds(20));
        Executor ui = Platform::runLater;
        Executor io = Executors.newVirtualThreadPerTaskExecutor();
        UiContext ctx = new UiContext(service, ui, io, bundle, new Formats(bundle), System::currentTimeMillis,
                ZoneId.systemDefault(), new SecureRandom(), new FxFileDialogs(bundle));
        main = new MainWindow(ctx);
        Main.trace("views built");
        primary.setTitle(bundle.getString("app.title"));
        primary.setScene(main.scene());
        primary.getIcons().setAll(AppIcon.images());
        primary.setMinWidth(640);
        primary.setMinHeight(420);
        main.scene().getAccelerators().put(javafx.scene.input.KeyCombination.keyCombination("Shortcut+Q"),
                this::quit);
        main.scene().getAccelerators().put(javafx.scene.input.KeyCombination.keyCombination("Shortcut+W"),
                () -> closeWindow());
        primary.setOnCloseRequest(e -> {
            e.consume();
            closeWindow();
        });
        primary.setOnShown(e -> firstFrame());
        service.start();
        if (!Boolean.getBoolean("wirefx.ui.hidden")) {
            primary.show();
        } else {
            firstFrame();
        }
    }

    /** Logs the time from JVM start to the first rendered pulse, then brings up the tray off the FX thread. */
    private void firstFrame() {
        new AnimationTimer() {
            @Override
            public void handle(long now) {
                stop();
                long ms = Main.sinceLaunchMillis();
                System.err.println("wirefx-ui: first frame " + ms + " ms after launch");
                if (Boolean.getBoolean("wirefx.ui.exitAfterFirstFrame")) {
                    service.close();
                    Platform.exit();
                    System.exit(0);
                }
                Thread.ofPlatform().daemon().name("wirefx-ui-tray").start(WireFxApp.this::installTray);
            }
        }.start();
    }

    private void installTray() {
        ResourceBundle bundle = ResourceBundle.getBundle("io.wirefx.ui.messages");
        if (Boolean.getBoolean("wirefx.ui.noTray")) {
            Platform.runLater(() -> noTray(bundle, "disabled by wirefx.ui.noTray"));
            return;
        }
        Optional<TrayController> installed = TrayController.install(new TrayActions() {
            @Override
            public void toggle(String tunnel) {
                Platform.runLater(() -> trayVm.toggle(tunnel));
            }

            @Override
            public void showWindow() {
                Platform.runLater(WireFxApp.this::showWindow);
            }

            @Override
            public void importFiles() {
                Platform.runLater(() -> {
                    showWindow();
                    main.chooseAndImport();
                });
            }

            @Override
            public void quit() {
                Platform.runLater(WireFxApp.this::quit);
            }
        }, bundle);
        Platform.runLater(() -> {
            if (installed.isEmpty()) {
                noTray(bundle, TrayController.unavailabilityCause().orElse("the tray refused the icon"));
                return;
            }
            tray = installed.get();
            Platform.setImplicitExit(false);
            trayVm = new TrayViewModel(main.tunnelsViewModel(), bundle);
            tray.update(trayVm.snapshotProperty().get());
            trayVm.snapshotProperty().addListener((obs, o, n) -> tray.update(n));
        });
    }

    private TrayViewModel trayVm;

    private void noTray(ResourceBundle bundle, String cause) {
        LOG.info(() -> "no system tray: " + cause);
        Platform.setImplicitExit(true);
        main.showNotice(bundle.getString("app.noTray"));
    }

    private void showWindow() {
        stage.show();
        stage.setIconified(false);
        stage.toFront();
        stage.requestFocus();
    }

    private void closeWindow() {
        if (tray == null) {
            quit();
        } else {
            stage.hide();
        }
    }

    @Override
    public void stop() {
        if (main != null) {
            main.dispose();
        }
        if (service != null) {
            service.close();
        }
    }

    private void quit() {
        for (EditorWindow w : EditorWindow.openWindows()) {
            if (!w.requestClose()) {
                return;
            }
        }
        if (tray != null) {
            tray.remove();
        }
        main.dispose();
        service.close();
        Platform.exit();
        // AWT's event thread would keep the JVM alive after the tray was used.
        Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ignored) {
                // exiting anyway
            }
            System.exit(0);
        });
    }
}
