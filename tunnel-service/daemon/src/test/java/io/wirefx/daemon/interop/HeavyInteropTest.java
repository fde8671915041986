package io.wirefx.daemon.interop;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The long runs (CI's heavy suite): 50 MB each way over IPv4 and IPv6 for both pairs, and a soak across the
 * 120-second rekey with continuous pings. Node 1 is WireFX; node 2 is the implementation under the parameter.
 */
@Tag("heavy")
class HeavyInteropTest extends InteropFixture {

    private static final long FIFTY_MB = 50L << 20;
    /** REKEY_AFTER_TIME is 120 s; the soak must outlast it with margin for the rekey itself. */
    private static final int SOAK_SECONDS = 150;

    @ParameterizedTest(name = "WireFX <-> {0}")
    @EnumSource(Impl.class)
    @Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fiftyMegabytesEachWayOverBothFamilies(Impl impl2) throws Exception {
        start(Impl.WIREFX, impl2);
        configure(Setup.both());
        assertTrue(node(1).pingUntilReply(node(2).tunnel4(), 20_000), logs());
        int seed = 0;
        for (String family : new String[]{"v4", "v6"}) {
            for (int from = 1; from <= 2; from++) {
                int to = other(from);
                String dst = family.equals("v4") ? node(to).tunnel4() : node(to).tunnel6();
                TcpTransfer.Result r = TcpTransfer.run(node(to).ns, dst, 5201 + seed, node(from).ns, FIFTY_MB, ++seed);
                assertEquals(FIFTY_MB, r.receivedBytes(), logs());
                assertEquals(r.sentSha256(), r.receivedSha256(), "SHA-256 " + node(from) + " -> " + dst);
                System.out.printf("TCP %s -> %s (%s): 50 MiB, %.0f Mbit/s%n", node(from).impl, node(to).impl, dst,
                        r.megabitsPerSecond());
            }
        }
    }

    static Stream<Arguments> soakCases() {
        return Stream.of(Arguments.of(Impl.WIREGUARD_GO, 1), Arguments.of(Impl.WIREGUARD_GO, 2),
                Arguments.of(Impl.WIREFX, 1));
    }

    /**
     * The initiator of the session rekeys after 120 s while pings flow both ways: the handshake time moves on both
     * ends, no echo is lost across the key change, and a checked TCP transfer works on the new keys.
     */
    @ParameterizedTest(name = "WireFX <-> {0}, node {1} initiates")
    @MethodSource("soakCases")
    @Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void rekeySoak(Impl impl2, int initiator) throws Exception {
        start(Impl.WIREFX, impl2);
        configure(Setup.onlyKnows(initiator));
        WgNode a = node(initiator);
        WgNode b = node(other(initiator));
        assertTrue(a.pingUntilReply(b.tunnel4(), 20_000), logs());
        long first1 = node(1).dumpOf(node(2)).latestHandshake();
        long first2 = node(2).dumpOf(node(1)).latestHandshake();

        int count = SOAK_SECONDS * 5;
        var pingA = a.pingAsync(b.tunnel4(), count);
        var pingB = b.pingAsync(a.tunnel6(), count);
        String outA = pingA.get(SOAK_SECONDS + 60L, TimeUnit.SECONDS);
        String outB = pingB.get(60, TimeUnit.SECONDS);
        assertEquals(0, lost(outA), a + " -> " + b + " lost echoes across the rekey:\n" + outA + logs());
        assertEquals(0, lost(outB), b + " -> " + a + " lost echoes across the rekey:\n" + outB + logs());

        long second1 = node(1).dumpOf(node(2)).latestHandshake();
        long second2 = node(2).dumpOf(node(1)).latestHandshake();
        assertTrue(second1 > first1 && second2 > first2, "no rekey in " + SOAK_SECONDS + " s: node 1 " + first1
                + " -> " + second1 + ", node 2 " + first2 + " -> " + second2 + logs());
        TcpTransfer.Result r = TcpTransfer.run(b.ns, b.tunnel4(), 5202, a.ns, 8L << 20, 7);
        assertEquals(r.sentSha256(), r.receivedSha256(), "transfer on the new keys");
    }

    private static int lost(String pingOutput) {
        Matcher m = Pattern.compile("(\\d+) packets transmitted, (\\d+) received").matcher(pingOutput);
        assertTrue(m.find(), pingOutput);
        return Integer.parseInt(m.group(1)) - Integer.parseInt(m.group(2));
    }
}
