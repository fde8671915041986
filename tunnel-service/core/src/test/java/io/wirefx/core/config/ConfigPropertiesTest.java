package io.wirefx.core.config;

import io.wirefx.core.net.IpPrefix;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Round-trip properties and fuzzing of the parser. The {@code heavy} variants run 100x more tries. */
class ConfigPropertiesTest {

    @Property(tries = 300)
    void generatedConfigsRoundTrip(@ForAll("configs") Config c) throws Exception {
        String text = c.toWgQuickString();
        Config parsed = Config.parse(text);
        assertEquals(c, parsed, text);
        assertEquals(c.hashCode(), parsed.hashCode());
        assertEquals(text, parsed.toWgQuickString());
    }

    @Property(tries = 200)
    void wgTextKeepsPeersAndWgKeys(@ForAll("configs") Config c) throws Exception {
        Config stripped = Config.parse(c.toWgString());
        assertEquals(c.peers(), stripped.peers());
        assertEquals(c.iface().privateKey(), stripped.iface().privateKey());
        assertEquals(c.iface().listenPort(), stripped.iface().listenPort());
        assertEquals(c.iface().fwMark(), stripped.iface().fwMark());
    }

    @Property(tries = 300)
    void valueTypesRoundTripThroughText(@ForAll("networks") IpPrefix n, @ForAll("endpoints") InetEndpoint e) {
        assertEquals(n, IpPrefix.parse(n.toString()));
        assertEquals(e, InetEndpoint.parse(e.toString()));
        assertEquals(n.masked(), n.masked().masked());
        assertTrue(n.contains(n.masked().address()));
    }

    @Property(tries = 500)
    void randomTextOnlyEverFailsWithBadConfigException(@ForAll("noise") String text) {
        checkParse(text);
    }

    @Property(tries = 500)
    void mutatedConfigsOnlyEverFailWithBadConfigException(@ForAll("mutated") String text) {
        checkParse(text);
    }

    @Property(tries = 200)
    void aGarbageLineIsReportedAtItsLine(@ForAll("configs") Config c, @ForAll("lineIndex") double where) {
        List<String> lines = new ArrayList<>(c.toWgQuickString().lines().toList());
        int index = (int) (where * lines.size());
        lines.set(index, "this line has no equals sign");
        BadConfigException e = parseFailure(String.join("\n", lines));
        assertEquals(BadConfigException.Reason.SYNTAX_ERROR, e.reason());
        assertEquals(index + 1, e.lineNumber());
    }

    @Property(tries = 30_000)
    @Tag("heavy")
    void heavyRandomText(@ForAll("noise") String text) {
        checkParse(text);
    }

    @Property(tries = 30_000)
    @Tag("heavy")
    void heavyMutatedConfigs(@ForAll("mutated") String text) {
        checkParse(text);
    }

    @Property(tries = 20_000)
    @Tag("heavy")
    void heavyRoundTrip(@ForAll("configs") Config c) throws Exception {
        assertEquals(c, Config.parse(c.toWgQuickString()));
    }

    private static BadConfigException parseFailure(String text) {
        try {
            Config c = Config.parse(text);
            throw new AssertionError("expected a failure, got " + c);
        } catch (BadConfigException e) {
            return e;
        }
    }

    /** Parsing either succeeds and round-trips, or fails with a well-formed BadConfigException. */
    static void checkParse(String text) {
        Config c;
        try {
            c = Config.parse(text);
        } catch (BadConfigException e) {
            long lines = text.chars().filter(ch -> ch == '\n' || ch == '\r').count() + 1;
            assertTrue(e.lineNumber() >= 0 && e.lineNumber() <= lines, e::getMessage);
            assertNotNull(e.getMessage());
            return;
        }
        try {
            assertEquals(c, Config.parse(c.toWgQuickString()));
        } catch (BadConfigException e) {
            throw new AssertionError("accepted text did not round-trip: " + e.getMessage(), e);
        }
    }

    @Provide
    Arbitrary<Config> configs() {
        return ConfigArbitraries.configs();
    }

    @Provide
    Arbitrary<IpPrefix> networks() {
        return ConfigArbitraries.networks();
    }

    @Provide
    Arbitrary<InetEndpoint> endpoints() {
        return ConfigArbitraries.endpoints();
    }

    @Provide
    Arbitrary<Double> lineIndex() {
        return Arbitraries.doubles().between(0, 1).filter(d -> d < 1);
    }

