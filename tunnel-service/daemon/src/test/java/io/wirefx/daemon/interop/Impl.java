package io.wirefx.daemon.interop;

/** A WireGuard userspace implementation that serves the UAPI socket. */
enum Impl {
    /** WireFX through {@code bin/wirefx-userspace -f}. */
    WIREFX,
    /** Debian's {@code wireguard-go -f}. */
    WIREGUARD_GO
}
