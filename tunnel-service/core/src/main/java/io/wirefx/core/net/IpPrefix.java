package io.wirefx.core.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address with a prefix length: {@code 10.0.0.2/24}, {@code fd00::/8}. The one prefix type of
 * WireFX: interface addresses and allowed IPs in config files, the routing table, UAPI and the service all use it.
 *
 * <p><b>Host bits are kept</b> as given: {@code Address = 10.0.0.1/24} means the interface address 10.0.0.1 on a /24,
 * as wg-quick hands it to {@code ip address add}; {@link #masked()} clears them where a table needs the network only
 * (the routing table stores masked prefixes, as the kernel and wireguard-go do for allowed IPs).
 *
 * <p>The address is never scoped and carries no host name; an IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.1})
 * stays IPv6 and is not equal to the IPv4 address. Equality: family, address bytes, length.
 *
 * @param address the address, host bits as given ({@link IpLiterals#normalize normalized})
 * @param length  0–32 for IPv4, 0–128 for IPv6
 */
public record IpPrefix(InetAddress address, int length) {

    /** @throws IllegalArgumentException if the length is out of range for the family or the address is scoped */
    public IpPrefix {
        address = IpLiterals.normalize(address);
        int max = maxLength(address);
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " is out of range 0-" + max + " for "
                    + IpLiterals.format(address));
        }
    }

    /**
     * Parses {@code IP/length} or a bare {@code IP} (a host prefix, /32 or /128), as {@code wg} and {@code wg-quick}
     * read {@code Address} and {@code AllowedIPs}: {@link IpLiterals#parse IP literals} only, the length in ASCII
     * decimal digits (leading zeros allowed, no sign, no white space), host bits kept.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static IpPrefix parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        InetAddress address;
        try {
            address = IpLiterals.parse(slash < 0 ? text : text.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP prefix: \"" + shown(text) + "\": " + e.getMessage(), e);
        }
        int max = maxLength(address);
        if (slash < 0) {
            return new IpPrefix(address, max);
        }
        String lengthText = text.substring(slash + 1);
        long length = 0;
        for (int i = 0; i < lengthText.length() && length <= max; i++) {
            char c = lengthText.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not an IP prefix: \"" + shown(text)
                        + "\": the prefix length must be decimal digits only");
            }
            length = length * 10 + (c - '0');
        }
        if (lengthText.isEmpty() || length > max) {
            throw new IllegalArgumentException("not an IP prefix: \"" + shown(text) + "\": the prefix length must be 0-"
                    + max + (lengthText.isEmpty() ? ", not empty" : ""));
        }
        return new IpPrefix(address, (int) length);
    }

    /** As {@link #parse}, but empty instead of an exception (also for null). */
    public static Optional<IpPrefix> tryParse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The prefix of 4 or 16 address bytes (copied); 16 bytes are IPv6, IPv4-mapped ones included.
     *
     * @throws IllegalArgumentException if the address is not 4 or 16 bytes or the length is out of range
     */
    public static IpPrefix of(byte[] address, int length) {
        return new IpPrefix(IpLiterals.fromBytes(address), length);
    }

    /** The host prefix of {@code address}: /32 or /128. */
    public static IpPrefix host(InetAddress address) {
        return new IpPrefix(address, maxLength(address));
    }

    private static int maxLength(InetAddress address) {
        return address instanceof Inet4Address ? 32 : 128;
    }

    private static String shown(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }

    /** A copy of the address bytes: 4 or 16, network byte order. */
    public byte[] bytes() {
        return address.getAddress();
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    public boolean isIpv6() {
        return !isIpv4();
    }

    /** 32 or 128. */
    public int maxLength() {
        return maxLength(address);
    }

    /** The same prefix with the host bits cleared ({@code 10.0.0.2/24} → {@code 10.0.0.0/24}). */
    public IpPrefix masked() {
        byte[] b = address.getAddress();
        return mask(b) ? new IpPrefix(IpLiterals.fromBytes(b), length) : this;
    }

    /** True when no host bit is set. */
    public boolean isMasked() {
        return !mask(address.getAddress());
    }

    /** Clears the host bits in {@code b}; true if any was set. */
    private boolean mask(byte[] b) {
        boolean changed = false;
        for (int i = length >>> 3; i < b.length; i++) {
            int keep = Math.max(0, length - 8 * i); // 0..7 here
            byte m = (byte) (b[i] & (0xff00 >>> keep));
            changed |= m != b[i];
            b[i] = m;
        }
        return changed;
    }

    /** True if {@code candidate} is of the same family and inside this prefix. */
    public boolean contains(InetAddress candidate) {
        return candidate != null && contains(candidate.getAddress());
    }

    /** True if {@code candidate} (4 or 16 bytes) is of the same family and inside this prefix. */
    public boolean contains(byte[] candidate) {
        byte[] net = address.getAddress();
        if (candidate == null || candidate.length != net.length) {
            return false;
        }
        int full = length >>> 3;
        for (int i = 0; i < full; i++) {
            if (net[i] != candidate[i]) {
                return false;
            }
        }
        int rest = length & 7;
        return rest == 0 || ((net[full] ^ candidate[full]) & (0xff00 >>> rest) & 0xff) == 0;
    }

    /** Canonical text, {@code IP/length} with the length always written: {@code 10.0.0.0/24}, {@code fd00::1/64}. */
    @Override
    public String toString() {
        return IpLiterals.format(address) + "/" + length;
    }
}
