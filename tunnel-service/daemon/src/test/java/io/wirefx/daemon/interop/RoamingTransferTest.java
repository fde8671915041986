package io.wirefx.daemon.interop;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Roaming in the middle of a transfer (docs/security.md, test 4): WireFX (node 1) and wireguard-go (node 2) carry a
 * TCP transfer towards the node that stays; the other node moves to a new link and address, or rebinds to a new
 * port, one second in. The staying node follows from the mover's next authenticated packet and the transfer arrives
 * complete with equal SHA-256. Heavy profile.
 */
@Tag("heavy")
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RoamingTransferTest extends InteropFixture {
    private static final long BYTES = 512L << 20;

    private TcpTransfer.Result transferWhile(int mover, Move move) throws Exception {
        start(Impl.WIREFX, Impl.WIREGUARD_GO);
        configure(Setup.both());
        WgNode m = node(mover);
        WgNode s = node(other(mover));
        assertTrue(m.pingUntilReply(s.tunnel4(), 20_000), logs());
        CompletableFuture<TcpTransfer.Result> transfer = CompletableFuture.supplyAsync(() -> {
            try {
                return TcpTransfer.run(s.ns, s.tunnel4(), 5201, m.ns, BYTES, 11);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(1000);
        assertTrue(!transfer.isDone(), "the transfer was over before the move; make it longer");
        String expected = move.apply(m);
        TcpTransfer.Result r = transfer.get();
        assertEquals(BYTES, r.receivedBytes(), logs());
        assertEquals(r.sentSha256(), r.receivedSha256());
        assertEquals(expected, s.dumpOf(m).endpoint(), s + " did not follow the move" + logs());
        System.out.printf("roaming transfer (%s moves): %d MiB, %.0f Mbit/s%n", m, BYTES >> 20, r.megabitsPerSecond());
        return r;
    }

    private interface Move {
        /** Moves the node; returns the endpoint its peer should then show for it. */
        String apply(WgNode node) throws Exception;
    }

    @ParameterizedTest(name = "node {0} moves to a new address")
    @ValueSource(ints = {1, 2})
    void newAddressMidTransfer(int mover) throws Exception {
        transferWhile(mover, n -> net.roamToNewLink(n.index) + ":" + port(n.index));
    }

    @ParameterizedTest(name = "node {0} rebinds to a new port")
    @ValueSource(ints = {1, 2})
    void newPortMidTransfer(int mover) throws Exception {
        transferWhile(mover, n -> {
            int newPort = port(n.index) + 100;
            n.wg("set", n.name, "listen-port", Integer.toString(newPort));
            return TestNet.outer4(n.index) + ":" + newPort;
        });
    }
}
