package io.wirefx.ui.dbus;

import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;

/** The connection to the user's session bus ({@code DBUS_SESSION_BUS_ADDRESS}), if there is one. */
public final class SessionBus {
    private static final Logger LOG = Logger.getLogger(SessionBus.class.getName());

    private SessionBus() {
    }

    /** A private connection to the session bus, or empty where there is none (logged). */
    public static Optional<DBusConnection> open() {
        String address = System.getenv("DBUS_SESSION_BUS_ADDRESS");
        if (address == null || address.isBlank()) {
            LOG.info("no session bus (DBUS_SESSION_BUS_ADDRESS is not set)");
            return Optional.empty();
        }
        try {
            return Optional.of(connect(address));
        } catch (DBusException | RuntimeException e) {
            LOG.log(Level.INFO, "session bus " + address + " not reachable: " + e);
            return Optional.empty();
        }
    }

    /** A private connection to the bus at {@code address}. */
    public static DBusConnection connect(String address) throws DBusException {
        return DBusConnectionBuilder.forAddress(address).withShared(false).build();
    }

    /** Closes without waiting for anything. */
    public static void close(DBusConnection bus) {
        try {
            bus.close();
        } catch (java.io.IOException | RuntimeException e) {
            LOG.log(Level.FINE, "session bus close", e);
        }
    }
}
