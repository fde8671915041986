package io.wirefx.core.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

/**
 * Hostile input: whatever arrives, the session only replies or closes. The in-memory device throws
 * {@link AssertionError} if the session ever touches a peer that does not exist, and never throws a
 * {@link RuntimeException}, so an {@code errno=-55} reply would mean a bug in the session.
 */
class UapiFuzzTest {
    private static final Pattern ERRNO_REPLY = Pattern.compile("errno=(0|-5|-22|-71|-98)\n\n");
    private static final Pattern GET_REPLY = Pattern.compile("([a-z_]+=[0-9a-f.:\\[\\]%/]*\n)*errno=0\n\n");
    private static final Set<String> GET_KEYS = Set.of("private_key", "listen_port", "fwmark", "public_key",
            "preshared_key", "protocol_version", "endpoint", "last_handshake_time_sec", "last_handshake_time_nsec",
            "tx_bytes", "rx_bytes", "persistent_keepalive_interval", "allowed_ip", "errno");

    static final List<String> KEYS = List.of("private_key", "listen_port", "fwmark", "replace_peers", "public_key",
            "remove", "update_only", "preshared_key", "endpoint", "persistent_keepalive_interval",
            "replace_allowed_ips", "allowed_ip", "protocol_version", "bogus", "");

    static void assertValidReplies(List<String> replies) {
        for (String reply : replies) {
            assertTrue(ERRNO_REPLY.matcher(reply).matches() || GET_REPLY.matcher(reply).matches(), reply);
            for (String line : reply.split("\n")) {
                assertTrue(GET_KEYS.contains(line.substring(0, line.indexOf('='))), line);
            }
        }
    }

    static List<String> feedChunked(UapiSession session, byte[] bytes, Random rnd) {
        List<String> replies = new ArrayList<>();
        int i = 0;
        while (i < bytes.length) {
            int n = Math.min(bytes.length - i, 1 + rnd.nextInt(64));
            replies.addAll(session.feedBytes(bytes, i, n));
            i += n;
        }
        replies.addAll(session.endOfInput());
        return replies;
    }

    @Property(tries = 300)
    void randomLinesOnlyReplyOrClose(@ForAll("operations") List<List<String>> operations) {
        InMemoryUapiDevice device = new InMemoryUapiDevice();
        UapiSession session = new UapiSession(device);
        List<String> replies = new ArrayList<>();
        for (List<String> op : operations) {
            for (String line : op) {
                replies.addAll(session.feed(line));
            }
        }
        replies.addAll(session.endOfInput());
        assertValidReplies(replies);
        assertTrue(session.isClosed());
        // Whatever was applied, the device reads back cleanly.
        assertValidReplies(List.of(UapiProtocol.formatGetReply(device.snapshot())));
    }

    @Property(tries = 300)
    void mutatedValidSessionsOnlyReplyOrClose(@ForAll long seed) {
        Random rnd = new Random(seed);
        byte[] bytes = mutate(validTranscript(), rnd);
        List<String> replies = feedChunked(new UapiSession(new InMemoryUapiDevice()), bytes, rnd);
        assertValidReplies(replies);
    }

    @Property(tries = 20_000)
    @Tag("heavy")
    void mutatedValidSessionsOnlyReplyOrCloseLongRun(@ForAll long seed) {
        mutatedValidSessionsOnlyReplyOrClose(seed);
    }

    @Property(tries = 200)
    void chunkingDoesNotChangeTheOutcome(@ForAll long seed) {
        Random rnd = new Random(seed);
        byte[] bytes = mutate(validTranscript(), rnd);
        InMemoryUapiDevice whole = new InMemoryUapiDevice();
        UapiSession wholeSession = new UapiSession(whole);
        List<String> expected = new ArrayList<>(wholeSession.feedBytes(bytes, 0, bytes.length));
        expected.addAll(wholeSession.endOfInput());

        InMemoryUapiDevice chunked = new InMemoryUapiDevice();
        assertEquals(expected, feedChunked(new UapiSession(chunked), bytes, rnd));
        assertEquals(whole.calls, chunked.calls);
    }

    /** {@code wg showconf | wg setconf} on a fresh device reproduces the configuration exactly. */
    @Property(tries = 200)
    void getReplyFedBackAsSetReproducesTheState(@ForAll("operations") List<List<String>> operations) {
        InMemoryUapiDevice device = new InMemoryUapiDevice();
        UapiSession session = new UapiSession(device);
        operations.forEach(op -> op.forEach(session::feed));
        String get = UapiProtocol.formatGetReply(device.snapshot());

        StringBuilder set = new StringBuilder("set=1\n");
        for (String line : get.split("\n")) {
            String key = line.substring(0, line.indexOf('='));
            if (!Set.of("errno", "last_handshake_time_sec", "last_handshake_time_nsec", "tx_bytes", "rx_bytes")
                    .contains(key)) {
                set.append(line).append('\n');
            }
        }
        set.append("\nget=1\n\n");
        byte[] bytes = set.toString().getBytes(StandardCharsets.US_ASCII);
        List<String> replies = new UapiSession(new InMemoryUapiDevice()).feedBytes(bytes, 0, bytes.length);
        assertEquals(List.of("errno=0\n\n", get), replies);
    }

