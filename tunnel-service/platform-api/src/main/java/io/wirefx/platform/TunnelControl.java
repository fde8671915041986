package io.wirefx.platform;

import io.wirefx.core.config.Config;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * What the network configuration needs from the running tunnel (the engine), standing in for wg-quick's
 * {@code wg set IF fwmark T}, {@code wg show IF endpoints} and {@code wg showconf IF}.
 */
public interface TunnelControl {
    /** The name of the interface the driver opened (on macOS the {@code utunN} the kernel chose). */
    String interfaceName();


    /** Marks the tunnel's UDP packets with {@code mark} ({@code SO_MARK}) from now on. */
    void setFwmark(long mark) throws IOException;

    /**
     * Sends the tunnel's own UDP datagrams through these interfaces only, per family (Windows full tunnel:
     * {@code IP_UNICAST_IF}/{@code IPV6_UNICAST_IF} to the physical default interface, so handshakes cannot loop into
     * the tunnel's {@code /0}); 0 leaves that family as it is. The pin is kept when the engine rebinds.
     *
     * @throws UnsupportedOperationException where the tunnel cannot pin its sockets (the default)
     * @throws IOException                   when the OS refused
     */
    default void bindToInterface(int ipv4IfIndex, int ipv6IfIndex) throws IOException {
        throw new UnsupportedOperationException("this tunnel cannot pin its UDP sockets to an interface");
    }

    /** The peers' current endpoint addresses, for the automatic MTU. */
    List<InetAddress> endpointAddresses();

    /** The device's configuration as it is now (keys, port, fwmark, peers), for SaveConfig; empty if unknown. */
    default Optional<Config> currentConfig() {
        return Optional.empty();
    }
}
