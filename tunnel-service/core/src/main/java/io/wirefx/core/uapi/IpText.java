package io.wirefx.core.uapi;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Numeric IP literals as UAPI uses them, with the acceptance rules of Go's {@code net/netip} (what wireguard-go
 * parses with). Never resolves names. Parsers return {@code null} on any malformed input and never throw.
 */
final class IpText {
    private IpText() {}

    /** A parsed address: 4 or 16 bytes, plus the zone text after {@code %} (IPv6 only, else null). */
    record Parsed(byte[] bytes, String zone) {}

    /** Builds an address without any lookup; 16 bytes always give an IPv6 address, even IPv4-mapped ones. */
    static InetAddress toAddress(byte[] bytes) {
        return toAddress(bytes, -1);
    }

    private static InetAddress toAddress(byte[] bytes, int scopeId) {
        try {
            if (bytes.length == 4) {
                return InetAddress.getByAddress(null, bytes);
            }
            // InetAddress.getByAddress would turn ::ffff:a.b.c.d into an Inet4Address; this overload does not.
            return Inet6Address.getByAddress(null, bytes, scopeId);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address must be 4 or 16 bytes", e);
        }
    }

    /** Go {@code netip.ParseAddr}: dotted IPv4 or IPv6 (with optional {@code %zone}). */
    static Parsed parseAddr(String s) {
        for (int i = 0; i < s.length(); i++) {
            switch (s.charAt(i)) {
                case '.' -> {
                    byte[] v4 = new byte[4];
                    return parseIpv4(s, 0, s.length(), v4, 0) ? new Parsed(v4, null) : null;
                }
                case ':' -> {
                    return parseIpv6(s);
                }
                case '%' -> {
                    return null; // a zone with no IPv6 address before it
                }
                default -> { }
            }
        }
        return null;
    }

