package io.wirefx.ui;

import io.wirefx.ui.editor.EditorWindow;
import io.wirefx.ui.format.Formats;
import io.wirefx.ui.service.IpcServiceClient;
import io.wirefx.ui.tray.TrayActions;
import io.wirefx.ui.dbus.DesktopNotifier;
import io.wirefx.ui.dbus.SessionBus;
import io.wirefx.ui.dbus.SniTray;
import io.wirefx.ui.dbus.StatusNotifierWatcher;
import io.wirefx.ui.notify.TunnelNotifications;
import io.wirefx.ui.tray.TrayController;
import io.wirefx.ui.tray.TrayIconHost;
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
    private volatile TrayIconHost tray;
    private boolean firstFrameSeen;

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
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("wirefx-ui-shutdown").unstarted(
                this::onSignal));
        service.start();
        if (!Boolean.getBoolean("wirefx.ui.hidden")) {
            primary.show();
        } else {
            firstFrame();
        }
    }

    /**
     * After the first rendered pulse (only once: the window is shown again from the tray), brings up the tray off
     * the FX thread. With {@code --measure-startup} prints the time from launch to that pulse and exits.
     */
    private void firstFrame() {
        if (firstFrameSeen) {
            return;
        }
        firstFrameSeen = true;
        new AnimationTimer() {
            @Override
            public void handle(long now) {
                stop();
                long ms = Main.sinceLaunchMillis();
                Main.trace("first frame");
                if (Boolean.getBoolean("wirefx.ui.exitAfterFirstFrame")) {
                    System.err.println("wirefx-ui: first frame " + ms + " ms after launch");
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
        TrayActions actions = new TrayActions() {
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
        };
        // A StatusNotifierItem where the session has a watcher (GNOME with AppIndicator, KDE, XFCE, waybar…),
        // else AWT's XEmbed icon; the session bus also carries the desktop notifications.
        bus = SessionBus.open();
        Optional<TrayIconHost> installed = Optional.empty();
        String cause;
        if (bus.isPresent() && SniTray.watcherPresent(bus.get())) {
            try {
                SniTray sni = SniTray.install(bus.get(), actions, bundle);
                LOG.info(() -> "tray: StatusNotifierItem " + sni.busName() + " registered with "
                        + StatusNotifierWatcher.BUS_NAME);
                installed = Optional.of(sni);
            } catch (org.freedesktop.dbus.exceptions.DBusException | RuntimeException e) {
                LOG.info(() -> "tray: StatusNotifierItem refused (" + e + "), trying the AWT tray");
            }
            cause = "the StatusNotifierWatcher refused the item";
        } else {
            LOG.info(() -> "tray: no " + StatusNotifierWatcher.BUS_NAME + " on the session bus"
                    + (bus.isEmpty() ? " (no session bus)" : "") + "; using the AWT (XEmbed) tray");
            cause = "the tray refused the icon";
        }
        if (installed.isEmpty()) {
            installed = TrayController.install(actions, bundle).map(t -> (TrayIconHost) t);
            cause = TrayController.unavailabilityCause().orElse(cause);
        }
        Optional<TrayIconHost> result = installed;
        String why = cause;
        Platform.runLater(() -> {
            trayVm = new TrayViewModel(main.tunnelsViewModel(), bundle);
            bus.ifPresent(b -> startNotifications(b, bundle));
            if (result.isEmpty()) {
                noTray(bundle, why);
                return;
            }
            tray = result.get();
            Main.trace("tray installed");
            Platform.setImplicitExit(false);
            tray.update(trayVm.snapshotProperty().get());
            trayVm.snapshotProperty().addListener((obs, o, n) -> tray.update(n));
        });
    }

    /** Desktop notifications of tunnel events, checked for the no-handshake deadline every 5 seconds. */
    private void startNotifications(org.freedesktop.dbus.connections.impl.DBusConnection b, ResourceBundle bundle) {
        TunnelNotifications notes = new TunnelNotifications(main.tunnelsViewModel(), bundle,
                System::currentTimeMillis, () -> stage.isShowing() && stage.isFocused(), new DesktopNotifier(b, bundle.getString("app.name")));
        notificationTicker = new javafx.animation.Timeline(new javafx.animation.KeyFrame(
                javafx.util.Duration.seconds(5), e -> notes.tick()));
        notificationTicker.setCycleCount(javafx.animation.Animation.INDEFINITE);
        notificationTicker.play();
    }

    private javafx.animation.Timeline notificationTicker;
    private volatile Optional<org.freedesktop.dbus.connections.impl.DBusConnection> bus = Optional.empty();

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

    /**
     * SIGTERM/SIGINT (logout, {@code systemctl --user stop}): closes the service connection and ends the toolkits
     * now, and halts if they have not let go within {@link #EXIT_BUDGET_MS}: a session that is ending takes its
     * display with it, and GTK crashes when it loses the display in the middle of a shutdown.
     */
    private void onSignal() {
        Thread.ofPlatform().daemon().name("wirefx-ui-exit-budget").start(() -> {
            try {
                Thread.sleep(EXIT_BUDGET_MS);
            } catch (InterruptedException ignored) {
                return;
            }
            Runtime.getRuntime().halt(143);
        });
        if (service != null) {
            service.close();
        }
        bus.ifPresent(SessionBus::close);
        Platform.exit();
    }

    /** How long a signalled shutdown may take before the process halts. */
    private static final long EXIT_BUDGET_MS = 300;

    private void quit() {
        for (EditorWindow w : EditorWindow.openWindows()) {
            if (!w.requestClose()) {
                return;
            }
        }
        if (tray != null) {
            tray.remove();
        }
        bus.ifPresent(SessionBus::close);
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
