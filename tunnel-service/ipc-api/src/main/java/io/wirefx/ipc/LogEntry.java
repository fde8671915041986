package io.wirefx.ipc;

import java.util.Objects;

/**
 * One service log line.
 *
 * @param seq         increasing sequence number (gaps mean lines the ring buffer has dropped)
 * @param epochMillis wall-clock time
 * @param tunnel      the tunnel the line is about, or null for the service itself
 */
public record LogEntry(long seq, long epochMillis, LogLevel level, String tunnel, String message) {
    public LogEntry {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(message, "message");
    }
}
