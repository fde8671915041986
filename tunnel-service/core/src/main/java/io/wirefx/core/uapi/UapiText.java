package io.wirefx.core.uapi;

import io.wirefx.core.net.IpLiterals;
import io.wirefx.core.net.IpPrefix;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The UAPI spellings of prefixes, endpoints and numbers, with the acceptance rules of Go's {@code net/netip} and
 * {@code strconv} (what wireguard-go parses with). Addresses themselves go through {@link IpLiterals}; this class adds
 * only what UAPI spells differently: a prefix must carry its length, written without leading zeros, and an endpoint
 * may carry an IPv6 zone. Never resolves names; parsers return {@code null} on malformed input and never throw.
 */
final class UapiText {
    private UapiText() {}

    /** Go {@code netip.ParsePrefix}: {@code addr/bits}, no zone, bits without sign or leading zeros. */
    static IpPrefix parsePrefix(String s) {
        if (s == null) {
            return null;
        }
        int slash = s.lastIndexOf('/');
        if (slash < 0 || (s.length() - slash > 2 && s.charAt(slash + 1) == '0')) {
            return null;
        }
        return IpPrefix.tryParse(s).orElse(null);
    }

    /**
     * Go {@code netip.ParseAddrPort}: {@code a.b.c.d:port} or {@code [v6]:port}; brackets if and only if IPv6. A zone
     * is mapped to a scope id by {@code zoneIndex} (numeric zones are taken as they are).
     */
    static InetSocketAddress parseEndpoint(String s, Function<String, OptionalInt> zoneIndex) {
        if (s == null) {
            return null;
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            return null;
        }
        String host = s.substring(0, colon);
        boolean bracketed = host.charAt(0) == '[';
        if (bracketed) {
            if (host.length() < 2 || host.charAt(host.length() - 1) != ']') {
                return null;
            }
            host = host.substring(1, host.length() - 1);
        }
        long port = parseUnsigned(s.substring(colon + 1), 0xffff);
        String zone = null;
        int pct = host.indexOf('%');
        if (pct >= 0) {
            zone = host.substring(pct + 1);
            host = host.substring(0, pct);
        }
        Optional<InetAddress> addr = IpLiterals.tryParse(host);
        if (port < 0 || addr.isEmpty() || bracketed != addr.get() instanceof Inet6Address) {
            return null;
        }
        if (zone == null) {
            return new InetSocketAddress(addr.get(), (int) port);
        }
        if (zone.isEmpty() || !bracketed) {
            return null; // an empty zone, or a zone on an IPv4 address
        }
        int scope;
        long numeric = parseUnsigned(zone, Integer.MAX_VALUE);
        if (numeric >= 0) {
            scope = (int) numeric;
        } else {
            OptionalInt index = zoneIndex.apply(zone);
            if (index == null || index.isEmpty() || index.getAsInt() < 0) {
                return null;
            }
            scope = index.getAsInt();
        }
        try {
            return new InetSocketAddress(Inet6Address.getByAddress(null, addr.get().getAddress(), scope), (int) port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes, never thrown
        }
    }

    /** Go {@code strconv.ParseUint(s, 10, ...)} bounded by {@code max}: ASCII digits only; -1 if invalid. */
    static long parseUnsigned(String s, long max) {
        if (s.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
            if (value > max) {
                return -1;
            }
        }
        return value;
    }

    /** {@code a.b.c.d:port} or {@code [v6%zone]:port}; null for an unresolved address. */
    static String formatEndpoint(InetSocketAddress endpoint) {
        InetAddress address = endpoint.getAddress();
        if (address == null) {
            return null;
        }
        if (address instanceof Inet4Address) {
            return IpLiterals.format(address) + ":" + endpoint.getPort();
        }
        StringBuilder sb = new StringBuilder(64).append('[').append(IpLiterals.format(address));
        if (address instanceof Inet6Address v6) {
            NetworkInterface nif = v6.getScopedInterface();
            if (nif != null) {
                sb.append('%').append(nif.getName());
            } else if (v6.getScopeId() != 0) {
                sb.append('%').append(v6.getScopeId());
            }
        }
        return sb.append("]:").append(endpoint.getPort()).toString();
    }
}
