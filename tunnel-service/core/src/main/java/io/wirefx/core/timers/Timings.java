package io.wirefx.core.timers;

import java.time.Duration;

/**
 * The protocol's time constants (reference §4.1), in nanoseconds. {@link #STANDARD} is what production uses; tests
 * may build a scaled copy with {@link #scaled(double)} to make rekeys happen in seconds.
 */
public record Timings(long rekeyAfterTime, long rejectAfterTime, long rekeyAttemptTime, long rekeyTimeout,
                      long keepaliveTimeout, long cookieRefreshTime, long maxJitter, long minInitiationInterval,
                      int maxTimerHandshakes) {

    public static final Timings STANDARD = new Timings(
            seconds(120), seconds(180), seconds(90), seconds(5), seconds(10), seconds(120),
            Duration.ofMillis(333).toNanos(), Duration.ofMillis(20).toNanos(), 18);

    /** Counter limits (reference §4.1), compared as unsigned 64-bit values. */
    public static final long REKEY_AFTER_MESSAGES = 1L << 60;
    public static final long REJECT_AFTER_MESSAGES = -1L - (1L << 13); // 2^64 - 2^13 - 1 as unsigned

    private static long seconds(long s) {
        return Duration.ofSeconds(s).toNanos();
    }

    /** REJECT − KEEPALIVE − REKEY_TIMEOUT: the initiator's receive-side rekey age (165 s). */
    public long rekeyOnReceiveAge() {
        return rejectAfterTime - keepaliveTimeout - rekeyTimeout;
    }

    /** Keys are zeroed after 3 × REJECT_AFTER_TIME without a new session (540 s). */
    public long zeroKeysAfter() {
        return 3 * rejectAfterTime;
    }

    /**
     * The shortest delay between an event and a protocol timer it arms: REKEY_TIMEOUT (retransmit) or
     * KEEPALIVE_TIMEOUT (a peer's persistent keepalive may be shorter). Whoever drives {@code tick} need not wake more
     * often than this while no timer is due sooner.
     */
    public long shortestTimer() {
        return Math.min(rekeyTimeout, keepaliveTimeout);
    }

    /** All durations multiplied by {@code factor} (test use: factor 0.05 makes a rekey every 6 s). */
    public Timings scaled(double factor) {
        return new Timings((long) (rekeyAfterTime * factor), (long) (rejectAfterTime * factor),
                (long) (rekeyAttemptTime * factor), (long) (rekeyTimeout * factor),
                (long) (keepaliveTimeout * factor), (long) (cookieRefreshTime * factor),
                (long) (maxJitter * factor), (long) (minInitiationInterval * factor), maxTimerHandshakes);
    }
}
