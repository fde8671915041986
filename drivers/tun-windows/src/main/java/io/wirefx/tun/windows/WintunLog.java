package io.wirefx.tun.windows;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;

import java.time.Instant;
import java.util.Objects;

/**
 * Routes Wintun's own log ({@code WintunSetLogger}) into a {@link Sink}, normally the service log. The native callback
 * is process-wide and may run on several driver threads at once; the sink must be thread-safe and quick. The callback
 * object is held in a static field while installed, since a collected JNA callback crashes the process.
 */
public final class WintunLog {

    /** Wintun's log levels ({@code WINTUN_LOGGER_LEVEL}). */
    public enum Level {
        INFO, WARN, ERR;

        static Level of(int value) {
            return switch (value) {
                case 0 -> INFO;
                case 1 -> WARN;
                default -> ERR;
            };
        }
    }

    /** Receives Wintun's log lines. */
    @FunctionalInterface
    public interface Sink {
        void log(Level level, Instant time, String message);
    }

    /** {@code VOID CALLBACK (WINTUN_LOGGER_LEVEL Level, DWORD64 Timestamp, LPCWSTR Message)}. */
    public interface Callback extends com.sun.jna.Callback {
        void invoke(int level, long timestamp, Pointer message);
    }

    /** 100 ns intervals between 1601-01-01 (FILETIME epoch) and 1970-01-01. */
    static final long FILETIME_UNIX_EPOCH = 116_444_736_000_000_000L;

    private static volatile Callback installed; // strong reference while native code may call it

    private WintunLog() {
    }

    /** Converts a {@code FILETIME} (100 ns ticks since 1601) to an instant. */
    public static Instant fromFileTime(long fileTime) {
        long since1970 = fileTime - FILETIME_UNIX_EPOCH;
        return Instant.ofEpochSecond(Math.floorDiv(since1970, 10_000_000L),
                Math.floorMod(since1970, 10_000_000L) * 100);
    }

    /** The native callback that decodes each line and hands it to {@code sink}; a throwing sink is ignored. */
    public static Callback callback(Sink sink) {
        Objects.requireNonNull(sink, "sink");
        return (level, timestamp, message) -> {
            try {
                sink.log(Level.of(level), fromFileTime(timestamp), Wide.read(message));
            } catch (RuntimeException ignored) {
                // never throw into the driver's thread
            }
        };
    }

    /**
     * A sink into {@link System.Logger} {@code io.wirefx.tun.windows.Wintun} (INFO, WARNING, ERROR), the logging path
     * the service routes into its log.
     */
    public static Sink toSystemLogger() {
        System.Logger logger = System.getLogger("io.wirefx.tun.windows.Wintun");
        return (level, time, message) -> logger.log(switch (level) {
            case INFO -> System.Logger.Level.INFO;
            case WARN -> System.Logger.Level.WARNING;
            case ERR -> System.Logger.Level.ERROR;
        }, message);
    }

    /** Installs {@code sink} as the process-wide Wintun logger (replacing any previous one). */
    public static synchronized void install(WintunApi api, Sink sink) {
        Callback cb = callback(sink);
        api.setLogger(cb);
        installed = cb;
    }

    /** Turns Wintun's logging off. */
    public static synchronized void uninstall(WintunApi api) {
        api.setLogger(null);
        installed = null;
    }
}
