package io.wirefx.platform;

import io.wirefx.core.config.Config;
import io.wirefx.core.config.InetEndpoint;
import io.wirefx.core.config.PeerConfig;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The tunnel as a dry run sees it: no engine, the configured endpoints resolved as the engine would resolve them
 * (an unresolvable host name is left out), and socket options printed as {@code #} notes.
 */
public record PlannedTunnel(String interfaceName, List<InetAddress> endpointAddresses, Consumer<String> notes)
        implements TunnelControl {
    public PlannedTunnel {
        Objects.requireNonNull(interfaceName, "interfaceName");
        endpointAddresses = List.copyOf(endpointAddresses);
        Objects.requireNonNull(notes, "notes");
    }

    /** The planned tunnel of {@code config} on {@code interfaceName}. */
    public static PlannedTunnel of(String interfaceName, Config config, Consumer<String> notes) {
        List<InetAddress> out = new ArrayList<>();
        for (PeerConfig p : config.peers()) {
            p.endpoint().flatMap(PlannedTunnel::resolve).ifPresent(out::add);
        }
        return new PlannedTunnel(interfaceName, out, notes);
    }

    private static Optional<InetAddress> resolve(InetEndpoint e) {
        Optional<InetAddress> literal = e.literalAddress();
        if (literal.isPresent()) {
            return literal;
        }
        try {
            return Optional.of(InetAddress.getByName(e.host()));
        } catch (UnknownHostException ex) {
            return Optional.empty();
        }
    }

    @Override
    public void setFwmark(long mark) {
        notes.accept("# setsockopt SO_MARK " + mark + " on the tunnel's UDP sockets (wg set " + interfaceName
                + " fwmark " + mark + ")");
    }
}
