package io.wirefx.core.routing;

import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address with a prefix length, such as {@code 10.0.0.0/24} or {@code fd00::/8}. Immutable: the
 * address is copied in and out.
 *
 * <p>A prefix may carry host bits ({@code 10.0.0.1/24}, as in an interface address); {@link #masked()} clears them.
 * {@link AllowedIps} always stores and returns masked prefixes. Equality compares family, bytes and length.
 *
 * @param address 4 bytes (IPv4) or 16 bytes (IPv6), network byte order
 * @param length 0–32 for IPv4, 0–128 for IPv6
 */
public record Prefix(byte[] address, int length) {

    /** @throws IllegalArgumentException if the address is not 4 or 16 bytes or the length is out of range */
    public Prefix {
        if (address == null || (address.length != 4 && address.length != 16)) {
            throw new IllegalArgumentException("address must be 4 or 16 bytes, got "
                    + (address == null ? "null" : address.length));
        }
        if (length < 0 || length > address.length * 8) {
            throw new IllegalArgumentException("prefix length " + length + " out of range 0.." + address.length * 8);
        }
        address = address.clone();
    }

    /**
     * Parses {@code a.b.c.d/len}, an IPv6 address in any RFC 4291 text form with {@code /len}, or an address without
     * {@code /len} (a host prefix, /32 or /128), as {@code wg} does. No name lookups; no surrounding whitespace; no
     * IPv6 zone. Host bits are kept.
     *
     * @throws IllegalArgumentException with the offending text if it is not a prefix
     */
    public static Prefix parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        String addrText = slash < 0 ? text : text.substring(0, slash);
        byte[] addr = IpText.parseOrNull(addrText);
        if (addr == null) {
            throw IpText.invalid("IP address", text);
        }
        if (slash < 0) {
            return new Prefix(addr, addr.length * 8);
        }
        String lenText = text.substring(slash + 1);
        if (lenText.isEmpty() || lenText.length() > 3 || !lenText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw IpText.invalid("prefix length", text);
        }
        int len = Integer.parseInt(lenText);
        if (len > addr.length * 8) {
            throw IpText.invalid("prefix length", text);
        }
        return new Prefix(addr, len);
    }

    /**
     * Parses a literal IPv4 (dotted quad, no leading zeros) or IPv6 address into 4 or 16 bytes.
     *
     * @throws IllegalArgumentException if it is not one
     */
    public static byte[] parseAddress(String text) {
        Objects.requireNonNull(text, "text");
        byte[] addr = IpText.parseOrNull(text);
        if (addr == null) {
            throw IpText.invalid("IP address", text);
        }
        return addr;
    }

    /** Formats 4 bytes as a dotted quad, 16 bytes in RFC 5952 form (e.g. {@code fd00::1}, {@code ::ffff:1.2.3.4}). */
    public static String formatAddress(byte[] address) {
        if (address == null || (address.length != 4 && address.length != 16)) {
            throw new IllegalArgumentException("address must be 4 or 16 bytes");
        }
        return IpText.format(address);
    }

    /** A copy of the address bytes. */
    @Override
    public byte[] address() {
        return address.clone();
    }

    public boolean isIpv4() {
        return address.length == 4;
    }

    public boolean isIpv6() {
        return address.length == 16;
    }

    /** 32 or 128. */
    public int maxLength() {
        return address.length * 8;
    }

    /** This prefix with the host bits (those after {@link #length()}) cleared. */
    public Prefix masked() {
        return isMasked() ? this : new Prefix(maskCopy(address, length), length);
    }

    /** True when no host bit is set. */
    public boolean isMasked() {
        return Arrays.equals(address, maskCopy(address, length));
    }

    /** True when {@code addr} (4 or 16 bytes) is of the same family and inside this prefix. */
    public boolean contains(byte[] addr) {
        if (addr == null || addr.length != address.length) {
            return false;
        }
        return Arrays.equals(maskCopy(addr, length), maskCopy(address, length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prefix p && length == p.length && Arrays.equals(address, p.address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address) + length;
    }

    /** {@code 10.0.0.0/24}, {@code fd00::/64}. */
    @Override
    public String toString() {
        return IpText.format(address) + "/" + length;
    }

    static byte[] maskCopy(byte[] addr, int length) {
        byte[] out = addr.clone();
        for (int i = 0; i < out.length; i++) {
            int bitsHere = length - i * 8;
            if (bitsHere <= 0) {
                out[i] = 0;
            } else if (bitsHere < 8) {
                out[i] &= (byte) (0xff << (8 - bitsHere));
            }
        }
        return out;
    }
}
