package io.wirefx.ui;

import java.nio.file.Path;
import io.wirefx.ipc.IpcTransports;
import io.wirefx.ui.tray.MenuBarAgent;
import javafx.application.Application;

/**
 * Entry point ({@code bin/wirefx-ui}). A class that does not extend Application, so the app also starts with
 * JavaFX on the class path. The service's address is {@code $WIREFX_SOCKET}, else {@code /run/wirefx/wirefx.sock}
 * (on Windows the service's named pipe, see {@link #socketPath()}).
 */
public final class Main {
    private Main() {
    }

    /** dbus-java reports every connection at INFO; only its warnings belong in the app's output. */
    private static final java.util.logging.Logger DBUS_LOG = java.util.logging.Logger.getLogger("org.freedesktop.dbus");

    public static void main(String[] args) {
        trace("main");
        DBUS_LOG.setLevel(java.util.logging.Level.WARNING);
        for (String a : args) {
            switch (a) {
                case "--measure-startup" -> System.setProperty("wirefx.ui.exitAfterFirstFrame", "true");
                case "--no-tray" -> System.setProperty("wirefx.ui.noTray", "true");
                case "--dark" -> System.setProperty("wirefx.theme", "dark");
                case "--light" -> System.setProperty("wirefx.theme", "light");
                case "-h", "--help" -> {
                    System.out.println("""
                            Usage: wirefx-ui [--no-tray] [--dark|--light] [--measure-startup]
                              Environment: WIREFX_SOCKET  service socket (default /run/wirefx/wirefx.sock)""");
                    return;
                }
                default -> {
                    System.err.println("wirefx-ui: unknown option " + a);
                    System.exit(2);
                }
            }
        }
        // AWT (tray) and JavaFX share the process: AWT must not be headless.
        System.setProperty("java.awt.headless", "false");
        MenuBarAgent.configure(!Boolean.getBoolean("wirefx.ui.noTray")); // macOS: menu bar only, no Dock icon
        Application.launch(WireFxApp.class, args);
    }

    /** With {@code -Dwirefx.ui.trace=true}: prints how long after process start a phase was reached. */
    static void trace(String phase) {
        if (Boolean.getBoolean("wirefx.ui.trace")) {
            System.err.println("wirefx-ui: " + phase + " at " + sinceLaunchMillis() + " ms");
        }
    }

    /**
     * Milliseconds since {@code bin/wirefx-ui} started ({@code WIREFX_UI_LAUNCH_MS}, which it sets), else since the
     * JVM started.
     */
    static long sinceLaunchMillis() {
        long now = System.currentTimeMillis();
        String launch = System.getenv("WIREFX_UI_LAUNCH_MS");
        if (launch != null) {
            try {
                return now - Long.parseLong(launch.strip());
            } catch (NumberFormatException ignored) {
                // fall through
            }
        }
        return now - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
    }

    /**
     * The service's address: {@code WIREFX_SOCKET}, else the property {@code wirefx.socket}, else the installed
     * transports' default ({@code /run/wirefx/wirefx.sock}; on Windows the service's named pipe).
     */
    public static Path socketPath() {
        String env = System.getenv("WIREFX_SOCKET");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("wirefx.socket", IpcTransports.defaultAddress()));
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
