package io.wirefx.platform;

/**
 * What a tunnel's network configuration does about traffic that does not go through it (the per-tunnel settings the
 * service keeps beside the configuration, reduced to what the platform needs).
 *
 * @param blockUntunneled for a full tunnel (an allowed IP of {@code /0}), drop every packet that would leave other
 *                        than through the tunnel, to a peer's endpoint, on loopback, DHCP or neighbour discovery
 *                        ("kill switch"); ignored for other tunnels
 * @param allowLan        with {@code blockUntunneled}, still allow the local network (private, link-local and
 *                        multicast ranges)
 */
public record TrafficPolicy(boolean blockUntunneled, boolean allowLan) {
    /** Nothing blocked. */
    public static final TrafficPolicy NONE = new TrafficPolicy(false, false);
}
