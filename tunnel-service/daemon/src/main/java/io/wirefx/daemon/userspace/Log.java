package io.wirefx.daemon.userspace;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * The daemon's log, in the style of wireguard-go: {@code DEBUG: (wg0) 2025/01/31 12:00:00 message} and
 * {@code ERROR: (wg0) ...} lines on stderr, filtered by {@code LOG_LEVEL} ({@code verbose}/{@code debug},
 * {@code error} (default), {@code silent}). Callers never pass key material. Thread-safe.
 */
public final class Log {

    /** How much is written. */
    public enum Level {
        SILENT, ERROR, VERBOSE;

        /** Parses {@code LOG_LEVEL} as wireguard-go does: unknown or missing values mean {@link #ERROR}. */
        public static Level fromEnvironment(String value) {
            if (value == null) {
                return ERROR;
            }
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "verbose", "debug" -> VERBOSE;
                case "silent" -> SILENT;
                default -> ERROR;
            };
        }
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");
    private static final PrintStream DISCARD = new PrintStream(OutputStream.nullOutputStream());

    private final Level level;
    private final String prefix;
    private volatile PrintStream out;

    public Log(Level level, String interfaceName, PrintStream out) {
        this.level = Objects.requireNonNull(level, "level");
        this.prefix = "(" + interfaceName + ") ";
        this.out = Objects.requireNonNull(out, "out");
    }

    public Level level() {
        return level;
    }

    public boolean verbose() {
        return level == Level.VERBOSE;
    }

    public void debug(String message) {
        if (level == Level.VERBOSE) {
            write("DEBUG: ", message);
        }
    }

    public void error(String message) {
        if (level != Level.SILENT) {
            write("ERROR: ", message);
        }
    }

    /** From now on nothing is written (a detached daemon whose stderr was only meant for start-up errors). */
    public void discard() {
        out = DISCARD;
    }

    private void write(String tag, String message) {
        String line = tag + prefix + LocalDateTime.now().format(TIME) + " " + message;
        PrintStream o = out;
        synchronized (o) {
            o.println(line);
            o.flush();
        }
    }
}
