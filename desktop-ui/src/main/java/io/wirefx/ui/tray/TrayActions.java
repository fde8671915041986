package io.wirefx.ui.tray;

/** What the tray menu asks of the application; called on the AWT event thread (implementations hop to FX). */
public interface TrayActions {
    void toggle(String tunnel);

    void showWindow();

    void importFiles();

    void quit();
}
