package io.wirefx.ui.dbus;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/** {@code org.kde.StatusNotifierWatcher} at {@code /StatusNotifierWatcher}: where items register with the host. */
@DBusInterfaceName("org.kde.StatusNotifierWatcher")
public interface StatusNotifierWatcher extends DBusInterface {
    String BUS_NAME = "org.kde.StatusNotifierWatcher";
    String PATH = "/StatusNotifierWatcher";

    /** Registers an item by its bus name (the item's object is then at /StatusNotifierItem). */
    void RegisterStatusNotifierItem(String service);

    void RegisterStatusNotifierHost(String service);
}
