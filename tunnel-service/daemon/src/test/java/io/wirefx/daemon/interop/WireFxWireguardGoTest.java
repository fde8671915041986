package io.wirefx.daemon.interop;

/** WireFX (node 1) with Debian's wireguard-go (node 2), both configured with stock {@code wg}. */
class WireFxWireguardGoTest extends TunnelCases {
    @Override
    Impl impl2() {
        return Impl.WIREGUARD_GO;
    }
}
