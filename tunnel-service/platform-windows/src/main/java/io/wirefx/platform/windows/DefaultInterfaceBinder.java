package io.wirefx.platform.windows;

import java.io.IOException;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Full tunnel without routing loops, as wireguard-windows does it: the WireGuard UDP socket is pinned to the current
 * default interface ({@code IP_UNICAST_IF} / {@code IPV6_UNICAST_IF}), so its datagrams to the peer leave through the
 * physical interface even though the tunnel's {@code /0} route has the lower metric. The default interface is the
 * interface, other than the tunnel, of the up {@code /0} route with the lowest route-plus-interface metric. Every
 * route change ({@code NotifyRouteChange2}) re-checks it and re-pins when it changed (Wi-Fi to Ethernet, VPN of
 * another vendor); the callback only hands the work to {@code executor}.
 *
 * <p>When no default interface is left, the pin is kept: unpinning (index 0) would send the handshakes into the
 * tunnel itself.
 */
public final class DefaultInterfaceBinder implements AutoCloseable {

    /** Sets the pin on the WireGuard socket(s). */
    @FunctionalInterface
    public interface SocketPin {
        /** Pins {@code family}'s socket to interface {@code interfaceIndex}. */
        void pin(Family family, int interfaceIndex) throws IOException;
    }

    private final NetworkApi api;
    private final long tunnelLuid;
    private final SocketPin pin;
    private final Executor executor;
    private final Consumer<String> log;
    private final Map<Family, Integer> pinned = new EnumMap<>(Family.class);
    private AutoCloseable subscription;

    public DefaultInterfaceBinder(NetworkApi api, long tunnelLuid, SocketPin pin, Executor executor,
                                  Consumer<String> log) {
        this.api = Objects.requireNonNull(api);
        this.tunnelLuid = tunnelLuid;
        this.pin = Objects.requireNonNull(pin);
        this.executor = Objects.requireNonNull(executor);
        this.log = Objects.requireNonNull(log);
    }

    /** Pins now and follows route changes from then on. */
    public synchronized void start() throws IOException {
        rebind();
        subscription = api.onRouteChange(() -> executor.execute(this::rebindQuietly));
    }

    /** The default interface of {@code family} other than the tunnel, if any. */
    public static Optional<NetworkApi.DefaultRoute> defaultInterface(NetworkApi api, Family family, long tunnelLuid)
            throws WindowsException {
        return api.defaultRoutes(family).stream()
                .filter(r -> r.interfaceLuid() != tunnelLuid && r.interfaceUp())
                .min(Comparator.comparingInt(NetworkApi.DefaultRoute::metric));
    }

    /** Re-checks both families and re-pins where the default interface changed. */
    public synchronized void rebind() throws IOException {
        for (Family f : Family.values()) {
            Optional<NetworkApi.DefaultRoute> best = defaultInterface(api, f, tunnelLuid);
            if (best.isEmpty()) {
                continue;
            }
            int index = best.get().interfaceIndex();
            Integer current = pinned.get(f);
            if (current == null || current != index) {
                pin.pin(f, index);
                pinned.put(f, index);
                log.accept("WireGuard socket (" + f + ") pinned to interface index " + index);
            }
        }
    }

    private void rebindQuietly() {
        try {
            rebind();
        } catch (IOException | RuntimeException e) {
            log.accept("re-pinning the WireGuard socket failed: " + e.getMessage());
        }
    }

    /** The interface index each family is pinned to now. */
    public synchronized Map<Family, Integer> pinned() {
        return Map.copyOf(pinned);
    }

    /** Stops following route changes (the pin stays until the socket closes). */
    @Override
    public synchronized void close() throws Exception {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }
}
