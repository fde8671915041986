package io.wirefx.daemon.log;

import io.wirefx.core.crypto.Key;
import io.wirefx.core.crypto.KeyPair;
import io.wirefx.ipc.LogEntry;
import io.wirefx.ipc.LogLevel;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogRingTest {
    private static final Clock FIXED = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

    @Test
    void keepsTheLastCapacityLinesWithIncreasingSequenceNumbers() {
        LogRing ring = new LogRing(5, FIXED);
        assertEquals(List.of(), ring.tail(3));
        assertEquals(0, ring.lastSeq());
        for (int i = 1; i <= 12; i++) {
            LogEntry e = ring.info(i % 2 == 0 ? "wg0" : null, "line " + i);
            assertEquals(i, e.seq());
            assertEquals(1_700_000_000_000L, e.epochMillis());
        }
        assertEquals(12, ring.lastSeq());
        assertEquals(List.of("line 10", "line 11", "line 12"), ring.tail(3).stream().map(LogEntry::message).toList());
        assertEquals(List.of(8L, 9L, 10L, 11L, 12L), ring.tail(100).stream().map(LogEntry::seq).toList());
        assertEquals(List.of(), ring.tail(0));
        assertEquals(List.of(), ring.tail(-4));
        assertEquals(List.of(11L, 12L), ring.since(10).stream().map(LogEntry::seq).toList());
        assertEquals(5, ring.since(0).size());
        assertEquals("wg0", ring.tail(1).getFirst().tunnel());
        assertEquals(LogLevel.INFO, ring.tail(1).getFirst().level());
    }

    @Test
    void masksKeysInEveryForm() {
        SecureRandom rng = new SecureRandom();
        LogRing ring = new LogRing(100, FIXED);
        for (int i = 0; i < 50; i++) {
            KeyPair kp = KeyPair.generate(rng);
            Key priv = kp.privateKey();
            for (String secret : List.of(priv.toBase64(), priv.toHex(), priv.toHex().toUpperCase(),
                    priv.toBase64().substring(0, 43))) {
                for (String line : List.of(secret, "PrivateKey = " + secret, "key(" + secret + ")",
                        "xx" + secret + "yy", "a/" + secret + "/b", "=" + secret + "==")) {
                    String stored = ring.warn("wg0", line).message();
                    assertFalse(stored.contains(secret.substring(0, 20)), stored);
                    assertFalse(stored.contains(secret.substring(secret.length() - 20)), stored);
                    assertTrue(stored.contains(LogRing.MASK), stored);
                }
            }
            // a key inside a longer Base64 blob (e.g. a pasted config in base64) is masked whole
            String blob = "AAAA" + priv.toBase64().replace("=", "") + "BBBB";
            assertFalse(ring.info(null, blob).message().contains(priv.toBase64().substring(4, 30)));
        }
    }

    @Test
    void leavesOrdinaryTextAlone() {
        LogRing ring = new LogRing(10, FIXED);
        for (String s : List.of("handshake with peer 203.0.113.7:51820 completed",
                "reading /etc/wirefx/tunnels/wg0.conf", "fd00:1234:5678:9abc::1/64 added",
                "sha=0123456789abcdef0123456789abcdef (32 hex digits)", "state STARTING -> RUNNING")) {
            assertEquals(s, ring.info("wg0", s).message());
        }
    }

    @Test
    void linesAreSingleLineAndBounded() {
        LogRing ring = new LogRing(10, FIXED);
        assertEquals("a b\tc d", ring.info(null, "a\nb\tc\rd").message());
        String big = "x ".repeat(10_000);
        LogEntry e = ring.info(null, big);
        assertEquals(LogRing.MAX_MESSAGE_CHARS, e.message().length());
        assertEquals("null", ring.info(null, null).message());
    }

    @Test
    void followersSeeEveryLineInOrderUntilClosed() throws Exception {
        LogRing ring = new LogRing(3, FIXED);
        List<Long> seen = new ArrayList<>();
        AutoCloseable sub = ring.follow(e -> seen.add(e.seq()));
        AutoCloseable broken = ring.follow(e -> {
            throw new IllegalStateException("boom");
        });
        for (int i = 0; i < 10; i++) {
            ring.info(null, "l" + i);
        }
        sub.close();
        broken.close();
        ring.info(null, "after");
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), seen);
    }

    @Test
    void concurrentLoggingKeepsSequenceNumbersUniqueAndOrdered() throws Exception {
        LogRing ring = new LogRing(20_000, Clock.systemUTC());
        List<Long> followed = new ArrayList<>();
        ring.follow(e -> followed.add(e.seq())); // runs under the ring's lock
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                int id = t;
                pool.submit(() -> {
                    Random r = new Random(id);
                    for (int i = 0; i < 2500; i++) {
                        ring.log(LogLevel.values()[r.nextInt(4)], "t" + id, "msg " + i);
                    }
                });
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        }
        List<LogEntry> all = ring.tail(20_000);
        assertEquals(10_000, all.size());
        Set<Long> seqs = new HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i + 1, all.get(i).seq());
            seqs.add(all.get(i).seq());
        }
        assertEquals(10_000, seqs.size());
        assertEquals(all.stream().map(LogEntry::seq).toList(), followed);
    }
}
