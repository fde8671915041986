package io.wirefx.core.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

/**
 * Strict IP literal parsing and canonical formatting, with no name-service lookups ever.
 *
 * <p>IPv4: exactly four dotted decimal octets without leading zeros (as glibc {@code inet_pton}; the legacy
 * {@code inet_aton} forms such as {@code 10.1} or {@code 0x7f.1} are rejected). IPv6: RFC 4291 text, hex groups of
 * one to four digits, at most one {@code ::}, an optional trailing dotted IPv4; zone ids ({@code %eth0}) are rejected.
 * Formatting follows RFC 5952 (lowercase, longest zero run compressed, {@code ::ffff:a.b.c.d} for IPv4-mapped).
 *
 * <p>An IPv4-mapped IPv6 address stays an {@link Inet6Address} (the JDK's own factories would turn it into an
 * {@link Inet4Address}).
 */
public final class IpLiterals {
    private IpLiterals() {
    }

    /** Parses an IPv4 or IPv6 literal; empty if {@code text} is not one. */
    public static Optional<InetAddress> tryParse(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return Optional.empty();
        }
        byte[] bytes = text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text, 0, text.length());
        return bytes == null ? Optional.empty() : Optional.of(fromBytes(bytes));
    }

    /** Parses an IPv4 or IPv6 literal, or throws {@link InvalidValueException} with reason INVALID_ADDRESS. */
    public static InetAddress parse(String text) {
        return tryParse(text).orElseThrow(
                () -> new InvalidValueException(BadConfigException.Reason.INVALID_ADDRESS, text));
    }

    /** True if {@code text} is an IPv4 or IPv6 literal in the syntax {@link #tryParse} accepts. */
    public static boolean isLiteral(String text) {
        return tryParse(text).isPresent();
    }

    /** Canonical text: dotted quad, or RFC 5952 IPv6 without brackets. */
    public static String format(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 4 ? formatV4(b, 0) : formatV6(b);
    }

    /**
     * The address rebuilt from its bytes: drops any cached host name. Scoped IPv6 addresses are rejected (a scope
     * cannot be written in a config file and naming an interface would need I/O).
     */
    static InetAddress normalize(InetAddress address) {
        Objects.requireNonNull(address, "address");
        if (address instanceof Inet6Address v6 && (v6.getScopeId() != 0 || v6.getScopedInterface() != null)) {
            throw new InvalidValueException(BadConfigException.Reason.INVALID_ADDRESS, null);
        }
        return fromBytes(address.getAddress());
    }

    static InetAddress fromBytes(byte[] bytes) {
        try {
            return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            // Only thrown for a wrong length, which callers rule out.
            throw new IllegalStateException(e);
        }
    }

    /** Dotted quad in {@code s[from, to)}, or null. */
    static byte[] parseV4(String s, int from, int to) {
        byte[] out = new byte[4];
        int octet = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 4) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                value = value * 10 + (c - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return null;
            }
            out[octet++] = (byte) value;
            if (octet == 4) {
                return i == to ? out : null;
            }
            if (i >= to || s.charAt(i) != '.') {
                return null;
            }
            i++;
        }
    }

    static byte[] parseV6(String s) {
        int n = s.length();
        int[] groups = new int[8];
        int count = 0;
        int gap = -1; // index in groups where "::" stands
        int i = 0;
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
            if (i == n) {
                return new byte[16];
            }
        } else if (n > 0 && s.charAt(0) == ':') {
            return null;
        }
        while (i < n) {
            int start = i;
            int value = 0;
            while (i < n && i - start < 5) {
                int d = Character.digit(s.charAt(i), 16);
                if (d < 0 || s.charAt(i) > 'f') { // Character.digit also accepts non-ASCII digits
                    break;
                }
                value = value << 4 | d;
                i++;
            }
            if (i < n && s.charAt(i) == '.') {
                // Trailing dotted IPv4, worth two groups.
                if (count > 6) {
                    return null;
                }
                byte[] v4 = parseV4(s, start, n);
                if (v4 == null) {
                    return null;
                }
                groups[count++] = (v4[0] & 0xff) << 8 | (v4[1] & 0xff);
                groups[count++] = (v4[2] & 0xff) << 8 | (v4[3] & 0xff);
                i = n;
                break;
            }
            int digits = i - start;
            if (digits == 0 || digits > 4 || count == 8) {
                return null;
            }
            groups[count++] = value;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < n && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = count;
                i++;
                if (i == n) {
                    break;
                }
            } else if (i == n) {
                return null; // trailing single ':'
            }
        }
        if (gap < 0 ? count != 8 : count > 7) {
            return null;
        }
        byte[] out = new byte[16];
        int tail = gap < 0 ? 0 : count - gap;
        for (int g = 0; g < count; g++) {
            int pos = (gap < 0 || g < gap) ? g : 8 - tail + (g - gap);
            out[2 * pos] = (byte) (groups[g] >>> 8);
            out[2 * pos + 1] = (byte) groups[g];
        }
        return out;
    }

    private static String formatV4(byte[] b, int off) {
        return (b[off] & 0xff) + "." + (b[off + 1] & 0xff) + "." + (b[off + 2] & 0xff) + "." + (b[off + 3] & 0xff);
    }

    private static String formatV6(byte[] b) {
        boolean mapped = true;
        for (int k = 0; k < 10; k++) {
            mapped &= b[k] == 0;
        }
        mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        if (mapped) {
            return "::ffff:" + formatV4(b, 12);
        }
        int[] g = new int[8];
        for (int k = 0; k < 8; k++) {
            g[k] = (b[2 * k] & 0xff) << 8 | (b[2 * k + 1] & 0xff);
        }
        // Longest run of two or more zero groups; the first one wins a tie (RFC 5952 §4.2).
        int bestStart = -1;
        int bestLen = 1;
        for (int k = 0; k < 8; ) {
            if (g[k] != 0) {
                k++;
                continue;
            }
            int start = k;
            while (k < 8 && g[k] == 0) {
                k++;
            }
            if (k - start > bestLen) {
                bestStart = start;
                bestLen = k - start;
            }
        }
        StringBuilder sb = new StringBuilder(39);
        for (int k = 0; k < 8; k++) {
            if (k == bestStart) {
                sb.append("::");
                k += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[k]));
        }
        return sb.toString();
    }
}
