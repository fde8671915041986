package io.wirefx.core.routing;

/** Strict literal IP address parsing and RFC 5952 formatting; never resolves names. */
final class IpText {
    private IpText() {
    }

    static IllegalArgumentException invalid(String what, String text) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return new IllegalArgumentException("invalid " + what + ": \"" + shown + "\"");
    }

    /** 4 or 16 bytes, or null if {@code s} is not a literal address. */
    static byte[] parseOrNull(String s) {
        if (s.indexOf(':') >= 0) {
            return parse6(s);
        }
        byte[] out = new byte[4];
        return parse4(s, out, 0) ? out : null;
    }

    /** Dotted quad: exactly four decimal parts 0–255 without leading zeros (as inet_pton). */
    private static boolean parse4(String s, byte[] out, int at) {
        int part = 0;
        int i = 0;
        int n = s.length();
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < n && i - start < 4 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return false;
            }
            out[at + part] = (byte) value;
            part++;
            if (part < 4) {
                if (i >= n || s.charAt(i) != '.') {
                    return false;
                }
                i++;
            }
        }
        return i == n;
    }

    /** RFC 4291 §2.2 text forms: eight groups, at most one "::", optional trailing dotted quad. */
    private static byte[] parse6(String s) {
        int dc = s.indexOf("::");
        if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) {
            return null;
        }
        int[] groups = new int[8];
        if (dc < 0) {
            if (parseGroups(s, groups, true) != 8) {
                return null;
            }
        } else {
            int head = parseGroups(s.substring(0, dc), groups, false);
            int[] tail = new int[8];
            int tailCount = parseGroups(s.substring(dc + 2), tail, true);
            if (head < 0 || tailCount < 0 || head + tailCount > 7) {
                return null;
            }
            System.arraycopy(tail, 0, groups, 8 - tailCount, tailCount);
        }
        byte[] out = new byte[16];
        for (int g = 0; g < 8; g++) {
            out[2 * g] = (byte) (groups[g] >>> 8);
            out[2 * g + 1] = (byte) groups[g];
        }
        return out;
    }

    /**
     * Parses colon-separated hex groups (empty string = zero groups) into {@code groups}; when {@code allowV4}, the
     * last element may be a dotted quad, which fills two groups.
     *
     * @return the number of groups, or -1 if malformed or more than 8
     */
    private static int parseGroups(String s, int[] groups, boolean allowV4) {
        if (s.isEmpty()) {
            return 0;
        }
        String[] parts = s.split(":", -1);
        int count = 0;
        for (int p = 0; p < parts.length; p++) {
            String part = parts[p];
            if (p == parts.length - 1 && allowV4 && part.indexOf('.') >= 0) {
                byte[] v4 = new byte[4];
                if (count + 2 > 8 || !parse4(part, v4, 0)) {
                    return -1;
                }
                groups[count++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                groups[count++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                continue;
            }
            if (part.isEmpty() || part.length() > 4 || count >= 8) {
                return -1;
            }
            int value = 0;
            for (int i = 0; i < part.length(); i++) {
                int d = hexValue(part.charAt(i));
                if (d < 0) {
                    return -1;
                }
                value = (value << 4) | d;
            }
            groups[count++] = value;
        }
        return count;
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    static String format(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        StringBuilder sb = new StringBuilder(39);
        // IPv4-mapped (::ffff:0:0/96) in mixed notation, RFC 5952 §5.
        if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
            return sb.append("::ffff:").append(a[12] & 0xff).append('.').append(a[13] & 0xff).append('.')
                    .append(a[14] & 0xff).append('.').append(a[15] & 0xff).toString();
        }
        // Longest run of two or more zero groups, the first one on a tie, becomes "::".
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
