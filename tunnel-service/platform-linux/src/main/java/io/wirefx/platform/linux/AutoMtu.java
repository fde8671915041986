package io.wirefx.platform.linux;

import io.wirefx.core.net.IpLiterals;
import io.wirefx.platform.CommandRunner;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wg-quick's automatic MTU on Linux: the MTU of the path to the peers' endpoints ({@code ip route get ADDR} shows
 * {@code mtu N}, or else the MTU of the route's device from {@code ip link show}), otherwise the default route's,
 * otherwise 1500; minus {@value #OVERHEAD}.
 *
 * <p>Deviation: with several endpoints this takes the <em>smallest</em> path MTU (wg-quick's script takes the
 * largest); the smallest never makes the tunnel's packets too big for any of the paths.
 */
public final class AutoMtu {
    /** What wg-quick subtracts: IPv6 (40) + UDP (8) + WireGuard header (16) + tag (16). */
    public static final int OVERHEAD = 80;
    /** Path MTU assumed when nothing can be learned. */
    public static final int FALLBACK_PATH_MTU = 1500;

    private static final Pattern MTU = Pattern.compile("(?:^|\\s)mtu\\s+(?:lock\\s+)?(\\d+)");
    private static final Pattern DEV = Pattern.compile("(?:^|\\s)dev\\s+(\\S+)");

    private AutoMtu() {
    }

    /**
     * Computes the interface MTU.
     *
     * @param endpoints the peers' endpoint addresses (those with an endpoint)
     */
    public static int compute(CommandRunner runner, List<InetAddress> endpoints) throws IOException {
        int best = 0;
        for (InetAddress ep : endpoints) {
            CommandRunner.CommandResult r = runner.run(List.of("ip", "route", "get", IpLiterals.format(ep)));
            if (!r.succeeded()) {
                continue;
            }
            OptionalInt m = mtuOfRoute(runner, r.stdout());
            if (m.isPresent() && (best == 0 || m.getAsInt() < best)) {
                best = m.getAsInt();
            }
        }
        if (best == 0) {
            CommandRunner.CommandResult r = runner.run(List.of("ip", "route", "show", "default"));
            if (r.succeeded()) {
                String first = r.stdout().lines().findFirst().orElse("");
                best = mtuOfRoute(runner, first).orElse(0);
            }
        }
        if (best == 0) {
            best = FALLBACK_PATH_MTU;
        }
        return best - OVERHEAD;
    }

    /** The route's own {@code mtu N}, or the MTU of its {@code dev}, or empty. */
    static OptionalInt mtuOfRoute(CommandRunner runner, String routeText) throws IOException {
        OptionalInt own = parseMtu(routeText);
        if (own.isPresent()) {
            return own;
        }
        Optional<String> dev = parseDev(routeText);
        if (dev.isEmpty()) {
            return OptionalInt.empty();
        }
        CommandRunner.CommandResult link = runner.run(List.of("ip", "link", "show", "dev", dev.get()));
        return link.succeeded() ? parseMtu(link.stdout()) : OptionalInt.empty();
    }

    /** The number after {@code mtu} (or {@code mtu lock}) in {@code ip} output. */
    public static OptionalInt parseMtu(String text) {
        Matcher m = MTU.matcher(text);
        if (!m.find()) {
            return OptionalInt.empty();
        }
        try {
            int v = Integer.parseInt(m.group(1));
            return v > 0 ? OptionalInt.of(v) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** The word after {@code dev} in {@code ip route} output. */
    public static Optional<String> parseDev(String text) {
        Matcher m = DEV.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
