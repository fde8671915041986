package io.wirefx.platform.windows;

import io.wirefx.core.net.IpPrefix;
import io.wirefx.tun.windows.IpFamily;

import java.net.Inet4Address;
import java.net.InetAddress;

/** An IP address family with its Windows {@code AF_*} number. */
public enum Family {
    IPV4(IpFamily.AF_INET, "IPv4"),
    IPV6(IpFamily.AF_INET6, "IPv6");

    private final short af;
    private final String label;

    Family(short af, String label) {
        this.af = af;
        this.label = label;
    }

    /** {@code AF_INET} (2) or {@code AF_INET6} (23). */
    public short af() {
        return af;
    }

    public static Family of(InetAddress a) {
        return a instanceof Inet4Address ? IPV4 : IPV6;
    }

    public static Family of(IpPrefix n) {
        return n.isIpv4() ? IPV4 : IPV6;
    }

    /** {@code ipv4} or {@code ipv6} in journals. */
    String token() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return label;
    }
}
