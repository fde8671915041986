package io.wirefx.core.config;

import io.wirefx.core.net.IpLiterals;
import io.wirefx.core.net.IpPrefix;
import io.wirefx.core.crypto.Key;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;

import java.net.InetAddress;
import java.util.List;
import java.util.OptionalInt;

/** jqwik generators for valid configuration objects. */
final class ConfigArbitraries {
    private ConfigArbitraries() {
    }

    static Arbitrary<Key> keys() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).map(Key::fromBytes);
    }

    /** IPv4, random IPv6, IPv6 with zero runs (to exercise '::'), and IPv4-mapped IPv6. */
    static Arbitrary<InetAddress> addresses() {
        Arbitrary<InetAddress> v4 = Arbitraries.bytes().array(byte[].class).ofSize(4).map(IpLiterals::fromBytes);
        Arbitrary<InetAddress> v6 = Arbitraries.bytes().array(byte[].class).ofSize(16).map(IpLiterals::fromBytes);
        Arbitrary<InetAddress> sparse = Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, Arbitraries.just(0)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 0xffff)))
                .list().ofSize(8).map(groups -> {
                    byte[] b = new byte[16];
                    for (int i = 0; i < 8; i++) {
                        b[2 * i] = (byte) (groups.get(i) >>> 8);
                        b[2 * i + 1] = (byte) (int) groups.get(i);
                    }
                    return IpLiterals.fromBytes(b);
                });
        Arbitrary<InetAddress> mapped = Arbitraries.bytes().array(byte[].class).ofSize(4).map(v -> {
            byte[] b = new byte[16];
            b[10] = (byte) 0xff;
            b[11] = (byte) 0xff;
            System.arraycopy(v, 0, b, 12, 4);
            return IpLiterals.fromBytes(b);
        });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, v4), net.jqwik.api.Tuple.of(2, v6),
                net.jqwik.api.Tuple.of(3, sparse), net.jqwik.api.Tuple.of(1, mapped));
    }

    static Arbitrary<IpPrefix> networks() {
        return addresses().flatMap(a -> Arbitraries.integers().between(0, a.getAddress().length * 8)
                .map(p -> new IpPrefix(a, p)));
    }

    static Arbitrary<String> hostNames() {
        Arbitrary<String> label = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789-_")
                .ofMinLength(1).ofMaxLength(12);
        return label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l))
                .flatMap(h -> Arbitraries.of(h, h + "."))
                .filter(Syntax::isHostName);
    }

    static Arbitrary<InetEndpoint> endpoints() {
        Arbitrary<Integer> ports = Arbitraries.integers().between(1, 65535);
        Arbitrary<InetEndpoint> literal = Combinators.combine(addresses(), ports).as(InetEndpoint::of);
        Arbitrary<InetEndpoint> named = Combinators.combine(hostNames(), ports).as(InetEndpoint::of);
        return Arbitraries.oneOf(literal, named);
    }

    static Arbitrary<String> searchDomains() {
        return Arbitraries.oneOf(hostNames(), hostNames().map(h -> "~" + h), Arbitraries.just("~."));
    }

    /** Single-line, trimmed shell-ish text, with comment and '=' characters and some non-ASCII. */
    static Arbitrary<String> hooks() {
        return Arbitraries.strings()
                .withCharRange(' ', '~')
                .withChars('\t', 'é', '✓', '\u00a0', '\u0085', '\u2028', '\u000b')
                .ofMaxLength(60)
                .map(Syntax::trim);
    }

    static Arbitrary<Table> tables() {
        Arbitrary<Table> named = Arbitraries.strings().withChars("abcxyzABC_.-019").ofMinLength(1).ofMaxLength(10)
                .filter(s -> Character.isLetter(s.charAt(0)) || s.charAt(0) == '_')
                .filter(s -> !s.equalsIgnoreCase("auto") && !s.equalsIgnoreCase("off") && !s.equalsIgnoreCase("main"))
                .map(Table.Named::new);
        Arbitrary<Table> id = Arbitraries.longs().between(0, 0xffffffffL).map(Table.Id::new);
        return Arbitraries.oneOf(Arbitraries.of(Table.AUTO, Table.OFF, Table.MAIN), id, named);
    }

    static Arbitrary<Interface> interfaces() {
        Arbitrary<OptionalInt> listenPort = Arbitraries.integers().between(0, 65535).optional()
                .map(o -> o.map(OptionalInt::of).orElse(OptionalInt.empty()));
        Arbitrary<Long> fwMark = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(0, 0xffffffffL));
        Arbitrary<OptionalInt> mtu = Arbitraries.integers().between(Interface.MIN_MTU, Interface.MAX_MTU).optional()
                .map(o -> o.map(OptionalInt::of).orElse(OptionalInt.empty()));
        Arbitrary<List<String>> hookList = hooks().list().ofMaxSize(3);
        return Builders.withBuilder(Interface::builder)
                .use(keys()).in(Interface.Builder::privateKey)
                .use(listenPort).in(Interface.Builder::listenPort)
                .use(fwMark).in(Interface.Builder::fwMark)
                .use(networks().list().ofMaxSize(4)).in(Interface.Builder::addresses)
                .use(addresses().list().ofMaxSize(3)).in(Interface.Builder::dnsServers)
                .use(searchDomains().list().ofMaxSize(3)).in(Interface.Builder::dnsSearchDomains)
                .use(mtu).in(Interface.Builder::mtu)
                .use(tables()).in(Interface.Builder::table)
                .use(hookList).in(Interface.Builder::preUp)
                .use(hookList).in(Interface.Builder::postUp)
                .use(hookList).in(Interface.Builder::preDown)
                .use(hookList).in(Interface.Builder::postDown)
                .use(Arbitraries.of(true, false)).in(Interface.Builder::saveConfig)
                .build(Interface.Builder::build);
    }

    static Arbitrary<PeerConfig> peers() {
        return Builders.withBuilder(PeerConfig::builder)
                .use(keys()).in(PeerConfig.Builder::publicKey)
                .use(keys().optional()).in(PeerConfig.Builder::presharedKey)
                .use(networks().list().ofMaxSize(5)).in(PeerConfig.Builder::allowedIps)
                .use(endpoints().optional()).in(PeerConfig.Builder::endpoint)
                .use(Arbitraries.integers().between(0, 65535)).in(PeerConfig.Builder::persistentKeepalive)
                .build(PeerConfig.Builder::build);
    }

    static Arbitrary<Config> configs() {
        return Combinators.combine(interfaces(), peers().list().ofMaxSize(4).uniqueElements(PeerConfig::publicKey))
                .as((i, ps) -> Config.builder().iface(i).peers(ps).build());
    }
}
