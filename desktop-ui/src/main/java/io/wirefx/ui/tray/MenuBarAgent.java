package io.wirefx.ui.tray;

import java.util.Locale;
import java.util.Properties;

/**
 * On macOS the app lives in the menu bar: with {@code apple.awt.UIElement=true} AWT starts the process as an agent
 * (no Dock icon, no application menu), and the tray icon ({@link TrayController}; AWT's {@code SystemTray} is the
 * menu bar's status item there) is how the user reaches it. The property is read when the toolkit starts, so this
 * runs first thing in {@code main}. Elsewhere, or without a tray, nothing changes.
 */
public final class MenuBarAgent {

    /** The AWT property that makes a macOS process a UI element (LSUIElement) without a Dock icon. */
    public static final String UI_ELEMENT = "apple.awt.UIElement";

    private MenuBarAgent() {
    }

    /** Sets up the JVM's system properties; call before JavaFX or AWT start. */
    public static void configure(boolean trayWanted) {
        configure(System.getProperty("os.name", ""), trayWanted, System.getProperties());
    }

    /** Whether {@code osName} is macOS and the app runs with a tray: then {@link #UI_ELEMENT} is set in {@code props}. */
    static boolean configure(String osName, boolean trayWanted, Properties props) {
        boolean mac = osName.toLowerCase(Locale.ROOT).startsWith("mac");
        if (!mac || !trayWanted || props.containsKey(UI_ELEMENT)) { // an explicit -D wins
            return false;
        }
        props.setProperty(UI_ELEMENT, "true");
        return true;
    }
}
