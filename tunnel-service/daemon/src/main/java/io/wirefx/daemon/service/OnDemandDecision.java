package io.wirefx.daemon.service;

import io.wirefx.ipc.OnDemandRules;
import io.wirefx.platform.NetworkMonitor.Connection;
import io.wirefx.platform.NetworkMonitor.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a tunnel's {@link OnDemandRules} ask for on a set of active connections, and why (for the log).
 *
 * <p>The rules of {@link OnDemandRules} are written for one network; with several (wired and Wi-Fi at once) the
 * tunnel is wanted up when <em>any</em> Wi-Fi or wired connection asks for it: traffic may leave through any of
 * them, so an untrusted Wi-Fi beside a trusted one still starts the tunnel. Connections of another kind (loopback,
 * VPNs, bridges, tunnels such as WireFX's own) neither start nor stop anything. An SSID that is not valid UTF-8
 * (it contains {@link io.wirefx.platform.NetworkMonitor#NOT_UTF8}) is never trusted.
 *
 * @param up     whether the tunnel should run
 * @param reason for the log: the connection that decided, e.g. {@code joined Wi-Fi 'Cafe' (untrusted)}
 */
public record OnDemandDecision(boolean up, String reason) {

    /** The decision for {@code rules} (which must be {@link OnDemandRules#enabled() enabled}) on {@code active}. */
    public static OnDemandDecision decide(OnDemandRules rules, List<Connection> active) {
        Objects.requireNonNull(rules, "rules");
        List<String> notUp = new ArrayList<>();
        for (Connection c : active) {
            switch (c.kind()) {
                case WIRED -> {
                    if (rules.onWired()) {
                        return new OnDemandDecision(true, "on " + c.describe());
                    }
                    notUp.add(c.describe() + " (no wired rule)");
                }
                case WIFI -> {
                    if (trusted(rules, c)) {
                        notUp.add(c.describe() + " (trusted)");
                    } else if (rules.onWifi()) {
                        return new OnDemandDecision(true, "on " + c.describe() + " (untrusted)");
                    } else {
                        notUp.add(c.describe() + " (no Wi-Fi rule)");
                    }
                }
                case OTHER -> { }
            }
        }
        return new OnDemandDecision(false, notUp.isEmpty() ? "no Wi-Fi or wired network" : "on " + String.join(", ", notUp));
    }

    static boolean trusted(OnDemandRules rules, Connection c) {
        if (c.kind() != Kind.WIFI || c.ssid().isEmpty()) {
            return false;
        }
        String ssid = c.ssid().get();
        return ssid.indexOf(io.wirefx.platform.NetworkMonitor.NOT_UTF8) < 0 && rules.trustedSsids().contains(ssid);
    }
}
