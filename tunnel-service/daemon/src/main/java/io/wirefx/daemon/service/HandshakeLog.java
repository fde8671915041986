package io.wirefx.daemon.service;

import io.wirefx.daemon.log.LogRing;
import io.wirefx.ipc.PeerStats;
import io.wirefx.ipc.TunnelStats;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Logs, per peer of each running tunnel, how its handshakes go, from the counters the service reads every stats
 * round: the first completed handshake (and how long it took), a peer that has not answered yet (after 10 s,
 * 30 s, 2 min, then every 10 min), and a peer whose last handshake is older than 3 minutes while the tunnel carries
 * traffic to it (WireGuard renews a session every 2 minutes when there is traffic, so it stopped answering).
 * Peers are named by their number in the configuration ("peer 1"), never by key. Called from one thread.
 */
final class HandshakeLog {
    /** Seconds without a first handshake at which a line is logged; after the last, every {@link #REPEAT_S}. */
    private static final long[] WAITING_S = {10, 30, 120};
    private static final long REPEAT_S = 600;
    /** WireGuard's REJECT_AFTER_TIME: a session this old is dead, a newer one should have replaced it. */
    private static final long STALE_MS = 180_000;

    private final LogRing log;
    private final Map<String, PeerWatch> peers = new HashMap<>(); // tunnel + "\0" + key

    HandshakeLog(LogRing log) {
        this.log = log;
    }

    private static final class PeerWatch {
        final long since;
        long lastHandshake;
        long lastTx;
        int waitingLogged;
        long nextRepeat;
        boolean staleLogged;

        PeerWatch(long since) {
            this.since = since;
        }
    }

    /** One stats round of all running tunnels, read at {@code nowMillis} (epoch ms). */
    void observe(List<TunnelStats> running, long nowMillis) {
        Set<String> seen = new HashSet<>();
        for (TunnelStats t : running) {
            int index = 0;
            for (PeerStats p : t.peers()) {
                index++;
                String id = t.name() + "\0" + p.publicKey();
                seen.add(id);
                PeerWatch w = peers.computeIfAbsent(id, k -> new PeerWatch(nowMillis));
                observe(t.name(), "peer " + index, w, p, nowMillis);
            }
        }
        peers.keySet().retainAll(seen); // stopped tunnels start over when they run again
    }

    private void observe(String tunnel, String peer, PeerWatch w, PeerStats p, long now) {
        long hs = p.lastHandshakeEpochMillis();
        if (hs != 0 && hs != w.lastHandshake) {
            if (w.lastHandshake == 0) {
                log.info(tunnel, peer + ": handshake completed, " + seconds(now - w.since) + " after start");
            } else if (w.staleLogged) {
                log.info(tunnel, peer + ": handshake completed again");
            }
            w.lastHandshake = hs;
            w.staleLogged = false;
        }
        if (w.lastHandshake == 0) {
            long waited = (now - w.since) / 1000;
            if (w.waitingLogged < WAITING_S.length && waited >= WAITING_S[w.waitingLogged]) {
                w.waitingLogged++;
                waiting(tunnel, peer, p, waited);
                w.nextRepeat = waited + REPEAT_S;
            } else if (w.waitingLogged == WAITING_S.length && waited >= w.nextRepeat) {
                waiting(tunnel, peer, p, waited);
                w.nextRepeat = waited + REPEAT_S;
            }
        } else if (!w.staleLogged && now - w.lastHandshake > STALE_MS && p.txBytes() > w.lastTx) {
            w.staleLogged = true;
            log.warn(tunnel, peer + ": no handshake for " + seconds(now - w.lastHandshake)
                    + " while sending to it: the peer stopped answering (retrying every 5 seconds)");
        }
        w.lastTx = p.txBytes();
    }

    private void waiting(String tunnel, String peer, PeerStats p, long waitedSeconds) {
        String why = p.txBytes() == 0
                ? "nothing sent yet (a handshake starts with the first packet, or with PersistentKeepalive)"
                : "handshake initiations get no answer (retrying every 5 seconds): check the peer's endpoint, "
                        + "its key and this tunnel's key in the peer's configuration";
        log.warn(tunnel, peer + ": no handshake after " + waitedSeconds + " s: " + why);
    }

    private static String seconds(long millis) {
        return millis < 10_000 ? String.format("%.1f s", millis / 1000.0) : (millis / 1000) + " s";
    }
}
