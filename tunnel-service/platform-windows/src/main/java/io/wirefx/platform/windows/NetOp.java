package io.wirefx.platform.windows;

import io.wirefx.core.net.IpPrefix;
import io.wirefx.core.net.IpLiterals;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * One change WireFX makes to a tunnel adapter's IP configuration through IP Helper. Operations are data: the planner
 * computes them from the config, {@code --dry-run} prints them ({@link #describe()}), the configurator performs them
 * and journals each one ({@link #encode()} / {@link #decode}) before performing it, so a crashed run can be undone.
 */
public sealed interface NetOp {

    /** One readable line: the Windows call and its arguments. */
    String describe();

    /** The journal form (one line, space-separated tokens); {@link #decode} reads it back. */
    String encode();

    /** Whether {@link NetworkApi#undo} has something to take back (interface settings go with the adapter). */
    default boolean undoable() {
        return true;
    }

    /**
     * IPv4/IPv6 settings of the interface: MTU, interface metric (empty: automatic), and no duplicate-address
     * detection transmits nor router discovery (a point-to-point tunnel has neither neighbours nor routers).
     */
    record SetInterface(Family family, int mtu, OptionalInt metric) implements NetOp {
        public SetInterface {
            Objects.requireNonNull(family, "family");
            Objects.requireNonNull(metric, "metric");
        }

        @Override
        public String describe() {
            return "SetIpInterfaceEntry " + family + " NlMtu=" + mtu
                    + (metric.isPresent() ? " UseAutomaticMetric=FALSE Metric=" + metric.getAsInt()
                    : " UseAutomaticMetric=TRUE")
                    + " DadTransmits=0 RouterDiscoveryBehavior=Disabled ManagedAddressConfigurationSupported=FALSE"
                    + " OtherStatefulConfigurationSupported=FALSE";
        }

        @Override
        public String encode() {
            return "interface " + family.token() + " " + mtu + " " + (metric.isPresent() ? metric.getAsInt() : "auto");
        }

        @Override
        public boolean undoable() {
            return false;
        }
    }

    /** A unicast address on the adapter (created Preferred; the configurator waits until Windows reports it so). */
    record AddAddress(IpPrefix address) implements NetOp {
        public AddAddress {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public String describe() {
            return "CreateUnicastIpAddressEntry " + text(address)
                    + " PrefixOrigin=Manual SuffixOrigin=Manual DadState=Preferred ValidLifetime=INFINITE"
                    + " (then wait until its DadState is Preferred)";
        }

        @Override
        public String encode() {
            return "address " + text(address);
        }
    }

    /** A route through the adapter, on-link (no gateway), for one AllowedIPs prefix. */
    record AddRoute(IpPrefix destination, int metric) implements NetOp {
        public AddRoute {
            Objects.requireNonNull(destination, "destination");
        }

        @Override
        public String describe() {
            return "CreateIpForwardEntry2 " + text(destination) + " NextHop=on-link Metric=" + metric
                    + " Protocol=NetMgmt";
        }

        @Override
        public String encode() {
            return "route " + text(destination) + " " + metric;
        }
    }

    /** DNS servers and search domains of the adapter for one family. */
    record SetDns(Family family, List<InetAddress> servers, List<String> searchDomains) implements NetOp {
        public SetDns {
            Objects.requireNonNull(family, "family");
            servers = List.copyOf(servers);
            searchDomains = List.copyOf(searchDomains);
        }

        @Override
        public String describe() {
            return "SetInterfaceDnsSettings " + family + " NameServer=\"" + serverList() + "\""
                    + (searchDomains.isEmpty() ? "" : " SearchList=\"" + String.join(",", searchDomains) + "\"")
                    + " (before Windows 10 2004: registry NameServer/SearchList under Tcpip"
                    + (family == Family.IPV6 ? "6" : "") + "\\Parameters\\Interfaces\\{GUID} + dnscache ParamChange)";
        }

        /** Comma-separated server literals, as SetInterfaceDnsSettings and the registry take them. */
        public String serverList() {
            return servers.stream().map(IpLiterals::format).collect(Collectors.joining(","));
        }

        @Override
        public String encode() {
            return "dns " + family.token() + " " + (servers.isEmpty() ? "-" : serverList()) + " "
                    + (searchDomains.isEmpty() ? "-" : String.join(",", searchDomains));
        }
    }

    /** Reads a line written by {@link #encode()}. */
    static NetOp decode(String line) {
        String[] t = line.strip().split(" ");
        try {
            return switch (t[0]) {
                case "interface" -> new SetInterface(family(t[1]), Integer.parseInt(t[2]),
                        t[3].equals("auto") ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(t[3])));
                case "address" -> new AddAddress(IpPrefix.parse(t[1]));
                case "route" -> new AddRoute(IpPrefix.parse(t[1]), Integer.parseInt(t[2]));
                case "dns" -> new SetDns(family(t[1]),
                        t[2].equals("-") ? List.of() : Arrays.stream(t[2].split(","))
                                .map(s -> IpLiterals.tryParse(s).orElseThrow()).toList(),
                        t[3].equals("-") ? List.of() : List.of(t[3].split(",")));
                default -> throw new IllegalArgumentException("unknown operation");
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad journal line: " + line, e);
        }
    }

    private static Family family(String token) {
        return Family.valueOf(token.toUpperCase(java.util.Locale.ROOT));
    }

    /** {@code address/prefix} with the address in RFC 5952 form. */
    static String text(IpPrefix n) {
        return IpLiterals.format(n.address()) + "/" + n.length();
    }
}
