package io.wirefx.core.uapi;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * An allowed-IPs prefix: an IPv4 address with 0–32 bits or an IPv6 address with 0–128 bits. IPv4-mapped IPv6
 * addresses ({@code ::ffff:a.b.c.d}) stay IPv6, as in wireguard-go. {@link #toString()} is the UAPI text form.
 */
public record AllowedIp(InetAddress address, int prefix) {

    public AllowedIp {
        Objects.requireNonNull(address, "address");
        int max = maxPrefix(address);
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix must be 0.." + max);
        }
    }

    /**
     * Parses {@code addr/bits} with the rules of Go's {@code netip.ParsePrefix} (what wireguard-go uses): numeric
     * addresses only, no zone, no leading zeros in IPv4 octets or in the bit count. The address is kept as given (not
     * masked).
     */
    public static Optional<AllowedIp> parse(String text) {
        return Optional.ofNullable(IpText.parsePrefix(text));
    }

    /** The same prefix with the host bits cleared, as a routing table stores it. */
    public AllowedIp masked() {
        byte[] b = address.getAddress();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.clamp(prefix - 8L * i, 0, 8);
            b[i] &= (byte) (0xff00 >>> keep);
        }
        return new AllowedIp(IpText.toAddress(b), prefix);
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    private static int maxPrefix(InetAddress address) {
        return switch (address) {
            case Inet4Address ignored -> 32;
            case Inet6Address ignored -> 128;
            default -> throw new IllegalArgumentException("unsupported address type");
        };
    }

    /** {@code 10.0.0.0/8}, {@code fd00::/64}: canonical (RFC 5952) text, as wireguard-go prints it. */
    @Override
    public String toString() {
        return IpText.formatAddress(address) + "/" + prefix;
    }
}
