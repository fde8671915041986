package io.wirefx.tun.linux;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071) over heap arrays: a ones' complement sum kept unfolded in a {@code long} while it
 * is built (32-bit big-endian words, carries folded at the end), and the TCP/UDP pseudo-headers of IPv4 and IPv6.
 */
final class InetChecksum {

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private InetChecksum() {
    }

    /** Adds {@code a[off .. off+len)} to {@code sum} (an odd last byte counts as its high half). */
    static long add(long sum, byte[] a, int off, int len) {
        int i = off;
        int end = off + len;
        long hi = 0;
        // 64-bit words split into two 32-bit halves: no half can overflow a long within 2^31 bytes.
        for (; i + 8 <= end; i += 8) {
            long w = (long) LONG.get(a, i);
            hi += w >>> 32;
            sum += w & 0xffffffffL;
        }
        sum += hi;
        if (i + 4 <= end) {
            sum += (int) INT.get(a, i) & 0xffffffffL;
            i += 4;
        }
        if (i + 2 <= end) {
            sum += ((a[i] & 0xff) << 8) | (a[i + 1] & 0xff);
            i += 2;
        }
        if (i < end) {
            sum += (a[i] & 0xff) << 8;
        }
        return sum;
    }

    /** Folds a sum to 16 bits (not inverted). */
    static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The checksum field's value: the inverted folded sum. */
    static int finish(long sum) {
        return ~fold(sum) & 0xffff;
    }

    /**
     * The pseudo-header sum for a transport segment of {@code length} bytes with protocol {@code proto}, addresses
     * taken from the IP header at {@code ip} (version from its first nibble).
     */
    static long pseudoHeader(byte[] a, int ip, int proto, int length) {
        if ((a[ip] & 0xf0) == 0x40) {
            return add(0, a, ip + 12, 8) + proto + length;
        }
        return add(0, a, ip + 8, 32) + proto + length;
    }

    /** Big-endian 16-bit value at {@code i}. */
    static int u16(byte[] a, int i) {
        return ((a[i] & 0xff) << 8) | (a[i + 1] & 0xff);
    }

    static void put16(byte[] a, int i, int v) {
        a[i] = (byte) (v >>> 8);
        a[i + 1] = (byte) v;
    }

    static int u32(byte[] a, int i) {
        return (int) INT.get(a, i);
    }

    static void put32(byte[] a, int i, int v) {
        INT.set(a, i, v);
    }

    /** Recomputes an IPv4 header's checksum in place. */
    static void ipv4HeaderChecksum(byte[] a, int ip) {
        int ihl = (a[ip] & 0x0f) * 4;
        put16(a, ip + 10, 0);
        put16(a, ip + 10, finish(add(0, a, ip, ihl)));
    }
}
