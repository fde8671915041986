package io.wirefx.daemon.interop;

import org.junit.jupiter.api.Tag;

/**
 * The same cases with wireguard-go on both ends: checks the harness itself (namespaces, tools, the roaming recipe),
 * so that a failure of the WireFX classes can be told apart from a broken environment. Heavy: it tests no WireFX code.
 */
@Tag("heavy")
class WireguardGoBaselineTest extends TunnelCases {
    @Override
    Impl impl1() {
        return Impl.WIREGUARD_GO;
    }

    @Override
    Impl impl2() {
        return Impl.WIREGUARD_GO;
    }
}
