package io.wirefx.platform.linux;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One change made to the host, recorded in the {@link Journal} before it is made, so that it can be undone exactly
 * (after an orderly stop, a failed bring-up, or a SIGKILL followed by the next run). Each entry has a one-line text
 * form, {@link #encode()}, read back by {@link #decode(String)}.
 */
public sealed interface JournalEntry {

    /** Tokens are restricted so a journal line can never smuggle anything unexpected into a command. */
    Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.:/=+~%-]{1,256}");

    /** The text form: space-separated tokens, the first naming the kind. */
    String encode();

    /** True if deleting {@code iface} removes this change too (addresses and routes through it). */
    default boolean goesAwayWithLink(String iface) {
        return false;
    }

    /** The network interface was created by us (by opening the TUN device). Undo: {@code ip link delete}. */
    record Link(String iface) implements JournalEntry {
        public Link {
            check(iface);
        }

        @Override
        public String encode() {
            return "link " + iface;
        }
    }

    /** {@code ip -4|-6 address add CIDR dev IF}. */
    record Address(String iface, String cidr) implements JournalEntry {
        public Address {
            check(iface);
            check(cidr);
        }

        public boolean ipv6() {
            return cidr.contains(":");
        }

        @Override
        public String encode() {
            return "addr " + iface + " " + cidr;
        }

        @Override
        public boolean goesAwayWithLink(String dev) {
            return iface.equals(dev);
        }
    }

    /**
     * {@code ip -4|-6 route add PREFIX dev IF [table TABLE]}; {@code table} is null when no table was named (the main
     * table, Table=auto).
     */
    record Route(String iface, String prefix, String table) implements JournalEntry {
        public Route {
            check(iface);
            check(prefix);
            if (table != null) {
                check(table);
            }
        }

        public boolean ipv6() {
            return prefix.contains(":");
        }

        @Override
        public String encode() {
            return "route " + iface + " " + prefix + " " + (table == null ? "-" : table);
        }

        @Override
        public boolean goesAwayWithLink(String dev) {
            return iface.equals(dev);
        }
    }

    /** The two policy rules of a full tunnel. */
    enum RuleKind {
        /** {@code ip rule add not fwmark T table T}. */
        NOT_FWMARK,
        /** {@code ip rule add table main suppress_prefixlength 0}. */
        SUPPRESS_MAIN;

        String token() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A policy routing rule; {@code table} is the fwmark/table number for NOT_FWMARK and 0 otherwise. */
    record Rule(boolean ipv6, RuleKind kind, long table) implements JournalEntry {
        public Rule {
            if (kind == null) {
                throw new IllegalArgumentException("kind");
            }
            if (kind == RuleKind.NOT_FWMARK ? table <= 0 || table > 0xFFFF_FFFFL : table != 0) {
                throw new IllegalArgumentException("bad table for " + kind + ": " + table);
            }
        }

        /** The arguments after {@code ip -4|-6 rule add|del}. */
        public List<String> selector() {
            return kind == RuleKind.NOT_FWMARK
                    ? List.of("not", "fwmark", Long.toString(table), "table", Long.toString(table))
                    : List.of("table", "main", "suppress_prefixlength", "0");
        }

        /** How {@code ip -N rule show} prints this rule after the priority. */
        public String listing() {
            return kind == RuleKind.NOT_FWMARK
                    ? "not from all fwmark 0x" + Long.toHexString(table) + " lookup " + table
                    : "from all lookup 254 suppress_prefixlength 0";
        }

        @Override
        public String encode() {
            return "rule " + (ipv6 ? "6" : "4") + " " + kind.token() + (kind == RuleKind.NOT_FWMARK ? " " + table : "");
        }
    }

    /**
     * An nftables table ({@code family} is {@code ip}, {@code ip6} or, for the kill switch, {@code inet}). Undo:
     * {@code nft delete table}.
     */
    record NftTable(String family, String name) implements JournalEntry {
        public NftTable {
            if (!"ip".equals(family) && !"ip6".equals(family) && !"inet".equals(family)) {
                throw new IllegalArgumentException("family must be ip, ip6 or inet: " + family);
            }
            check(name);
        }

        @Override
        public String encode() {
            return "nft " + family + " " + name;
        }
    }

    /** How DNS was configured. */
    enum DnsMethod {
        /** {@code resolvconf -a NAME -m 0 -x}; undo {@code resolvconf -d NAME -f}. */
        RESOLVCONF,
        /** {@code resolvectl dns/domain IF ...}; undo {@code resolvectl revert IF}. */
        RESOLVECTL
    }

    /** DNS settings registered under {@code name} (resolvconf: the possibly prefixed interface name). */
    record Dns(DnsMethod method, String name) implements JournalEntry {
        public Dns {
            if (method == null) {
                throw new IllegalArgumentException("method");
            }
            check(name);
        }

        @Override
        public String encode() {
            return "dns " + method.name().toLowerCase(Locale.ROOT) + " " + name;
        }
    }

    /**
     * Parses {@link #encode()} output.
     *
     * @throws IllegalArgumentException if the line is not a valid entry
     */
    static JournalEntry decode(String line) {
        String[] t = line.strip().split(" +");
        try {
            return switch (t[0]) {
                case "link" -> {
                    need(t, 2);
                    yield new Link(t[1]);
                }
                case "addr" -> {
                    need(t, 3);
                    yield new Address(t[1], t[2]);
                }
                case "route" -> {
                    need(t, 4);
                    yield new Route(t[1], t[2], "-".equals(t[3]) ? null : t[3]);
                }
                case "rule" -> {
                    if (t.length < 3 || !("4".equals(t[1]) || "6".equals(t[1]))) {
                        throw new IllegalArgumentException("bad rule entry");
                    }
                    boolean v6 = "6".equals(t[1]);
                    if (RuleKind.NOT_FWMARK.token().equals(t[2])) {
                        need(t, 4);
                        yield new Rule(v6, RuleKind.NOT_FWMARK, Long.parseLong(t[3]));
                    }
                    if (RuleKind.SUPPRESS_MAIN.token().equals(t[2])) {
                        need(t, 3);
                        yield new Rule(v6, RuleKind.SUPPRESS_MAIN, 0);
                    }
                    throw new IllegalArgumentException("bad rule kind");
                }
                case "nft" -> {
                    need(t, 3);
                    yield new NftTable(t[1], t[2]);
                }
                case "dns" -> {
                    need(t, 3);
                    yield new Dns(DnsMethod.valueOf(t[1].toUpperCase(Locale.ROOT)), t[2]);
                }
                default -> throw new IllegalArgumentException("unknown entry kind");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number in journal entry", e);
        }
    }

    private static void need(String[] tokens, int n) {
        if (tokens.length != n) {
            throw new IllegalArgumentException("expected " + n + " tokens, got " + tokens.length);
        }
    }

    private static void check(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("bad journal token");
        }
    }
}
