package io.wirefx.core.routing;

import io.wirefx.core.net.IpLiterals;
import io.wirefx.core.net.IpPrefix;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

/** Random operation sequences checked against a brute-force oracle: a list of entries and a linear longest match. */
class AllowedIpsPropertyTest {
    private static final int PEERS = 4;

    enum Kind { INSERT, MOVE_EXISTING, REMOVE, REMOVE_EXISTING, REMOVE_PEER, LOOKUP, LOOKUP_NEAR, CLEAR }

    record Op(Kind kind, byte[] addr, int len, int peer, int pick, int flip) {
        @Override
        public String toString() {
            return kind + " " + IpLiterals.format(addr) + "/" + len + " p" + peer + " pick=" + pick + " flip=" + flip;
        }
    }

    /** The oracle: entries in insertion order, each prefix at most once. */
    static final class Oracle {
        record Entry(IpPrefix prefix, int peer) {
        }

        final List<Entry> entries = new ArrayList<>();

        Integer owner(IpPrefix p) {
            for (Entry e : entries) {
                if (e.prefix().equals(p)) {
                    return e.peer();
                }
            }
            return null;
        }

        void insert(IpPrefix p, int peer) {
            entries.removeIf(e -> e.prefix().equals(p));
            entries.add(new Entry(p, peer));
        }

        boolean remove(IpPrefix p, int peer) {
            return entries.removeIf(e -> e.prefix().equals(p) && e.peer() == peer);
        }

        void removePeer(int peer) {
            entries.removeIf(e -> e.peer() == peer);
        }

        Integer lookup(byte[] addr) {
            Integer best = null;
            int bestLen = -1;
            for (Entry e : entries) {
                if (e.prefix().contains(addr) && e.prefix().length() > bestLen) {
                    best = e.peer();
                    bestLen = e.prefix().length();
                }
            }
            return best;
        }

        List<IpPrefix> prefixesOf(int peer) {
            return entries.stream().filter(e -> e.peer() == peer).map(Entry::prefix).toList();
        }
    }

    @Property(tries = 300)
    void agreesWithBruteForce(@ForAll("ops") List<Op> ops) {
        run(ops);
    }

    @Property(tries = 5_000)
    @Tag("heavy")
    void agreesWithBruteForceHeavy(@ForAll("ops") List<Op> ops) {
        run(ops);
    }

    private static void run(List<Op> ops) {
        AllowedIps<Integer> table = new AllowedIps<>();
        Oracle oracle = new Oracle();
        for (int step = 0; step < ops.size(); step++) {
            Op op = ops.get(step);
            String where = "step " + step + ": " + op;
            IpPrefix p = IpPrefix.of(op.addr(), Math.min(op.len(), op.addr().length * 8)).masked();
            switch (op.kind()) {
                case INSERT -> {
                    table.insert(op.addr(), p.length(), op.peer());
                    oracle.insert(p, op.peer());
                }
                case MOVE_EXISTING -> {
                    if (!oracle.entries.isEmpty()) {
                        IpPrefix e = oracle.entries.get(op.pick() % oracle.entries.size()).prefix();
                        table.insert(e, op.peer());
                        oracle.insert(e, op.peer());
                    }
                }
                case REMOVE -> assertEquals(oracle.remove(p, op.peer()), table.remove(op.addr(), p.length(), op.peer()),
                        where);
                case REMOVE_EXISTING -> {
                    if (!oracle.entries.isEmpty()) {
                        Oracle.Entry e = oracle.entries.get(op.pick() % oracle.entries.size());
                        int who = op.flip() % 2 == 0 ? e.peer() : op.peer();
                        assertEquals(oracle.remove(e.prefix(), who), table.remove(e.prefix(), who), where);
                    }
                }
                case REMOVE_PEER -> {
                    table.removeByPeer(op.peer());
                    oracle.removePeer(op.peer());
                }
                case LOOKUP -> assertEquals(oracle.lookup(op.addr()), table.lookup(op.addr()), where);
                case LOOKUP_NEAR -> {
                    if (!oracle.entries.isEmpty()) {
                        byte[] a = oracle.entries.get(op.pick() % oracle.entries.size()).prefix().bytes();
                        int bit = op.flip() % (a.length * 8);
                        a[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
                        assertEquals(oracle.lookup(a), table.lookup(a), where + " near " + IpLiterals.format(a));
                    }
                }
                case CLEAR -> {
                    table.clear();
                    oracle.entries.clear();
                }
            }
            // Full state check after each step.
            for (int peer = 0; peer < PEERS; peer++) {
                assertEquals(oracle.prefixesOf(peer), table.prefixesOf(peer), where + " prefixesOf p" + peer);
            }
            assertEquals(oracle.entries.size(), table.size(), where);
            for (Oracle.Entry e : oracle.entries) {
                byte[] a = e.prefix().bytes();
                assertEquals(oracle.lookup(a), table.lookup(a), where + " lookup " + e.prefix());
                assertEquals(e.peer(), table.owner(e.prefix()), where);
            }
        }
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        // Address bytes from a small alphabet so prefixes nest and collide often.
        Arbitrary<Byte> octet = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just((byte) 0)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just((byte) 10)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just((byte) 0x80)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just((byte) 0xff)),
                net.jqwik.api.Tuple.of(2, Arbitraries.bytes()));
        Arbitrary<byte[]> v4 = octet.array(byte[].class).ofSize(4);
        // IPv6: the upper half often shared, so prefixes also nest and diverge in the lower 64 bits.
        Arbitrary<byte[]> upper = Arbitraries.oneOf(
                Arbitraries.just(new byte[] {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 1}),
                Arbitraries.just(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0}),
                octet.array(byte[].class).ofSize(8));
        Arbitrary<byte[]> v6 = Combinators.combine(upper, octet.array(byte[].class).ofSize(8)).as((hi, lo) -> {
            byte[] a = new byte[16];
            System.arraycopy(hi, 0, a, 0, 8);
            System.arraycopy(lo, 0, a, 8, 8);
            return a;
        });
        Arbitrary<byte[]> addr = Arbitraries.oneOf(v4, v6);
        Arbitrary<Integer> len = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 128)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(60, 128)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 32)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0, 8, 16, 24, 32, 64, 128)));
        Arbitrary<Kind> kind = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just(Kind.INSERT)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.MOVE_EXISTING)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.REMOVE)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.REMOVE_EXISTING)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.REMOVE_PEER)),
                net.jqwik.api.Tuple.of(5, Arbitraries.just(Kind.LOOKUP)),
                net.jqwik.api.Tuple.of(5, Arbitraries.just(Kind.LOOKUP_NEAR)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.CLEAR)));
        Arbitrary<Op> op = Combinators.combine(kind, addr, len, Arbitraries.integers().between(0, PEERS - 1),
                Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 1000)).as(Op::new);
        return op.list().ofMaxSize(80);
    }
}
