package io.wirefx.core.config;

import io.wirefx.core.net.IpLiterals;
import io.wirefx.core.net.IpPrefix;

import java.net.InetAddress;

/** Lexical helpers shared by the value types and the parser. Whitespace is C-locale {@code isspace}, as in wg(8). */
final class Syntax {
    private Syntax() {
    }

    /** {@link IpPrefix#parse}, failing with INVALID_CIDR. */
    static IpPrefix parsePrefix(String text) {
        try {
            return IpPrefix.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(BadConfigException.Reason.INVALID_CIDR, text, e);
        }
    }

    /** {@link IpLiterals#parse}, failing with INVALID_ADDRESS. */
    static InetAddress parseAddress(String text) {
        try {
            return IpLiterals.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(BadConfigException.Reason.INVALID_ADDRESS, text, e);
        }
    }

    /** {@link IpLiterals#normalize}, failing with INVALID_ADDRESS for a scoped address. */
    static InetAddress normalizeAddress(InetAddress address) {
        try {
            return IpLiterals.normalize(address);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(BadConfigException.Reason.INVALID_ADDRESS, null, e);
        }
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    /** ASCII-only case-insensitive equality, as C's strcasecmp (so no Kelvin-sign or dotless-i surprises). */
    static boolean equalsIgnoreAsciiCase(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x == y) {
                continue;
            }
            int lower = x | 0x20;
            if (lower < 'a' || lower > 'z' || lower != (y | 0x20)) {
                return false;
            }
        }
        return true;
    }

    static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** All whitespace removed, as wg(8) does to every line it reads. */
    static String removeSpaces(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isSpace(c)) {
                if (sb == null) {
                    sb = new StringBuilder(s.length()).append(s, 0, i);
                }
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    static boolean isAsciiDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Non-negative decimal value of ASCII digits, saturating at Long.MAX_VALUE; -1 if not all digits. */
    static long parseDecimal(String s) {
        if (!isAsciiDigits(s)) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = s.charAt(i) - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                return Long.MAX_VALUE;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** wg-quick's DNS rule: {@code ^[0-9.]+$} or containing ':' means a server address. */
    static boolean looksLikeDnsServer(String s) {
        if (s.indexOf(':') >= 0) {
            return true;
        }
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    /**
     * An ASCII host name: dot-separated labels of {@code [A-Za-z0-9_-]{1,63}}, optional trailing dot, at most 253
     * characters, and not made of digits and dots only (getaddrinfo would read that as a legacy IPv4 form).
     */
    static boolean isHostName(String s) {
        int n = s.length();
        if (n == 0 || n > 254 || (n == 254 && s.charAt(253) != '.') || looksLikeDnsServer(s)) {
            return false;
        }
        int label = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (label == 0) {
                    return false;
                }
                label = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_') {
                if (++label > 63) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return true;
    }

    /** Looks like a service name (e.g. {@code http}) rather than a malformed number. */
    static boolean looksLikeServiceName(String s) {
        if (s.isEmpty() || s.length() > 32) {
            return false;
        }
        char first = s.charAt(0);
        if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** Parses a port number; 0 is allowed only if {@code allowZero}. */
    static int parsePort(String s, boolean allowZero) {
        long v = parseDecimal(s);
        if (v < 0) {
            throw new InvalidValueException(looksLikeServiceName(s)
                    ? BadConfigException.Reason.SERVICE_NAME_UNSUPPORTED
                    : BadConfigException.Reason.INVALID_PORT, s);
        }
        if (v > 65535 || (v == 0 && !allowZero)) {
            throw new InvalidValueException(BadConfigException.Reason.INVALID_PORT, s);
        }
        return (int) v;
    }

    static void checkPort(int port, boolean allowZero) {
        if (port < (allowZero ? 0 : 1) || port > 65535) {
            throw new InvalidValueException(BadConfigException.Reason.INVALID_PORT, Integer.toString(port));
        }
    }
}
