package io.wirefx.core.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IP address with a prefix length, as in {@code Address} and {@code AllowedIPs}: {@code 10.0.0.2/24},
 * {@code fd00::1/64}; a bare address means /32 or /128.
 *
 * <p>The address is kept as given (host bits included, as {@code Address} needs); {@link #masked()} clears the host
 * bits. Parsing never consults a name service. Equality is by address bytes and prefix length; an IPv4-mapped IPv6
 * address is distinct from the IPv4 address.
 */
public final class InetNetwork {
    private final InetAddress address;
    private final int prefixLength;

    private InetNetwork(InetAddress address, int prefixLength) {
        this.address = address;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses {@code IP} or {@code IP/prefix}.
     *
     * @throws InvalidValueException with reason INVALID_CIDR
     */
    public static InetNetwork parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = IpLiterals.tryParse(addressText).orElseThrow(() -> invalid(text));
        int max = maxPrefix(address);
        int prefix = max;
        if (slash >= 0) {
            long p = Syntax.parseDecimal(text.substring(slash + 1));
            if (p < 0 || p > max) {
                throw invalid(text);
            }
            prefix = (int) p;
        }
        return new InetNetwork(address, prefix);
    }

    /**
     * @throws InvalidValueException with reason INVALID_CIDR if the prefix is out of range for the family, or
     *                               INVALID_ADDRESS for a scoped IPv6 address
     */
    public static InetNetwork of(InetAddress address, int prefixLength) {
        InetAddress normalized = IpLiterals.normalize(address);
        if (prefixLength < 0 || prefixLength > maxPrefix(normalized)) {
            throw new InvalidValueException(BadConfigException.Reason.INVALID_CIDR,
                    IpLiterals.format(normalized) + "/" + prefixLength);
        }
        return new InetNetwork(normalized, prefixLength);
    }

    /** A single-host network: /32 or /128. */
    public static InetNetwork of(InetAddress address) {
        InetAddress normalized = IpLiterals.normalize(address);
        return new InetNetwork(normalized, maxPrefix(normalized));
    }

    private static int maxPrefix(InetAddress a) {
        return a instanceof Inet4Address ? 32 : 128;
    }

    private static InvalidValueException invalid(String text) {
        return new InvalidValueException(BadConfigException.Reason.INVALID_CIDR, text);
    }

    public InetAddress address() {
        return address;
    }

    public int prefixLength() {
        return prefixLength;
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    public boolean isIpv6() {
        return !isIpv4();
    }

    /** The same prefix with the host bits cleared ({@code 10.0.0.2/24} → {@code 10.0.0.0/24}). */
    public InetNetwork masked() {
        byte[] bytes = address.getAddress();
        for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
            bytes[bit >>> 3] &= (byte) ~(0x80 >>> (bit & 7));
        }
        InetNetwork m = new InetNetwork(IpLiterals.fromBytes(bytes), prefixLength);
        return m.equals(this) ? this : m;
    }

    /** True if {@code candidate} is of the same family and within this prefix. */
    public boolean contains(InetAddress candidate) {
        byte[] net = address.getAddress();
        byte[] c = candidate.getAddress();
        if (c.length != net.length) {
            return false;
        }
        int full = prefixLength >>> 3;
        for (int i = 0; i < full; i++) {
            if (net[i] != c[i]) {
                return false;
            }
        }
        int rest = prefixLength & 7;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff00 >>> rest) & 0xff;
        return ((net[full] ^ c[full]) & mask) == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InetNetwork other && prefixLength == other.prefixLength
                && Arrays.equals(address.getAddress(), other.address.getAddress());
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address.getAddress()) + prefixLength;
    }

    /** Canonical text, {@code IP/prefix} (the prefix is always written). */
    @Override
    public String toString() {
        return IpLiterals.format(address) + "/" + prefixLength;
    }
}
