package io.wirefx.platform.windows;

import io.wirefx.core.config.Config;
import io.wirefx.core.config.InetEndpoint;
import io.wirefx.core.net.IpPrefix;
import io.wirefx.core.config.PeerConfig;
import io.wirefx.core.config.Table;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one tunnel needs from Windows networking, taken from its config: addresses, routes, MTU, DNS, and whether it is
 * a full tunnel (a peer with {@code 0.0.0.0/0} or {@code ::/0} and routes on), which turns on the socket pinning that
 * avoids routing loops and makes the kill switch possible.
 *
 * @param tunnelName    the tunnel (adapter) name
 * @param addresses     the interface addresses, as written (host bits kept)
 * @param routes        AllowedIPs of all peers, host bits cleared, duplicates removed, in config order; empty when
 *                      {@code Table = off}
 * @param mtu           the MTU ({@code MTU =} or {@link #DEFAULT_MTU})
 * @param dnsServers    {@code DNS =} addresses
 * @param searchDomains {@code DNS =} names
 * @param endpoints     peer endpoints given as literals (for the kill switch's view of the WireGuard socket)
 */
public record WindowsTunnelSpec(String tunnelName, List<IpPrefix> addresses, List<IpPrefix> routes, int mtu,
                                List<InetAddress> dnsServers, List<String> searchDomains,
                                List<InetEndpoint> endpoints) {

    /** MTU when the config names none (WireGuard's usual 1420; wireguard-go forces it on Windows too). */
    public static final int DEFAULT_MTU = 1420;
    /** Route metric of every tunnel route (wireguard-windows uses 0; the interface metric then decides). */
    public static final int ROUTE_METRIC = 0;

    public WindowsTunnelSpec {
        Objects.requireNonNull(tunnelName, "tunnelName");
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
        dnsServers = List.copyOf(dnsServers);
        searchDomains = List.copyOf(searchDomains);
        endpoints = List.copyOf(endpoints);
    }

    /** The spec of tunnel {@code name} with config {@code config}. */
    public static WindowsTunnelSpec from(String name, Config config) {
        Set<IpPrefix> routes = new LinkedHashSet<>();
        List<InetEndpoint> endpoints = new ArrayList<>();
        for (PeerConfig p : config.peers()) {
            if (config.iface().table() != Table.OFF) {
                p.allowedIps().forEach(a -> routes.add(a.masked()));
            }
            p.endpoint().ifPresent(endpoints::add);
        }
        return new WindowsTunnelSpec(name, config.iface().addresses(), List.copyOf(routes),
                config.iface().mtu().orElse(DEFAULT_MTU), config.iface().dnsServers(),
                config.iface().dnsSearchDomains(), endpoints);
    }

    /** Whether traffic of {@code family} goes through the tunnel by default (a {@code /0} route). */
    public boolean fullTunnel(Family family) {
        return routes.stream().anyMatch(r -> r.length() == 0 && Family.of(r) == family);
    }

    /** Whether any family is a full tunnel: the kill switch applies (wireguard-windows' rule). */
    public boolean fullTunnel() {
        return fullTunnel(Family.IPV4) || fullTunnel(Family.IPV6);
    }

    /** Whether the adapter carries {@code family} at all (an address or a route of it). */
    public boolean uses(Family family) {
        return addresses.stream().anyMatch(a -> Family.of(a) == family)
                || routes.stream().anyMatch(r -> Family.of(r) == family);
    }
}
