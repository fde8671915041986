package io.wirefx.daemon.interop;

/** WireFX on both ends. */
class WireFxPairTest extends TunnelCases {
    @Override
    Impl impl2() {
        return Impl.WIREFX;
    }
}
