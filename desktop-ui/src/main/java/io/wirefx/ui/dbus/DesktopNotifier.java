package io.wirefx.ui.dbus;

import io.wirefx.ui.notify.Notice;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * Sends {@link Notice}s as desktop notifications ({@code org.freedesktop.Notifications.Notify}); a failure is
 * critical urgency, the rest normal. Where no notification server runs, notices are only logged.
 */
public final class DesktopNotifier implements Consumer<Notice> {
    private static final Logger LOG = Logger.getLogger(DesktopNotifier.class.getName());
    private final DBusConnection bus;
    private final String appName;

    public DesktopNotifier(DBusConnection bus, String appName) {
        this.bus = bus;
        this.appName = appName;
    }

    @Override
    public void accept(Notice n) {
        try {
            Notifications server = bus.getRemoteObject(Notifications.BUS_NAME, Notifications.PATH,
                    Notifications.class, false);
            byte urgency = (byte) (n.kind() == Notice.Kind.FAILED || n.kind() == Notice.Kind.NO_HANDSHAKE ? 2 : 1);
            server.Notify(appName, new UInt32(0), SniTray.iconNameFor(n.kind()), n.summary(), n.body(), List.of(),
                    Map.of("urgency", new Variant<>(urgency), "category", new Variant<>("network")), -1);
        } catch (DBusException | RuntimeException e) {
            LOG.log(Level.INFO, "notification not shown (" + e + "): " + n.summary() + " " + n.body());
        }
    }
}
