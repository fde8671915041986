package io.wirefx.core.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

/**
 * The one IP literal parser and the one formatter: config files, the routing table, UAPI, the service and the UI all
 * read and write addresses through here. Never consults a name service.
 *
 * <p><b>Accepted text</b> (what {@code inet_pton} and Go's {@code netip} accept, so what {@code wg}, {@code wg-quick}
 * and wireguard-go accept): IPv4 as exactly four decimal octets 0–255 without leading zeros (the legacy
 * {@code inet_aton} forms such as {@code 10.1}, {@code 010.0.0.1} or {@code 0x7f.0.0.1} are refused, as they are
 * ambiguous); IPv6 as RFC 4291 text, groups of one to four hex digits in either case, at most one {@code ::} standing
 * for at least one zero group, and an optional trailing dotted IPv4. Zone ids ({@code %eth0}), brackets and
 * surrounding white space are refused; callers that allow a zone (UAPI endpoints) split it off first. The syntax is
 * checked here, {@link InetAddress#ofLiteral} does the conversion.
 *
 * <p><b>Text out</b>: dotted quad, or RFC 5952 IPv6 (lowercase, no leading zeros, the longest run of two or more zero
 * groups compressed, the first on a tie) with {@code ::ffff:a.b.c.d} for IPv4-mapped addresses, as the kernel's
 * {@code %pI6c} and Go's {@code netip} print them.
 *
 * <p><b>IPv4-mapped</b> addresses ({@code ::ffff:a.b.c.d}) stay {@link Inet6Address}es, distinct from the IPv4
 * address, as in the kernel's and wireguard-go's allowed-IPs tables (the JDK's own factories would turn them into an
 * {@link Inet4Address}).
 */
public final class IpLiterals {
    /** The longest literal: six full groups and a dotted quad. */
    private static final int MAX_LENGTH = 45;

    private IpLiterals() {
    }

    /**
     * Parses an IPv4 or IPv6 literal.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static InetAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        String problem = syntaxProblem(text);
        if (problem != null) {
            throw invalid(text, problem);
        }
        InetAddress parsed;
        try {
            parsed = InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw invalid(text, "IPv6 needs eight groups, or fewer with one \"::\"");
        }
        if (parsed instanceof Inet4Address v4 && text.indexOf(':') >= 0) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(v4.getAddress(), 0, mapped, 12, 4);
            return fromBytes(mapped);
        }
        return fromBytes(parsed.getAddress());
    }

    /** As {@link #parse}, but empty instead of an exception (also for null). */
    public static Optional<InetAddress> tryParse(String text) {
        if (text == null || syntaxProblem(text) != null) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** True if {@code text} is a literal {@link #parse} accepts. */
    public static boolean isLiteral(String text) {
        return tryParse(text).isPresent();
    }

    /** Canonical text: dotted quad, or RFC 5952 IPv6 without brackets or zone. */
    public static String format(InetAddress address) {
        return format(address.getAddress());
    }

    /**
     * Canonical text of 4 or 16 address bytes, as {@link #format(InetAddress)}.
     *
     * @throws IllegalArgumentException if {@code bytes} is not 4 or 16 long
     */
    public static String format(byte[] bytes) {
        checkLength(bytes);
        return bytes.length == 4 ? formatV4(bytes, 0) : formatV6(bytes);
    }

    /**
     * The address of 4 or 16 bytes, without any lookup; 16 bytes always give an {@link Inet6Address} without scope,
     * IPv4-mapped ones included.
     *
     * @throws IllegalArgumentException if {@code bytes} is not 4 or 16 long
     */
    public static InetAddress fromBytes(byte[] bytes) {
        checkLength(bytes);
        try {
            return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for a wrong length, ruled out above
        }
    }

    /**
     * The same address rebuilt from its bytes, which drops a cached host name.
     *
     * @throws IllegalArgumentException for a scoped IPv6 address: a scope can be written neither in a config file nor
     *                                  in an allowed-IPs prefix, and naming an interface would need I/O
     */
    public static InetAddress normalize(InetAddress address) {
        Objects.requireNonNull(address, "address");
        if (address instanceof Inet6Address v6 && (v6.getScopeId() != 0 || v6.getScopedInterface() != null)) {
            throw new IllegalArgumentException("a scoped IPv6 address (with a zone) is not allowed here: "
                    + format(address) + "%" + (v6.getScopedInterface() != null
                    ? v6.getScopedInterface().getName() : v6.getScopeId()));
        }
        return fromBytes(address.getAddress());
    }

    private static void checkLength(byte[] bytes) {
        if (bytes == null || (bytes.length != 4 && bytes.length != 16)) {
            throw new IllegalArgumentException("an IP address is 4 or 16 bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
    }

    static IllegalArgumentException invalid(String text, String problem) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return new IllegalArgumentException("not an IP address: \"" + shown + "\": " + problem);
    }

    /** What is wrong with the syntax of {@code s}, or null if it is fine so far (the JDK checks the group count). */
    private static String syntaxProblem(String s) {
        if (s.isEmpty()) {
            return "empty";
        }
        if (s.length() > MAX_LENGTH) {
            return "longer than any IP address (" + MAX_LENGTH + " characters)";
        }
        if (s.indexOf(':') < 0) {
            return isDottedQuad(s, 0, s.length()) ? null
                    : "IPv4 needs four decimal numbers 0-255 without leading zeros, separated by dots";
        }
        int lastColon = s.lastIndexOf(':');
        int firstDot = s.indexOf('.');
        if (firstDot >= 0 && (firstDot < lastColon || !isDottedQuad(s, lastColon + 1, s.length()))) {
            return "an IPv4 part of an IPv6 address must be its last part, four decimal numbers 0-255 without"
                    + " leading zeros";
        }
        int end = firstDot >= 0 ? lastColon : s.length();
        int groupStart = 0;
        for (int i = 0; i <= end; i++) {
            char c = i < end ? s.charAt(i) : ':';
            if (c == ':') {
                if (i - groupStart > 4) {
                    return "IPv6 group \"" + s.substring(groupStart, i) + "\" has more than four hex digits";
                }
                groupStart = i + 1;
            } else if (!isHexDigit(c)) {
                return switch (c) {
                    case '%' -> "zone ids (%...) are not allowed";
                    case '[', ']' -> "brackets are not allowed";
                    case '/' -> "a prefix length is not allowed";
                    default -> "unexpected character '" + c + "'";
                };
            }
        }
        return null;
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Exactly four dot-separated decimal octets 0–255 without leading zeros in {@code s[from, to)}. */
    private static boolean isDottedQuad(String s, int from, int to) {
        int parts = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return false;
            }
            if (++parts == 4) {
                return i == to;
            }
            if (i >= to || s.charAt(i) != '.') {
                return false;
            }
            i++;
        }
    }

    private static String formatV4(byte[] b, int off) {
        return (b[off] & 0xff) + "." + (b[off + 1] & 0xff) + "." + (b[off + 2] & 0xff) + "." + (b[off + 3] & 0xff);
    }

    private static String formatV6(byte[] b) {
        boolean mapped = (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        for (int k = 0; k < 10; k++) {
            mapped &= b[k] == 0;
        }
        if (mapped) {
            return "::ffff:" + formatV4(b, 12);
        }
        int[] g = new int[8];
        for (int k = 0; k < 8; k++) {
            g[k] = (b[2 * k] & 0xff) << 8 | (b[2 * k + 1] & 0xff);
        }
        // The longest run of two or more zero groups becomes "::"; the first one wins a tie (RFC 5952 §4.2).
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
