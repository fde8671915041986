package io.wirefx.daemon.log;

import io.wirefx.ipc.LogLevel;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sends what the engine and the drivers log ({@code System.Logger}, i.e. {@code java.util.logging} under the
 * {@code io.wirefx} name) to the service's {@link LogRing}, so that {@code wirefx log} and the UI show engine failures
 * in the same format as everything else (and through the ring's key mask). Records of level INFO and above are kept;
 * a thrown exception is summarised by its class and message, never a stack trace.
 */
public final class LibraryLogBridge extends Handler {
    /** Held here so that their levels and handlers outlive a garbage collection (the log manager keeps loggers weakly). */
    private static final Logger ROOT = Logger.getLogger("io.wirefx");
    private static final Logger DBUS = Logger.getLogger("org.freedesktop.dbus");

    private final LogRing ring;

    private LibraryLogBridge(LogRing ring) {
        this.ring = ring;
        setLevel(Level.INFO);
    }

    /**
     * Routes the {@code io.wirefx} loggers (INFO and above) and dbus-java's (through SLF4J's JUL binding; WARNING and
     * above: it reports every connection at INFO) into {@code ring}, and no longer to the JDK's console handler.
     *
     * @return undoes it
     */
    public static AutoCloseable install(LogRing ring) {
        AutoCloseable ours = route(ROOT, Level.INFO, ring);
        AutoCloseable dbus = route(DBUS, Level.WARNING, ring);
        return () -> {
            dbus.close();
            ours.close();
        };
    }

    private static AutoCloseable route(Logger logger, Level level, LogRing ring) {
        LibraryLogBridge bridge = new LibraryLogBridge(ring);
        Level before = logger.getLevel();
        boolean parents = logger.getUseParentHandlers();
        logger.setLevel(level);
        logger.setUseParentHandlers(false);
        logger.addHandler(bridge);
        return () -> {
            logger.removeHandler(bridge);
            logger.setUseParentHandlers(parents);
            logger.setLevel(before);
        };
    }

    @Override
    public void publish(LogRecord r) {
        if (!isLoggable(r)) {
            return;
        }
        String text = r.getMessage() == null ? "" : r.getMessage();
        Object[] params = r.getParameters();
        if (params != null && params.length > 0) {
            try {
                text = java.text.MessageFormat.format(text, params);
            } catch (IllegalArgumentException e) {
                // keep the pattern as it is
            }
        }
        Throwable t = r.getThrown();
        if (t != null) {
            text = text + ": " + t;
        }
        int v = r.getLevel().intValue();
        LogLevel level = v >= Level.SEVERE.intValue() ? LogLevel.ERROR
                : v >= Level.WARNING.intValue() ? LogLevel.WARN : LogLevel.INFO;
        ring.log(level, null, text);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
