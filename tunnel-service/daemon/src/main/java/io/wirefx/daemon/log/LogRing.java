package io.wirefx.daemon.log;

import io.wirefx.ipc.LogEntry;
import io.wirefx.ipc.LogLevel;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The service's recent log: a bounded ring of lines with increasing sequence numbers, for {@code logTail} and
 * {@code logFollow}. Thread-safe.
 *
 * <p>Defence in depth against leaking keys (callers must not log them in the first place): before a line is stored,
 * anything that looks like a WireGuard key is replaced by {@value #MASK} — a run of 43 or more Base64 characters
 * (a 44-character key is 43 plus {@code =}), or of 64 or more hex digits. This also masks public keys and other long
 * Base64/hex tokens. Lines are made single-line (control characters become spaces) and cut to
 * {@value #MAX_MESSAGE_CHARS} characters after masking.
 */
public final class LogRing {
    /** Default number of lines kept. */
    public static final int DEFAULT_CAPACITY = 4096;
    /** Longest message kept, in characters. */
    public static final int MAX_MESSAGE_CHARS = 2048;
    /** What a masked key is replaced with. */
    public static final String MASK = "[redacted]";

    private static final Pattern KEY_LIKE = Pattern.compile("[A-Za-z0-9+/]{43,}={0,2}|[0-9A-Fa-f]{64,}");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\t]]");

    private final LogEntry[] ring;
    private final Clock clock;
    private final List<Consumer<LogEntry>> followers = new CopyOnWriteArrayList<>();
    private long nextSeq = 1;
    private int size;
    private int head; // index of the oldest entry

    /** A ring of {@link #DEFAULT_CAPACITY} lines on the system clock. */
    public LogRing() {
        this(DEFAULT_CAPACITY, Clock.systemUTC());
    }

    public LogRing(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity < 1");
        }
        ring = new LogEntry[capacity];
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public int capacity() {
        return ring.length;
    }

    /**
     * Masks, stores and hands a line to the followers (in sequence order, on the calling thread).
     *
     * @param tunnel the tunnel concerned, or null for the service
     * @return the stored entry
     */
    public LogEntry log(LogLevel level, String tunnel, String message) {
        Objects.requireNonNull(level, "level");
        String text = clean(String.valueOf(message));
        String source = tunnel == null ? null : clean(tunnel);
        synchronized (this) {
            LogEntry e = new LogEntry(nextSeq++, clock.millis(), level, source, text);
            ring[(head + size) % ring.length] = e;
            if (size < ring.length) {
                size++;
            } else {
                head = (head + 1) % ring.length;
            }
            for (Consumer<LogEntry> f : followers) {
                try {
                    f.accept(e);
                } catch (RuntimeException ignored) {
                    // one broken follower must not break logging
                }
            }
            return e;
        }
    }

    public LogEntry info(String tunnel, String message) {
        return log(LogLevel.INFO, tunnel, message);
    }

    public LogEntry warn(String tunnel, String message) {
        return log(LogLevel.WARN, tunnel, message);
    }

    public LogEntry error(String tunnel, String message) {
        return log(LogLevel.ERROR, tunnel, message);
    }

    /** The last {@code n} lines (fewer if fewer are kept), oldest first. */
    public synchronized List<LogEntry> tail(int n) {
        int count = Math.max(0, Math.min(n, size));
        List<LogEntry> out = new ArrayList<>(count);
        for (int i = size - count; i < size; i++) {
            out.add(ring[(head + i) % ring.length]);
        }
        return out;
    }

    /** The kept lines with a sequence number above {@code seq}, oldest first. */
    public synchronized List<LogEntry> since(long seq) {
        List<LogEntry> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            LogEntry e = ring[(head + i) % ring.length];
            if (e.seq() > seq) {
                out.add(e);
            }
        }
        return out;
    }

    /** Sequence number of the newest line, 0 if none yet. */
    public synchronized long lastSeq() {
        return nextSeq - 1;
    }

    /**
     * Calls {@code follower} with every new line until the returned handle is closed. Followers run on the logging
     * thread while the ring is locked (that keeps them in order): they must be quick and must not block.
     */
    public AutoCloseable follow(Consumer<LogEntry> follower) {
        Objects.requireNonNull(follower, "follower");
        followers.add(follower);
        return () -> followers.remove(follower);
    }

    /** Replaces key-like tokens by {@link #MASK}. */
    public static String redact(String text) {
        return KEY_LIKE.matcher(text).replaceAll(MASK);
    }

    private static String clean(String s) {
        String masked = redact(CONTROL.matcher(s).replaceAll(" "));
        return masked.length() <= MAX_MESSAGE_CHARS ? masked : masked.substring(0, MAX_MESSAGE_CHARS - 1) + "…";
    }
}
