package io.wirefx.platform.windows;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Computes the IP Helper operations that bring a tunnel's adapter up, in order: per family the interface settings
 * (so no DAD transmits happen for the addresses), then the addresses, the routes and DNS. A full-tunnel family gets
 * interface metric 0 with the automatic metric off, so its {@code /0} route wins over the physical default route
 * (as wireguard-windows does); other families keep the automatic metric. IPv6 is configured only where the tunnel
 * uses it and the MTU allows it (at least 1280).
 */
public final class NetworkPlanner {

    /** Smallest MTU IPv6 accepts. */
    static final int IPV6_MIN_MTU = 1280;

    private NetworkPlanner() {
    }

    /** The operations for {@code spec}. */
    public static List<NetOp> operations(WindowsTunnelSpec spec) {
        List<NetOp> ops = new ArrayList<>();
        for (Family f : Family.values()) {
            if (!spec.uses(f) || (f == Family.IPV6 && spec.mtu() < IPV6_MIN_MTU)) {
                continue;
            }
            ops.add(new NetOp.SetInterface(f, spec.mtu(),
                    spec.fullTunnel(f) ? OptionalInt.of(0) : OptionalInt.empty()));
        }
        spec.addresses().stream().filter(a -> usable(spec, Family.of(a)))
                .forEach(a -> ops.add(new NetOp.AddAddress(a)));
        spec.routes().stream().filter(r -> usable(spec, Family.of(r)))
                .forEach(r -> ops.add(new NetOp.AddRoute(r, WindowsTunnelSpec.ROUTE_METRIC)));
        List<InetAddress> v4 = spec.dnsServers().stream().filter(a -> Family.of(a) == Family.IPV4).toList();
        List<InetAddress> v6 = spec.dnsServers().stream().filter(a -> Family.of(a) == Family.IPV6).toList();
        boolean searchOnV4 = !v4.isEmpty() || v6.isEmpty();
        if (!v4.isEmpty() || (!spec.searchDomains().isEmpty() && searchOnV4)) {
            ops.add(new NetOp.SetDns(Family.IPV4, v4, spec.searchDomains()));
        }
        if (!v6.isEmpty() && usable(spec, Family.IPV6)) {
            ops.add(new NetOp.SetDns(Family.IPV6, v6, spec.searchDomains()));
        }
        return ops;
    }

    private static boolean usable(WindowsTunnelSpec spec, Family f) {
        return f == Family.IPV4 || spec.mtu() >= IPV6_MIN_MTU;
    }
}
