package io.wirefx.tun.windows;

/** Windows address-family numbers (ws2def.h), which differ from Linux's and macOS's for IPv6. */
public final class IpFamily {

    /** {@code AF_UNSPEC}. */
    public static final short AF_UNSPEC = 0;
    /** {@code AF_INET}. */
    public static final short AF_INET = 2;
    /** {@code AF_INET6} on Windows (10 on Linux, 30 on macOS). */
    public static final short AF_INET6 = 23;

    private IpFamily() {
    }
}
