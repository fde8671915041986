package io.wirefx.engine.bind;

import io.wirefx.engine.bind.linux.LinuxUdpBind;

import java.io.IOException;

/** Picks the best {@link UdpBind} for this platform. */
public final class UdpBinds {
    private UdpBinds() {
    }

    /**
     * Opens a bind on {@code port} (0 = any free port): {@link LinuxUdpBind} where its native bindings load,
     * {@link NioUdpBind} elsewhere.
     */
    public static UdpBind open(int port) throws IOException {
        return LinuxUdpBind.isAvailable() ? LinuxUdpBind.open(port) : NioUdpBind.open(port);
    }

    /** The default factory ({@link #open(int)}). */
    public static UdpBind.Factory defaultFactory() {
        return UdpBinds::open;
    }
}
