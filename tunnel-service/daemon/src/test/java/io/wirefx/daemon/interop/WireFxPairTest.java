package io.wirefx.daemon.interop;

import java.util.stream.IntStream;

/** WireFX on both ends. */
class WireFxPairTest extends TunnelCases {
    @Override
    Impl impl2() {
        return Impl.WIREFX;
    }

    /** Both ends are the same implementation: one role of each symmetric case is enough. */
    static IntStream roles() {
        return IntStream.of(1);
    }

    /** The 50 MB transfers between two WireFX nodes run in the heavy suite. */
    @Override
    long defaultTransferBytes() {
        return 16L << 20;
    }
}
