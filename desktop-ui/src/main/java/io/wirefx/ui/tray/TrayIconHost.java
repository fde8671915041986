package io.wirefx.ui.tray;

/** A shown tray icon, whichever way it is shown (StatusNotifierItem over D-Bus, or AWT's XEmbed icon). */
public interface TrayIconHost {
    /** Shows a new state; callable from any thread. */
    void update(TraySnapshot snapshot);

    /** Removes the icon (on quit). */
    void remove();
}
