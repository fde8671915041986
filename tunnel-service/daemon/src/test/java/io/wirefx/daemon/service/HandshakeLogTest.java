package io.wirefx.daemon.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wirefx.daemon.log.LogRing;
import io.wirefx.ipc.LogEntry;
import io.wirefx.ipc.PeerStats;
import io.wirefx.ipc.TunnelStats;

import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeLogTest {
    private static final String KEY_A = "A".repeat(43) + "=";
    private static final String KEY_B = "B".repeat(43) + "=";
    private final LogRing ring = new LogRing(100, Clock.systemUTC());
    private final HandshakeLog log = new HandshakeLog(ring);
    private static final long T0 = 1_700_000_000_000L;

    private List<String> lines() {
        return ring.tail(100).stream().map(e -> e.level() + " [" + e.tunnel() + "] " + e.message()).toList();
    }

    private void round(long atMillis, PeerStats... peers) {
        log.observe(List.of(new TunnelStats("home", List.of(peers))), atMillis);
    }

    @Test
    void firstHandshakeWaitingPeersAndAPeerThatStopsAnswering() {
        for (long s = 0; s <= 130; s++) {
            long now = T0 + s * 1000;
            round(now, new PeerStats(KEY_A, 0, 148 * (s / 5 + 1), 0),
                    new PeerStats(KEY_B, 92, 148, s >= 2 ? T0 + 1500 : 0));
        }
        assertEquals(List.of(
                "INFO [home] peer 2: handshake completed, 2.0 s after start",
                "WARN [home] peer 1: no handshake after 10 s: handshake initiations get no answer (retrying every "
                        + "5 seconds): check the peer's endpoint, its key and this tunnel's key in the peer's "
                        + "configuration",
                "WARN [home] peer 1: no handshake after 30 s: handshake initiations get no answer (retrying every "
                        + "5 seconds): check the peer's endpoint, its key and this tunnel's key in the peer's "
                        + "configuration",
                "WARN [home] peer 1: no handshake after 120 s: handshake initiations get no answer (retrying every "
                        + "5 seconds): check the peer's endpoint, its key and this tunnel's key in the peer's "
                        + "configuration"), lines());
    }

    @Test
    void silentPeerWithoutTrafficIsExplainedAndAStaleSessionIsReportedOnce() {
        round(T0, new PeerStats(KEY_A, 0, 0, 0));
        round(T0 + 10_000, new PeerStats(KEY_A, 0, 0, 0));
        round(T0 + 11_000, new PeerStats(KEY_A, 100, 200, T0 + 11_000));
        // Idle: an old handshake is normal while nothing is sent.
        round(T0 + 300_000, new PeerStats(KEY_A, 100, 200, T0 + 11_000));
        round(T0 + 301_000, new PeerStats(KEY_A, 100, 500, T0 + 11_000));
        round(T0 + 302_000, new PeerStats(KEY_A, 100, 800, T0 + 11_000));
        round(T0 + 303_000, new PeerStats(KEY_A, 300, 900, T0 + 303_000));
        assertEquals(List.of(
                "WARN [home] peer 1: no handshake after 10 s: nothing sent yet (a handshake starts with the first "
                        + "packet, or with PersistentKeepalive)",
                "INFO [home] peer 1: handshake completed, 11 s after start",
                "WARN [home] peer 1: no handshake for 290 s while sending to it: the peer stopped answering "
                        + "(retrying every 5 seconds)",
                "INFO [home] peer 1: handshake completed again"), lines());
        // Keys never reach the log.
        assertEquals(0, ring.tail(100).stream().map(LogEntry::message).filter(m -> m.contains("AAAA")).count());
    }
}
