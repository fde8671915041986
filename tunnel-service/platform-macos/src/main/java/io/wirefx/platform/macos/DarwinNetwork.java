package io.wirefx.platform.macos;

import io.wirefx.core.config.Config;
import io.wirefx.core.config.Interface;
import io.wirefx.core.config.PeerConfig;
import io.wirefx.core.config.Table;
import io.wirefx.core.net.IpLiterals;
import io.wirefx.core.net.IpPrefix;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One tunnel's macOS network configuration with the semantics of wg-quick's {@code darwin.bash}, step by step:
 * PreUp hooks, addresses ({@code ifconfig IF inet A/len A alias}, {@code ifconfig IF inet6 A/len alias}), the MTU
 * (the config's, else the default interface's minus 80, 1500 − 80 when unknown, set only if it differs), link up,
 * one route per allowed IP (longest prefix first, as {@code sort -nr -k 2 -t /} orders them; skipped when
 * {@code route -n get} already names the tunnel; {@code Table = off} adds none; a {@code /0} with
 * {@code Table = auto} becomes the two halves plus host routes to the endpoints via the default gateway or a
 * blackhole), DNS per network service (saved, set, restored on undo), PostUp hooks; and
 * {@link #networkChanged()}, what darwin.bash's route monitor does after every routing message.
 *
 * <p>Changes go to {@link Changes} (journaled, then run, or printed by a dry run's runner); state is read through
 * {@link DarwinState}. Deliberate differences from darwin.bash: the default interface is found by the header of
 * {@code netstat} (see {@link DarwinState}); an endpoint route is only added or deleted in the family of the
 * endpoint's address (darwin.bash would try {@code -inet} for an IPv6 endpoint when only IPv4 is full-tunnel, a
 * command that fails); network services are handled in the order {@code networksetup} lists them (bash walks its
 * associative array in hash order).
 */
final class DarwinNetwork {

    /** Where the changes go: {@link MacTunnelNetwork} journals each undoable one, then runs it. */
    interface Changes {
        /**
         * Makes one change; {@code undo} (may be null) is journaled before the command runs.
         *
         * @return whether the command succeeded (darwin.bash ignores the failure of some, e.g. endpoint routes)
         */
        boolean change(List<String> argv, MacJournal.Entry undo) throws IOException;

        /** The change {@code entry} stands for was undone by a command run through {@link #change}: drop it. */
        void forget(MacJournal.Entry entry) throws IOException;

        /** Runs a PreUp/PostUp/PreDown/PostDown hook, already expanded ({@code %i}, {@code %I}), with bash. */
        void hook(String command) throws IOException;
    }

    /** What darwin.bash subtracts darwin.bash subtracts from the default interface's MTU. */
    static final int MTU_OVERHEAD = 80;
    static final int FALLBACK_MTU = 1500;

    private final String tunnelName;
    private final Interface iface;
    private final List<IpPrefix> routes;
    private final List<String> dns;
    private final List<String> dnsSearch;
    private final DarwinState state;
    private final Changes host;

    private String realInterface;
    private Supplier<List<InetAddress>> endpointSource = List::of;
    private boolean autoRoute4;
    private boolean autoRoute6;
    private List<String> endpoints = List.of();
    private String gateway4 = "";
    private String gateway6 = "";
    private final Map<String, List<String>> serviceDns = new LinkedHashMap<>();
    private final Map<String, List<String>> serviceDnsSearch = new LinkedHashMap<>();

    /**
     * @throws IllegalArgumentException if the config's {@code Table} is not {@code auto}, {@code main} or
     *                                  {@code off} (darwin.bash: "Darwin only supports TABLE=auto|main|off")
     */
    DarwinNetwork(Config config, String tunnelName, DarwinState state, Changes host) {
        this.tunnelName = tunnelName;
        this.iface = config.iface();
        Table t = iface.table();
        if (t != Table.AUTO && t != Table.MAIN && t != Table.OFF) {
            throw new IllegalArgumentException("macOS only supports Table = auto, main or off, not " + t.text());
        }
        this.routes = sortedRoutes(config.peers());
        this.dns = iface.dnsServers().stream().map(IpLiterals::format).toList();
        this.dnsSearch = List.copyOf(iface.dnsSearchDomains());
        this.state = state;
        this.host = host;
    }

    /**
     * The allowed IPs of all peers as the kernel keeps them (host bits cleared, each once), in the order of
     * darwin.bash's {@code sort -nr -k 2 -t /}: longest prefix first; equal lengths in reverse byte order of the text
     * (sort's last-resort comparison, reversed by {@code -r}).
     */
    static List<IpPrefix> sortedRoutes(List<PeerConfig> peers) {
        Set<IpPrefix> all = new LinkedHashSet<>();
        for (PeerConfig p : peers) {
            for (IpPrefix n : p.allowedIps()) {
                all.add(n.masked());
            }
        }
        return all.stream()
                .sorted(Comparator.comparingInt(IpPrefix::length).reversed()
                        .thenComparing(IpPrefix::toString, Comparator.reverseOrder()))
                .toList();
    }

    /** The interface configured by {@link #up}, or null before. */
    String realInterface() {
        return realInterface;
    }

    boolean fullTunnel() {
        return autoRoute4 || autoRoute6;
    }

    boolean hasDns() {
        return !dns.isEmpty();
    }

    boolean hasConfiguredMtu() {
        return iface.mtu().isPresent();
    }

    /** darwin.bash {@code cmd_up} after the interface exists, up to (not including) the route monitor and PostUp. */
    void up(String utun, Supplier<List<InetAddress>> endpointAddresses) throws IOException {
        this.realInterface = utun;
        this.endpointSource = endpointAddresses;
        hooks(iface.preUp());
        for (IpPrefix a : iface.addresses()) {
            String text = a.toString();
            if (a.isIpv6()) {
                host.change(List.of("ifconfig", utun, "inet6", text, "alias"), null);
            } else {
                host.change(List.of("ifconfig", utun, "inet", text, IpLiterals.format(a.address()), "alias"), null);
            }
        }
        setMtu();
        host.change(List.of("ifconfig", utun, "up"), null);
        for (IpPrefix r : routes) {
            addRoute(r);
        }
        if (fullTunnel()) {
            setEndpointDirectRoute();
        }
        if (hasDns()) {
            setDns();
        }
    }

    /** The PostUp hooks (after the route monitor started). */
    void postUp() throws IOException {
        hooks(iface.postUp());
    }

    void preDown() throws IOException {
        hooks(iface.preDown());
    }

    void postDown() throws IOException {
        hooks(iface.postDown());
    }

    /**
     * What darwin.bash's monitor does for one {@code RTM_*} message: nothing once the interface is gone (returns
     * false: the monitor ends), else re-apply the endpoint routes (full tunnel), the automatic MTU (no {@code MTU} in
     * the config) and DNS (if the config has servers).
     */
    boolean networkChanged() throws IOException {
        if (!state.interfaceExists(realInterface)) {
            return false;
        }
        if (fullTunnel()) {
            setEndpointDirectRoute();
        }
        if (!hasConfiguredMtu()) {
            setMtu();
        }
        if (hasDns()) {
            setDns();
        }
        return true;
    }

    /** darwin.bash {@code set_mtu}. */
    void setMtu() throws IOException {
        OptionalInt configured = iface.mtu();
        if (configured.isPresent()) {
            host.change(List.of("ifconfig", realInterface, "mtu", Integer.toString(configured.getAsInt())), null);
            return;
        }
        int mtu = 0;
        Optional<String> defaultIf = state.defaultInterface();
        if (defaultIf.isPresent()) {
            mtu = state.interfaceMtu(defaultIf.get()).orElse(0);
        }
        if (mtu <= 0) {
            mtu = FALLBACK_MTU;
        }
        mtu -= MTU_OVERHEAD;
        OptionalInt current = state.interfaceMtu(realInterface);
        if (current.isEmpty() || current.getAsInt() != mtu) {
            host.change(List.of("ifconfig", realInterface, "mtu", Integer.toString(mtu)), null);
        }
    }

    /** darwin.bash {@code add_route}. */
    private void addRoute(IpPrefix prefix) throws IOException {
        Table table = iface.table();
        if (table == Table.OFF) {
            return;
        }
        boolean v6 = prefix.isIpv6();
        if (prefix.length() == 0 && table == Table.AUTO) {
            List<String> halves = v6 ? List.of("::/1", "8000::/1") : List.of("0.0.0.0/1", "128.0.0.0/1");
            if (v6) {
                autoRoute6 = true;
            } else {
                autoRoute4 = true;
            }
            for (String half : halves) {
                routeAdd(v6, half);
            }
            return;
        }
        String text = prefix.toString();
        if (state.routeInterface(v6, text).filter(realInterface::equals).isEmpty()) {
            routeAdd(v6, text);
        }
    }

    private void routeAdd(boolean v6, String prefix) throws IOException {
        if (!host.change(List.of("route", "-q", "-n", "add", v6 ? "-inet6" : "-inet", prefix, "-interface",
                realInterface), new MacJournal.Route(v6, prefix, realInterface))) {
            throw new IOException("route -q -n add " + (v6 ? "-inet6 " : "-inet ") + prefix + " -interface "
                    + realInterface + " failed");
        }
    }

    /** darwin.bash {@code set_endpoint_direct_route}, with {@code collect_gateways} and {@code collect_endpoints}. */
    private void setEndpointDirectRoute() throws IOException {
        List<String> oldEndpoints = new ArrayList<>(endpoints);
        String oldGateway4 = gateway4;
        String oldGateway6 = gateway6;
        gateway4 = state.defaultGateway(false).orElse("");
        gateway6 = state.defaultGateway(true).orElse("");
        List<String> current = endpointSource.get().stream().map(IpLiterals::format).distinct().toList();
        boolean removeAllOld = !oldGateway4.equals(gateway4) || !oldGateway6.equals(gateway6);
        if (removeAllOld) {
            for (String e : current) {
                if (!oldEndpoints.contains(e)) {
                    oldEndpoints.add(e);
                }
            }
        }
        for (String e : oldEndpoints) {
            if (!removeAllOld && current.contains(e)) {
                continue;
            }
            boolean v6 = e.contains(":");
            if (v6 ? autoRoute6 : autoRoute4) {
                MacJournal.EndpointRoute entry = new MacJournal.EndpointRoute(v6, e);
                host.change(List.of("route", "-q", "-n", "delete", v6 ? "-inet6" : "-inet", e), null);
                host.forget(entry);
            }
        }
        List<String> added = new ArrayList<>();
        for (String e : current) {
            if (!removeAllOld && oldEndpoints.contains(e)) {
                added.add(e);
                continue;
            }
            boolean v6 = e.contains(":");
            if (!(v6 ? autoRoute6 : autoRoute4)) {
                continue;
            }
            String gateway = v6 ? gateway6 : gateway4;
            List<String> argv = gateway.isEmpty()
                    ? List.of("route", "-q", "-n", "add", v6 ? "-inet6" : "-inet", e, v6 ? "::1" : "127.0.0.1",
                    "-blackhole") // no gateway: keep the endpoint's packets out of the tunnel (no loop)
                    : List.of("route", "-q", "-n", "add", v6 ? "-inet6" : "-inet", e, "-gateway", gateway);
            host.change(argv, new MacJournal.EndpointRoute(v6, e)); // a failure is ignored, as in darwin.bash
            added.add(e);
        }
        endpoints = List.copyOf(added);
    }

    /** darwin.bash {@code collect_new_service_dns} + {@code set_dns}. */
    void setDns() throws IOException {
        List<String> services = state.networkServices();
        for (String service : services) {
            if (serviceDns.containsKey(service)) {
                continue;
            }
            Optional<List<String>> servers = state.dnsServers(service);
            servers.ifPresent(s -> serviceDns.put(service, s));
            Optional<List<String>> search = state.searchDomains(service);
            search.ifPresent(s -> serviceDnsSearch.put(service, s));
        }
        serviceDns.keySet().retainAll(services);
        serviceDnsSearch.keySet().retainAll(services);
        for (String service : serviceDns.keySet()) {
            MacJournal.Dns saved = new MacJournal.Dns(service, serviceDns.get(service),
                    serviceDnsSearch.getOrDefault(service, List.of()));
            List<String> setServers = new ArrayList<>(List.of("networksetup", "-setdnsservers", service));
            setServers.addAll(dns);
            host.change(setServers, saved);
            List<String> setSearch = new ArrayList<>(List.of("networksetup", "-setsearchdomains", service));
            setSearch.addAll(dnsSearch.isEmpty() ? List.of("Empty") : dnsSearch);
            host.change(setSearch, null);
        }
    }

    private void hooks(List<String> commands) throws IOException {
        for (String c : commands) {
            host.hook(c.replace("%i", realInterface).replace("%I", tunnelName));
        }
    }
}
