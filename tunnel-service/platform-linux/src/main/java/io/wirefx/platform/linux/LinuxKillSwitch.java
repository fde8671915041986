package io.wirefx.platform.linux;

import io.wirefx.platform.CommandRunner;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * "Block untunneled traffic" for a full tunnel on Linux: an nft table of its own ({@code inet wirefx_ks_IF}) whose
 * output and input chains drop every packet except those through the tunnel interface, on loopback, the tunnel's
 * own UDP to its peers' endpoints (by address and port, and by the tunnel's fwmark), DHCP (v4 and v6), neighbour
 * discovery and router solicitation/advertisement, replies to what was let out, and — opted in — the local network
 * (RFC 1918, link-local, unique local and multicast ranges). IPv4 and IPv6 alike.
 *
 * <p>Fail closed: the table stays until {@link #remove} deletes it; a crashed service leaves it in place, and the
 * next start's journal cleanup removes it (its {@link #undoCommand()} is what goes into the journal).
 * {@link LinuxNetworkConfigurator} installs it after a full tunnel's routes when the tunnel's
 * {@link io.wirefx.platform.TrafficPolicy} asks for it.
 *
 * @param iface     the tunnel interface
 * @param fwmark    the mark the tunnel's own UDP socket carries (full tunnel), if any
 * @param endpoints the peers' endpoints
 * @param allowLan  let traffic to and from the local network through
 */
public record LinuxKillSwitch(String iface, OptionalLong fwmark, List<InetSocketAddress> endpoints,
                              boolean allowLan) {
    private static final String LAN4 = "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16, 224.0.0.0/4";
    private static final String LAN6 = "fe80::/10, fc00::/7, ff00::/8";

    public LinuxKillSwitch {
        Objects.requireNonNull(iface, "iface");
        Objects.requireNonNull(fwmark, "fwmark");
        endpoints = List.copyOf(endpoints);
    }

    /** The nft table's name. */
    public String table() {
        return "wirefx_ks_" + iface.replaceAll("[^A-Za-z0-9_]", "_");
    }

    /** The rule set, for {@code nft -f -}. */
    public String ruleset() {
        List<String> out = new ArrayList<>();
        out.add("    oifname \"lo\" accept");
        out.add("    oifname \"" + iface + "\" accept");
        fwmark.ifPresent(m -> out.add("    meta mark 0x" + Long.toHexString(m) + " accept"));
        for (InetSocketAddress ep : endpoints) {
            String fam = ep.getAddress() instanceof Inet6Address ? "ip6" : "ip";
            out.add("    " + fam + " daddr " + ep.getAddress().getHostAddress() + " udp dport " + ep.getPort()
                    + " accept");
        }
        out.add("    udp sport 68 udp dport 67 accept");
        out.add("    udp sport 546 udp dport 547 accept");
        out.add("    icmpv6 type { nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert } accept");
        out.add("    ct state established,related accept");
        if (allowLan) {
            out.add("    ip daddr { " + LAN4 + " } accept");
            out.add("    ip6 daddr { " + LAN6 + " } accept");
        }
        List<String> in = new ArrayList<>();
        in.add("    iifname \"lo\" accept");
        in.add("    iifname \"" + iface + "\" accept");
        in.add("    ct state established,related accept");
        in.add("    udp sport 67 udp dport 68 accept");
        in.add("    udp sport 547 udp dport 546 accept");
        in.add("    icmpv6 type { nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert } accept");
        if (allowLan) {
            in.add("    ip saddr { " + LAN4 + " } accept");
            in.add("    ip6 saddr { " + LAN6 + " } accept");
        }
        return "table inet " + table() + " {\n"
                + "  chain output {\n    type filter hook output priority 0; policy drop;\n"
                + String.join("\n", out) + "\n  }\n"
                + "  chain input {\n    type filter hook input priority 0; policy drop;\n"
                + String.join("\n", in) + "\n  }\n}\n";
    }

    /** Loads the table (replacing one of the same name left by a crash). */
    public void apply(CommandRunner runner) throws IOException {
        if (runner.run(List.of("nft", "list", "table", "inet", table())).succeeded()) {
            check(runner.change(undoCommand(), null), undoCommand());
        }
        check(runner.change(List.of("nft", "-f", "-"), ruleset()), List.of("nft", "-f", "-"));
    }

    /** Deletes the table, if it is there. */
    public void remove(CommandRunner runner) throws IOException {
        if (runner.run(List.of("nft", "list", "table", "inet", table())).succeeded()) {
            check(runner.change(undoCommand(), null), undoCommand());
        }
    }

    /** The command that removes the table: the journal's undo entry. */
    public List<String> undoCommand() {
        return List.of("nft", "delete", "table", "inet", table());
    }

    private static void check(CommandRunner.CommandResult r, List<String> argv) throws IOException {
        if (!r.succeeded()) {
            throw new IOException("`" + String.join(" ", argv) + "' failed (exit " + r.exitCode() + "): "
                    + r.stderr().strip());
        }
    }
}
