package io.wirefx.ui.dbus;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;

/**
 * {@code org.kde.StatusNotifierItem}: the tray icon as a D-Bus object that the desktop's tray host shows (GNOME with
 * the AppIndicator extension, KDE, XFCE, waybar…). Its properties are served through
 * {@code org.freedesktop.DBus.Properties}.
 */
@DBusInterfaceName("org.kde.StatusNotifierItem")
public interface StatusNotifierItem extends DBusInterface {
    /** Primary click: open the window. */
    void Activate(int x, int y);

    /** Middle click. */
    void SecondaryActivate(int x, int y);

    /** Only called by hosts that draw no menu of their own; the dbusmenu is the menu. */
    void ContextMenu(int x, int y);

    void Scroll(int delta, String orientation);

    /** The icon changed (IconName, IconPixmap). */
    class NewIcon extends DBusSignal {
        public NewIcon(String path) throws DBusException {
            super(path);
        }
    }

    /** The tooltip changed. */
    class NewToolTip extends DBusSignal {
        public NewToolTip(String path) throws DBusException {
            super(path);
        }
    }

    /** The status changed (Active, Passive, NeedsAttention). */
    class NewStatus extends DBusSignal {
        public final String status;

        public NewStatus(String path, String status) throws DBusException {
            super(path, status);
            this.status = status;
        }
    }
}
