package io.wirefx.platform.macos;

import io.wirefx.platform.CommandRunner;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the macOS network state the way wg-quick's {@code darwin.bash} reads it, only through {@code netstat -nr},
 * {@code ifconfig}, {@code route -n get} and {@code networksetup} (found on the search path, so stand-ins work on any
 * OS). Nothing here changes the system. The parsers are static so tests feed them recorded output.
 *
 * <p>One deliberate difference: {@code darwin.bash} takes the IPv4 {@code Netif} column as the 6th field, right for
 * {@code netstat} of macOS 10.14 and older (which printed Refs and Use) but empty since 10.15, where it then falls back
 * to 1500 − 80 for the MTU. This reads the column named {@code Netif} in the header, so the MTU really follows the
 * default interface, as wg-quick intends.
 */
final class DarwinState {

    private static final Pattern MTU = Pattern.compile("mtu (\\d+)");
    private static final Pattern ROUTE_GET_INTERFACE = Pattern.compile("(?m)^\\s*interface: (\\S+)\\s*$");

    private final CommandRunner runner;

    DarwinState(CommandRunner runner) {
        this.runner = runner;
    }

    /** The routing table rows of {@code netstat -nr -f inet|inet6}. */
    List<RouteRow> routes(boolean ipv6) throws IOException {
        return parseNetstat(runner.run(List.of("netstat", "-nr", "-f", ipv6 ? "inet6" : "inet")).stdout());
    }

    /** darwin.bash {@code collect_gateways}: the first {@code default} row whose gateway is not {@code link#N}. */
    Optional<String> defaultGateway(boolean ipv6) throws IOException {
        return defaultGateway(routes(ipv6));
    }

    static Optional<String> defaultGateway(List<RouteRow> rows) {
        return rows.stream()
                .filter(r -> r.destination().equals("default") && !r.gateway().startsWith("link#"))
                .map(RouteRow::gateway).findFirst();
    }

    /** darwin.bash {@code set_mtu}: the interface of the first IPv4 {@code default} row. */
    Optional<String> defaultInterface() throws IOException {
        return routes(false).stream().filter(r -> r.destination().equals("default"))
                .map(RouteRow::netif).filter(s -> !s.isEmpty()).findFirst();
    }

    /** The {@code mtu N} that {@code ifconfig IF} prints, or empty (no such interface, no number). */
    OptionalInt interfaceMtu(String iface) throws IOException {
        CommandRunner.CommandResult r = runner.run(List.of("ifconfig", iface));
        return r.succeeded() ? parseMtu(r.stdout()) : OptionalInt.empty();
    }

    /** Whether {@code ifconfig IF} knows the interface (the route monitor's check that the tunnel still exists). */
    boolean interfaceExists(String iface) throws IOException {
        return runner.run(List.of("ifconfig", iface)).succeeded();
    }

    static OptionalInt parseMtu(String ifconfig) {
        Matcher m = MTU.matcher(ifconfig);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /** The {@code interface:} line of {@code route -n get -inet|-inet6 PREFIX}, empty if there is no route. */
    Optional<String> routeInterface(boolean ipv6, String prefix) throws IOException {
        return parseRouteGet(runner.run(List.of("route", "-n", "get", ipv6 ? "-inet6" : "-inet", prefix)).stdout());
    }

    static Optional<String> parseRouteGet(String output) {
        Matcher m = ROUTE_GET_INTERFACE.matcher(output);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** {@code networksetup -listallnetworkservices}: the legend line skipped, a leading {@code *} (disabled) removed. */
    List<String> networkServices() throws IOException {
        return parseServices(runner.run(List.of("networksetup", "-listallnetworkservices")).stdout());
    }

    static List<String> parseServices(String output) {
        List<String> services = new ArrayList<>();
        List<String> lines = output.lines().toList();
        for (int i = 1; i < lines.size(); i++) { // darwin.bash: `read -r _` drops the first line, whatever it says
            String s = lines.get(i).strip();
            if (s.startsWith("*")) {
                s = s.substring(1);
            }
            if (!s.isEmpty()) {
                services.add(s);
            }
        }
        return services;
    }

    /** {@code networksetup -getdnsservers SERVICE}; see {@link #parseSetting}. */
    Optional<List<String>> dnsServers(String service) throws IOException {
        return parseSetting(runner.run(List.of("networksetup", "-getdnsservers", service)).stdout());
    }

    /** {@code networksetup -getsearchdomains SERVICE}; see {@link #parseSetting}. */
    Optional<List<String>> searchDomains(String service) throws IOException {
        return parseSetting(runner.run(List.of("networksetup", "-getsearchdomains", service)).stdout());
    }

    /**
     * A {@code networksetup -get…} reply as darwin.bash keeps it for the restore: empty if the reply is empty (then
     * darwin.bash leaves that service alone); {@code [Empty]} if it contains a space (a sentence such as
     * {@code There aren't any DNS Servers set on Wi-Fi.}); else one item per line.
     */
    static Optional<List<String>> parseSetting(String output) {
        String s = output.stripTrailing();
        if (s.isEmpty()) {
            return Optional.empty();
        }
        if (s.contains(" ")) {
            return Optional.of(List.of("Empty"));
        }
        return Optional.of(s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }

    /** One row of {@code netstat -nr}: destination, gateway and the {@code Netif} column (empty if absent). */
    record RouteRow(String destination, String gateway, String netif) {
    }

    /**
     * Parses {@code netstat -nr -f inet|inet6}: rows after the header line that starts with {@code Destination}; the
     * {@code Netif} column is found by its header position (fields before it are never blank).
     */
    static List<RouteRow> parseNetstat(String output) {
        List<RouteRow> rows = new ArrayList<>();
        int netifColumn = -1;
        for (String line : output.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 0 || f[0].isEmpty()) {
                continue;
            }
            if (f[0].equals("Destination")) {
                netifColumn = List.of(f).indexOf("Netif");
                continue;
            }
            if (netifColumn < 0 || f.length < 2) {
                continue; // "Routing tables", "Internet:", or rows before any header
            }
            rows.add(new RouteRow(f[0], f[1], netifColumn < f.length ? f[netifColumn] : ""));
        }
        return rows;
    }
}