    /** Fragments that steer random text toward the parser's interesting paths. */
    private static final List<String> TOKENS = List.of(
            "[Interface]", "[Peer]", "[", "]", "=", "#", ",", "/", ":", "[::1]", "\n", "\r\n", "\r", " ", "\t",
            "\uFEFF", "PrivateKey", "PublicKey", "PresharedKey", "AllowedIPs", "Endpoint", "ListenPort", "FwMark",
            "Address", "DNS", "MTU", "Table", "PostUp", "SaveConfig", "PersistentKeepalive", "0x", "off", "true",
            "10.0.0.1", "::", "ffff", "65535", "65536", "4294967296", "/32", "/129",
            "MPn+M3lz9429/7fNX5QaCG5hgNHvY2c5KCN9JIq54Qc=", "bvIVvACRSHGi2dNRWHORBPiV2INNtfqhwQ/wx9h/QzE=");

    @Provide
    Arbitrary<String> noise() {
        Arbitrary<String> token = Arbitraries.of(TOKENS);
        Arbitrary<String> anyChars = Arbitraries.strings().all().ofMaxLength(8);
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, token), net.jqwik.api.Tuple.of(1, anyChars))
                        .list().ofMaxSize(60).map(l -> String.join("", l)));
    }

    @Provide
    Arbitrary<String> mutated() {
        Arbitrary<Mutation> one = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.doubles().between(0, 1), Arbitraries.chars().all())
                        .as((p, ch) -> (Mutation) s -> insert(s, p, String.valueOf(ch))),
                Combinators.combine(Arbitraries.doubles().between(0, 1), Arbitraries.of(TOKENS))
                        .as((p, t) -> (Mutation) s -> insert(s, p, t)),
                Arbitraries.doubles().between(0, 1).map(p -> (Mutation) s -> delete(s, p)),
                Combinators.combine(Arbitraries.doubles().between(0, 1), Arbitraries.chars().all())
                        .as((p, ch) -> (Mutation) s -> replace(s, p, ch)),
                Arbitraries.doubles().between(0, 1).map(p -> (Mutation) s -> duplicateLine(s, p)),
                Arbitraries.doubles().between(0, 1).map(p -> (Mutation) s -> deleteLine(s, p)),
                Combinators.combine(Arbitraries.doubles().between(0, 1), noise())
                        .as((p, junk) -> (Mutation) s -> insertLine(s, p, junk)));
        return Combinators.combine(ConfigArbitraries.configs(), one.list().ofMinSize(1).ofMaxSize(4))
                .as((c, ms) -> {
                    String s = c.toWgQuickString();
                    for (Mutation m : ms) {
                        s = m.apply(s);
                    }
                    return s;
                });
    }

    @FunctionalInterface
    interface Mutation {
        String apply(String s);
    }

    private static int at(String s, double p) {
        return Math.min(s.length(), (int) (p * (s.length() + 1)));
    }

    static String insert(String s, double p, String what) {
        int i = at(s, p);
        return s.substring(0, i) + what + s.substring(i);
    }

    static String delete(String s, double p) {
        if (s.isEmpty()) {
            return s;
        }
        int i = Math.min(s.length() - 1, at(s, p));
        return s.substring(0, i) + s.substring(i + 1);
    }

    static String replace(String s, double p, char ch) {
        if (s.isEmpty()) {
            return s;
        }
        int i = Math.min(s.length() - 1, at(s, p));
        return s.substring(0, i) + ch + s.substring(i + 1);
    }

    static String duplicateLine(String s, double p) {
        List<String> lines = new ArrayList<>(s.lines().toList());
        if (lines.isEmpty()) {
            return s;
        }
        int i = Math.min(lines.size() - 1, (int) (p * lines.size()));
        lines.add(i, lines.get(i));
        return String.join("\n", lines);
    }

    static String deleteLine(String s, double p) {
        List<String> lines = new ArrayList<>(s.lines().toList());
        if (lines.isEmpty()) {
            return s;
        }
        lines.remove(Math.min(lines.size() - 1, (int) (p * lines.size())));
        return String.join("\n", lines);
    }

    static String insertLine(String s, double p, String line) {
        List<String> lines = new ArrayList<>(s.lines().toList());
        lines.add(Math.min(lines.size(), (int) (p * (lines.size() + 1))), line);
        return String.join("\n", lines);
    }
}