    static byte[] validTranscript() {
        String text = UapiSetTest.setconf()
                + "get=1\n\n"
                + "set=1\nlisten_port=4000\npublic_key=" + UapiSetTest.P1 + "\nupdate_only=true\n"
                + "endpoint=[fe80::1%3]:51820\nallowed_ip=-10.0.0.2/32\nallowed_ip=::ffff:10.0.0.0/104\n"
                + "public_key=" + UapiSetTest.P3 + "\nupdate_only=true\nallowed_ip=1.2.3.4/32\n"
                + "public_key=" + UapiSetTest.P2 + "\nremove=true\n\n"
                + "set=1\nfwmark=1\nlisten_port=x\nprivate_key=" + "00".repeat(32) + "\n\n"
                + "get=1\n\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** A few random byte edits: flips, insertions of protocol-relevant bytes, deletions, duplications. */
    static byte[] mutate(byte[] in, Random rnd) {
        List<Byte> b = new ArrayList<>(in.length + 16);
        for (byte x : in) {
            b.add(x);
        }
        byte[] interesting = "\n\r=:.-/[]%0f9 \u00ff".getBytes(StandardCharsets.ISO_8859_1);
        int edits = 1 + rnd.nextInt(6);
        for (int e = 0; e < edits && !b.isEmpty(); e++) {
            int at = rnd.nextInt(b.size());
            switch (rnd.nextInt(5)) {
                case 0 -> b.set(at, (byte) (b.get(at) ^ (1 << rnd.nextInt(8))));
                case 1 -> b.add(at, interesting[rnd.nextInt(interesting.length)]);
                case 2 -> b.remove(at);
                case 3 -> {
                    int len = Math.min(1 + rnd.nextInt(80), b.size() - at);
                    b.addAll(at, new ArrayList<>(b.subList(at, at + len)));
                }
                default -> b.set(at, (byte) rnd.nextInt(256));
            }
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }

    @Provide
    Arbitrary<List<List<String>>> operations() {
        return operation().list().ofMaxSize(6);
    }

    Arbitrary<List<String>> operation() {
        Arbitrary<String> opLine = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(6, "set=1"), net.jqwik.api.Tuple.of(2, "get=1"),
                net.jqwik.api.Tuple.of(1, "set=1\r"), net.jqwik.api.Tuple.of(1, "xyz"));
        return Combinators.combine(opLine, line().list().ofMaxSize(12), Arbitraries.integers().between(0, 9))
                .as((op, body, end) -> {
                    List<String> lines = new ArrayList<>();
                    lines.add(op);
                    lines.addAll(body);
                    if (end > 0) {
                        lines.add(""); // usually terminated
                    }
                    return lines;
                });
    }

    Arbitrary<String> line() {
        Arbitrary<String> junk = Arbitraries.strings().withChars("=abc019:./-[]%\r\u00e9\u0660").ofMaxLength(30);
        Arbitrary<String> keyValue = Combinators.combine(Arbitraries.of(KEYS), value()).as((k, v) -> k + "=" + v);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, junk), net.jqwik.api.Tuple.of(6, keyValue));
    }

    Arbitrary<String> value() {
        Arbitrary<String> key = Arbitraries.of("01", "02", "03", "a8", "00", "AB").map(h -> h.repeat(32));
        Arbitrary<String> number = Arbitraries.longs().between(-1, 5_000_000_000L).map(String::valueOf);
        Arbitrary<String> prefix = Arbitraries.of("10.0.0.1/32", "-10.0.0.1/32", "0.0.0.0/0", "fd00::/8", "::/0",
                "-fd00::/8", "10.0.0.0/33", "::ffff:1.2.3.4/120", "1.2.3.4");
        Arbitrary<String> endpoint = Arbitraries.of("1.2.3.4:5", "[::1]:51820", "[fe80::1%2]:1", "host:1", "[1.2.3.4]:1");
        Arbitrary<String> junk = Arbitraries.strings().ofMaxLength(70);
        return Arbitraries.oneOf(key, number, prefix, endpoint, Arbitraries.of("true", "false", "1", "", "2"), junk);
    }
}
