package io.wirefx.core.device;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Token bucket per source IP for handshakes under load (reference §3): 20 per second, burst 5; entries idle for a
 * second are purged on {@link #purge}. Not thread-safe: the device serializes handshakes.
 */
final class RateLimiter {
    static final long PACKETS_PER_SECOND = 20;
    static final long BURST = 5;
    private static final long COST = 1_000_000_000L / PACKETS_PER_SECOND;
    private static final long MAX_TOKENS = COST * BURST;
    private static final long IDLE = 1_000_000_000L;

    private record Bucket(long tokens, long last) {
    }

    private final Map<InetAddress, Bucket> buckets = new HashMap<>();

    boolean allow(InetAddress source, long now) {
        Bucket b = buckets.get(source);
        if (b == null) {
            buckets.put(source, new Bucket(MAX_TOKENS - COST, now));
            return true;
        }
        long tokens = Math.min(MAX_TOKENS, b.tokens + Math.max(0, now - b.last));
        boolean ok = tokens >= COST;
        buckets.put(source, new Bucket(ok ? tokens - COST : tokens, now));
        return ok;
    }

    void purge(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            if (now - it.next().last > IDLE) {
                it.remove();
            }
        }
    }

    int size() {
        return buckets.size();
    }
}