    /** Exactly four decimal octets, each 0–255 without leading zeros, written into {@code dst[off..off+4)}. */
    private static boolean parseIpv4(String s, int from, int to, byte[] dst, int off) {
        int field = 0;
        int value = 0;
        int digits = 0;
        for (int i = from; i <= to; i++) {
            char c = i < to ? s.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                if (digits == 1 && value == 0) {
                    return false; // leading zero
                }
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255) {
                    return false;
                }
            } else if (c == '.') {
                if (digits == 0 || field == 4) {
                    return false;
                }
                dst[off + field++] = (byte) value;
                value = 0;
                digits = 0;
            } else {
                return false;
            }
        }
        return field == 4;
    }

    private static Parsed parseIpv6(String full) {
        String s = full;
        String zone = null;
        int pct = s.indexOf('%');
        if (pct >= 0) {
            zone = s.substring(pct + 1);
            s = s.substring(0, pct);
            if (zone.isEmpty()) {
                return null;
            }
        }
        byte[] out = new byte[16];
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return null; // two "::", or ":::"
        }
        byte[] head = new byte[16];
        byte[] tail = new byte[16];
        int headLen;
        int tailLen;
        if (gap < 0) {
            headLen = parseGroups(s, 0, s.length(), head, true);
            if (headLen != 16) {
                return null;
            }
            System.arraycopy(head, 0, out, 0, 16);
            return new Parsed(out, zone);
        }
        headLen = gap == 0 ? 0 : parseGroups(s, 0, gap, head, false);
        tailLen = gap + 2 == s.length() ? 0 : parseGroups(s, gap + 2, s.length(), tail, true);
        // "::" stands for at least one zero group.
        if (headLen < 0 || tailLen < 0 || headLen + tailLen > 14) {
            return null;
        }
        System.arraycopy(head, 0, out, 0, headLen);
        System.arraycopy(tail, 0, out, 16 - tailLen, tailLen);
        return new Parsed(out, zone);
    }

    /**
     * Colon-separated groups of 1–4 hex digits in {@code s[from..to)}; the last group may be a dotted IPv4 address if
     * {@code allowIpv4Last}. Returns the number of bytes written, or -1.
     */
    private static int parseGroups(String s, int from, int to, byte[] dst, boolean allowIpv4Last) {
        int n = 0;
        int start = from;
        while (true) {
            int end = s.indexOf(':', start);
            if (end < 0 || end > to) {
                end = to;
            }
            boolean last = end == to;
            if (last && allowIpv4Last && s.lastIndexOf('.', to - 1) >= start) {
                if (n + 4 > 16 || !parseIpv4(s, start, to, dst, n)) {
                    return -1;
                }
                return n + 4;
            }
            int len = end - start;
            if (len < 1 || len > 4 || n + 2 > 16) {
                return -1;
            }
            int value = 0;
            for (int i = start; i < end; i++) {
                int d = Character.digit(s.charAt(i), 16);
                if (d < 0 || s.charAt(i) > 'f') { // Character.digit also takes non-ASCII digits
                    return -1;
                }
                value = value << 4 | d;
            }
            dst[n++] = (byte) (value >>> 8);
            dst[n++] = (byte) value;
            if (last) {
                return n;
            }
            start = end + 1;
        }
    }

    /** Go {@code netip.ParsePrefix}: {@code addr/bits}, no zone, bits without sign or leading zeros. */
    static AllowedIp parsePrefix(String s) {
        if (s == null) {
            return null;
        }
        int slash = s.lastIndexOf('/');
        if (slash < 0) {
            return null;
        }
        Parsed addr = parseAddr(s.substring(0, slash));
        if (addr == null || addr.zone() != null) {
            return null;
        }
        String bitsText = s.substring(slash + 1);
        int max = addr.bytes().length * 8;
        if (bitsText.length() > 1 && bitsText.charAt(0) == '0') {
            return null;
        }
        long bits = parseUnsigned(bitsText, max);
        if (bits < 0) {
            return null;
        }
        return new AllowedIp(toAddress(addr.bytes()), (int) bits);
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
        Parsed addr = parseAddr(host);
        if (port < 0 || addr == null || bracketed != (addr.bytes().length == 16)) {
            return null;
        }
        int scope = -1;
        if (addr.zone() != null) {
            long numeric = parseUnsigned(addr.zone(), Integer.MAX_VALUE);
            if (numeric >= 0) {
                scope = (int) numeric;
            } else {
                OptionalInt index = zoneIndex.apply(addr.zone());
                if (index == null || index.isEmpty() || index.getAsInt() < 0) {
                    return null;
                }
                scope = index.getAsInt();
            }
        }
        return new InetSocketAddress(toAddress(addr.bytes(), scope), (int) port);
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

    /** Dotted IPv4; IPv6 in RFC 5952 form ({@code ::ffff:a.b.c.d} for IPv4-mapped), without zone. */
    static String formatAddress(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return formatIpv4(b, 0);
        }
        if (isIpv4Mapped(b)) {
            return "::ffff:" + formatIpv4(b, 12);
        }
        // Longest run of two or more zero groups, the first one on a tie, becomes "::".
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && group(b, j) == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = Math.max(j, i + 1);
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(group(b, i)));
        }
        return sb.toString();
    }

    /** {@code a.b.c.d:port} or {@code [v6%zone]:port}; null for an unresolved address. */
    static String formatEndpoint(InetSocketAddress endpoint) {
        InetAddress address = endpoint.getAddress();
        if (address == null) {
            return null;
        }
        if (address instanceof Inet4Address) {
            return formatAddress(address) + ":" + endpoint.getPort();
        }
        StringBuilder sb = new StringBuilder(64).append('[').append(formatAddress(address));
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

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static int group(byte[] b, int i) {
        return (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
    }

    private static String formatIpv4(byte[] b, int off) {
        return (b[off] & 0xff) + "." + (b[off + 1] & 0xff) + "." + (b[off + 2] & 0xff) + "." + (b[off + 3] & 0xff);
    }
}
