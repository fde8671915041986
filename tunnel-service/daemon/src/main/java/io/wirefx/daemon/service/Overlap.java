package io.wirefx.daemon.service;

import io.wirefx.core.config.Config;
import io.wirefx.core.config.PeerConfig;
import io.wirefx.core.net.IpPrefix;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether two tunnels claim the same addresses: the interface addresses and every peer's allowed IPs (what becomes
 * routes) of one tunnel against those of the other. Two CIDR blocks of one family overlap exactly when the shorter
 * one contains the network address of the longer one. A full tunnel (0.0.0.0/0 or ::/0) therefore overlaps every
 * tunnel of that family.
 */
final class Overlap {
    private Overlap() {
    }

    /** The networks a configuration claims. */
    static List<IpPrefix> claims(Config c) {
        List<IpPrefix> out = new ArrayList<>(c.iface().addresses());
        for (PeerConfig p : c.peers()) {
            out.addAll(p.allowedIps());
        }
        return out;
    }

    static boolean overlaps(IpPrefix a, IpPrefix b) {
        if (a.isIpv4() != b.isIpv4()) {
            return false;
        }
        IpPrefix wide = a.length() <= b.length() ? a : b;
        IpPrefix narrow = wide == a ? b : a;
        return wide.masked().contains(narrow.address());
    }

    /** The first overlapping pair, as "mine (with theirs)", or empty. */
    static Optional<String> find(Config mine, Config theirs) {
        for (IpPrefix m : claims(mine)) {
            for (IpPrefix t : claims(theirs)) {
                if (overlaps(m, t)) {
                    return Optional.of(m + " overlaps " + t);
                }
            }
        }
        return Optional.empty();
    }
}
