package io.wirefx.engine;

import io.wirefx.core.config.InetEndpoint;
import io.wirefx.core.crypto.Key;
import io.wirefx.core.device.Peer;
import io.wirefx.core.timers.Timings;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Re-resolves the host names of peers' endpoints when the peer has gone silent, as wireguard-tools'
 * {@code contrib/reresolve-dns} does for the kernel: a peer whose configured endpoint is a host name, and that has
 * shown no sign of life for {@link #staleAfter()} (135 s with standard timings: REKEY_AFTER_TIME + 3 × REKEY_TIMEOUT),
 * has its name resolved again, at most once per {@link #retryPeriod()} (30 s) while it stays silent; if the answer
 * differs from the peer's current endpoint, it becomes the endpoint, and the next handshake attempt goes there.
 *
 * <p>A sign of life is any of: a completed handshake, an authenticated packet from the peer (its received byte count
 * grew: initiations, responses and transport data), or the name having just been configured or resolved. So a peer
 * that never completed a handshake is re-resolved 135 s after configuration, and every 30 s after that.
 *
 * <p><b>Roaming against DNS.</b> An authenticated packet is proof of where the peer is, and it is newer than any DNS
 * answer we hold, so while the peer has been heard within {@link #staleAfter()} its current endpoint stays, whether it
 * came from DNS or from roaming. Once it has been silent that long (with a handshake being due every 120 s, that
 * means the roamed address has stopped working, or the tunnel is idle), the DNS answer wins: sending to the name's
 * current address is the best remaining guess, and a peer that is in fact elsewhere roams us back with its next
 * authenticated packet. An endpoint set by hand over UAPI is treated like a roamed one.
 *
 * <p><b>The JVM's name cache.</b> Lookups go through {@link InetAddress#getByName}, which caches positive answers
 * for {@code networkaddress.cache.ttl} (30 s by default when no security manager is installed). The re-resolution
 * interval (≥ 135 s, then 30 s) is not shorter than that, so with the defaults a re-resolution never sees an answer
 * older than 30 s; the engine does not change the JVM-wide setting. A service that sets a longer TTL delays
 * re-resolution by that much.
 *
 * <p>Everything runs on one daemon thread of its own (lookups can block for seconds): packet and timer threads never
 * wait for DNS. A failed lookup keeps the current endpoint and is logged.
 */
final class EndpointReresolver {
    private static final System.Logger LOG = System.getLogger(EndpointReresolver.class.getName());

    private final WireGuardEngine engine;
    private final long staleAfter;
    private final long retryPeriod;
    private final Map<Key, Watch> watched = new HashMap<>(); // guarded by this
    private Thread thread;                                   // guarded by this
    private boolean closed;                                  // guarded by this

    /** What is known about one peer whose endpoint is a host name; times are {@link System#nanoTime()}. */
    private static final class Watch {
        final InetEndpoint name;
        long lastSign;
        long lastRx = -1;
        long lastLookup = Long.MIN_VALUE;

        Watch(InetEndpoint name, long now) {
            this.name = name;
            this.lastSign = now;
        }
    }

    EndpointReresolver(WireGuardEngine engine, Timings timings) {
        this.engine = engine;
        this.staleAfter = timings.rekeyAfterTime() + 3 * timings.rekeyTimeout();
        this.retryPeriod = staleAfter * 2 / 9;
    }

    /** Silence after which a name is resolved again: 135 s with standard timings. */
    Duration staleAfter() {
        return Duration.ofNanos(staleAfter);
    }

    /** Interval between lookups of a name while its peer stays silent: 30 s with standard timings. */
    Duration retryPeriod() {
        return Duration.ofNanos(retryPeriod);
    }

    /** The endpoint's address: the literal, or the name resolved now (blocking). */
    static InetSocketAddress resolve(InetEndpoint ep) throws IOException {
        Optional<InetAddress> literal = ep.literalAddress();
        InetAddress addr = literal.isPresent() ? literal.get() : InetAddress.getByName(ep.host());
        return new InetSocketAddress(addr, ep.port());
    }

    /**
     * Replaces the set of watched peers with those of {@code endpoints} whose endpoint is a host name (just
     * configured, so their silence counts from now); a peer whose name did not change keeps its state. Starts the
     * thread on the first name.
     */
    synchronized void watch(Map<Key, InetEndpoint> endpoints) {
        long now = System.nanoTime();
        Map<Key, Watch> next = new HashMap<>();
        endpoints.forEach((k, ep) -> {
            if (ep.literalAddress().isEmpty()) {
                Watch old = watched.get(k);
                Watch w = old != null && old.name.equals(ep) ? old : new Watch(ep, now);
                w.lastSign = now;
                next.put(k, w);
            }
        });
        watched.clear();
        watched.putAll(next);
        if (!watched.isEmpty() && thread == null && !closed) {
            thread = Thread.ofPlatform().daemon().name(threadName()).start(this::loop);
        }
    }

    private String threadName() {
        return "wirefx-reresolve-" + Integer.toHexString(System.identityHashCode(engine));
    }

    synchronized void close() {
        closed = true;
        watched.clear();
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void loop() {
        long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(100), retryPeriod / 3);
        while (true) {
            synchronized (this) {
                if (closed) {
                    return;
                }
            }
            try {
                Thread.sleep(Duration.ofNanos(tick));
                checkOnce(System.nanoTime());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "endpoint re-resolution failed", e);
            }
        }
    }

    /** One round: updates the signs of life, and resolves the names of peers silent for too long (blocking). */
    void checkOnce(long now) {
        Map<Key, Watch> due = new HashMap<>();
        synchronized (this) {
            long wallNow = WireGuardEngine.wallClockNanos();
            for (Map.Entry<Key, Watch> e : watched.entrySet()) {
                Optional<Peer> p = engine.peer(e.getKey());
                if (p.isEmpty()) {
                    continue;
                }
                Watch w = e.getValue();
                long rx = p.get().rxBytes();
                if (rx != w.lastRx) {
                    if (w.lastRx >= 0) {
                        w.lastSign = Math.max(w.lastSign, now);
                    }
                    w.lastRx = rx;
                }
                long hs = p.get().lastHandshakeEpochNanos();
                if (hs != 0) {
                    w.lastSign = Math.max(w.lastSign, now - Math.max(0, wallNow - hs));
                }
                if (now - w.lastSign >= staleAfter && (w.lastLookup == Long.MIN_VALUE
                        || now - w.lastLookup >= retryPeriod)) {
                    w.lastLookup = now;
                    due.put(e.getKey(), w);
                }
            }
        }
        due.forEach((key, w) -> reresolve(key, w.name));
    }

    private void reresolve(Key key, InetEndpoint name) {
        InetSocketAddress fresh;
        try {
            fresh = resolve(name);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot resolve endpoint {0} again: {1}", name, e.toString());
            return;
        }
        synchronized (this) {
            Watch w = watched.get(key);
            if (closed || w == null || !w.name.equals(name)) {
                return; // reconfigured meanwhile
            }
            Optional<Peer> p = engine.peer(key);
            if (p.isEmpty() || fresh.equals(p.get().endpoint()) || p.get().rxBytes() != w.lastRx) {
                return; // nothing to change, or the peer was heard during the lookup
            }
            LOG.log(System.Logger.Level.INFO, "endpoint {0}: no sign of life from the peer for {1} s, now {2}"
                    + " (was {3})", name, Duration.ofNanos(now() - w.lastSign).toSeconds(), fresh,
                    p.get().endpoint());
            engine.setEndpoint(key, fresh);
        }
    }

    private static long now() {
        return System.nanoTime();
    }
}
