package io.wirefx.tun.windows;

import java.io.IOException;

/**
 * The IP-layer MTU of an interface ({@code NlMtu} of its {@code MIB_IPINTERFACE_ROW}s). Wintun adapters have no MTU of
 * their own: the IP stack's per-family value is the MTU. {@link IpHelper} implements it; tests use a map.
 */
public interface InterfaceMtu {

    /** The IPv4 MTU of the interface. */
    int get(long luid) throws IOException;

    /** Sets the MTU for IPv4, and for IPv6 where it is at least 1280 and IPv6 is enabled on the interface. */
    void set(long luid, int mtu) throws IOException;
}
