package io.wirefx.core.routing;

import io.wirefx.core.net.IpPrefix;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Cryptokey routing table (reference §6): IPv4 and IPv6 prefixes, each owned by exactly one peer, with longest-prefix
 * match lookups.
 *
 * <p><b>Structure.</b> One path-compressed binary trie per address family, like wireguard-go's: a node holds a masked
 * prefix and, optionally, a peer; a node without a peer is a junction with exactly two children. An address is held
 * as two {@code long}s (IPv4 in the top 32 bits of the first), so a lookup is a loop of mask-and-compare steps over at
 * most 33 / 129 nodes, reads the address straight out of the packet buffer and allocates nothing.
 *
 * <p><b>Threads.</b> The tries are immutable and persistent: a mutation copies only the path from the root to the
 * changed node and publishes the new root through a {@code volatile} field. Lookups therefore take no lock and may
 * run from any number of threads while a mutation is in progress; they see the table before or after it, per family.
 * Mutations and {@link #prefixesOf} are serialized by an internal lock. Peers are compared with {@code equals}
 * (identity for classes that do not override it); a peer must not be null.
 *
 * @param <P> the peer type
 */
public final class AllowedIps<P> {
    private static final VarHandle BE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final Object lock = new Object();
    private volatile Node<P> root4;
    private volatile Node<P> root6;
    /** Each peer's prefixes (masked) in insertion order; guarded by {@link #lock}. */
    private final Map<P, LinkedHashSet<IpPrefix>> byPeer = new HashMap<>();

    public AllowedIps() {
    }

    // ------------------------------------------------------------------------------------------------ lookups

    /** The peer whose prefix best matches {@code addr} (4 or 16 bytes), or null. Never throws. */
    public P lookup(byte[] addr) {
        return addr == null ? null : lookup(addr, 0, addr.length);
    }

    /**
     * The peer whose prefix best matches the address stored at {@code packet[addrOff .. addrOff+addrLen)}, or null
     * when nothing matches, {@code addrLen} is not 4 or 16, or the range is outside the buffer. Allocation-free;
     * never throws.
     */
    public P lookup(byte[] packet, int addrOff, int addrLen) {
        if (packet == null || addrOff < 0 || addrOff > packet.length - addrLen) {
            return null;
        }
        if (addrLen == 4) {
            return find(root4, ((long) (int) BE_INT.get(packet, addrOff)) << 32, 0);
        }
        if (addrLen == 16) {
            return find(root6, (long) BE_LONG.get(packet, addrOff), (long) BE_LONG.get(packet, addrOff + 8));
        }
        return null;
    }

    /**
     * Outbound routing: the peer for the destination of the IP packet at {@code packet[off .. off+len)} (IPv4 bytes
     * 16–19, IPv6 bytes 24–39, chosen by the version nibble). Null for no match, another IP version, or a packet
     * shorter than its fixed header (20 / 40 bytes). Allocation-free; never throws.
     */
    public P lookupDestination(byte[] packet, int off, int len) {
        return lookupHeader(packet, off, len, 16, 24);
    }

    /**
     * Inbound source check: the peer that owns the source of the decrypted IP packet (IPv4 bytes 12–15, IPv6 bytes
     * 8–23). Same rules as {@link #lookupDestination}.
     */
    public P lookupSource(byte[] packet, int off, int len) {
        return lookupHeader(packet, off, len, 12, 8);
    }

    private P lookupHeader(byte[] packet, int off, int len, int v4AddrAt, int v6AddrAt) {
        if (packet == null || off < 0 || len < 1 || off > packet.length - len) {
            return null;
        }
        int version = (packet[off] & 0xff) >>> 4;
        if (version == 4 && len >= 20) {
            return lookup(packet, off + v4AddrAt, 4);
        }
        if (version == 6 && len >= 40) {
            return lookup(packet, off + v6AddrAt, 16);
        }
        return null;
    }

    /** The owner of exactly this prefix (host bits ignored), or null. Not a longest-prefix match. */
    public P owner(IpPrefix prefix) {
        IpPrefix p = prefix.masked();
        long[] key = key(p);
        Node<P> n = findExact(p.isIpv4() ? root4 : root6, key[0], key[1], p.length());
        return n == null ? null : n.peer;
    }

    // ------------------------------------------------------------------------------------------------ mutations

    /**
     * Routes {@code addr/prefix} to {@code peer}. Host bits are cleared. If another peer owned the prefix, it moves;
     * either way the prefix becomes the last of {@code peer}'s list.
     *
     * @throws IllegalArgumentException if {@code addr} is not 4 or 16 bytes or {@code prefix} is out of range
     * @throws NullPointerException if {@code peer} is null
     */
    public void insert(byte[] addr, int prefix, P peer) {
        insert(IpPrefix.of(addr, prefix), peer);
    }

    /** As {@link #insert(byte[], int, Object)}. */
    public void insert(IpPrefix prefix, P peer) {
        Objects.requireNonNull(peer, "peer");
        IpPrefix p = prefix.masked();
        long[] key = key(p);
        synchronized (lock) {
            Node<P> root = p.isIpv4() ? root4 : root6;
            Node<P> exact = findExact(root, key[0], key[1], p.length());
            if (exact != null && exact.peer != null) {
                unlist(exact.peer, p);
            }
            Node<P> updated = insert(root, key[0], key[1], p.length(), peer);
            publish(p.isIpv4(), updated);
            byPeer.computeIfAbsent(peer, k -> new LinkedHashSet<>()).add(p);
        }
    }

    /**
     * Removes {@code addr/prefix} (host bits cleared) only if {@code peer} owns it, as UAPI {@code allowed_ip=-...}.
     *
     * @return true if it was removed
     * @throws IllegalArgumentException if {@code addr} is not 4 or 16 bytes or {@code prefix} is out of range
     */
    public boolean remove(byte[] addr, int prefix, P peer) {
        return remove(IpPrefix.of(addr, prefix), peer);
    }

    /** As {@link #remove(byte[], int, Object)}. */
    public boolean remove(IpPrefix prefix, P peer) {
        Objects.requireNonNull(peer, "peer");
        IpPrefix p = prefix.masked();
        long[] key = key(p);
        synchronized (lock) {
            Node<P> root = p.isIpv4() ? root4 : root6;
            Node<P> exact = findExact(root, key[0], key[1], p.length());
            if (exact == null || !peer.equals(exact.peer)) {
                return false;
            }
            publish(p.isIpv4(), remove(root, key[0], key[1], p.length()));
            unlist(peer, p);
            return true;
        }
    }

    /** Removes every prefix owned by {@code peer}. */
    public void removeByPeer(P peer) {
        Objects.requireNonNull(peer, "peer");
        synchronized (lock) {
            LinkedHashSet<IpPrefix> owned = byPeer.remove(peer);
            if (owned == null) {
                return;
            }
            Node<P> r4 = root4;
            Node<P> r6 = root6;
            for (IpPrefix p : owned) {
                long[] key = key(p);
                if (p.isIpv4()) {
                    r4 = remove(r4, key[0], key[1], p.length());
                } else {
                    r6 = remove(r6, key[0], key[1], p.length());
                }
            }
            root4 = r4;
            root6 = r6;
        }
    }

    /** {@code peer}'s prefixes, masked, in insertion order (a move or re-insert counts as a new insertion). */
    public List<IpPrefix> prefixesOf(P peer) {
        synchronized (lock) {
            LinkedHashSet<IpPrefix> owned = byPeer.get(peer);
            return owned == null ? List.of() : List.copyOf(owned);
        }
    }

    /** Removes everything. */
    public void clear() {
        synchronized (lock) {
            root4 = null;
            root6 = null;
            byPeer.clear();
        }
    }

    /** Number of prefixes in the table. */
    public int size() {
        synchronized (lock) {
            int n = 0;
            for (LinkedHashSet<IpPrefix> s : byPeer.values()) {
                n += s.size();
            }
            return n;
        }
    }

    private void publish(boolean ipv4, Node<P> root) {
        if (ipv4) {
            root4 = root;
        } else {
            root6 = root;
        }
    }

    private void unlist(P peer, IpPrefix p) {
        LinkedHashSet<IpPrefix> owned = byPeer.get(peer);
        if (owned != null) {
            owned.remove(p);
            if (owned.isEmpty()) {
                byPeer.remove(peer);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ trie

    /**
     * Immutable trie node. {@code hi}/{@code lo} are the first {@code cidr} bits of the prefix, left-aligned in 128
     * bits, rest zero. A child's prefix extends this one; it sits under the bit at position {@code cidr}.
     */
    private static final class Node<P> {
        final long hi;
        final long lo;
        final long maskHi;
        final long maskLo;
        final int cidr;
        final P peer; // null for a junction
        final Node<P> zero;
        final Node<P> one;

        Node(long hi, long lo, int cidr, P peer, Node<P> zero, Node<P> one) {
            this.maskHi = maskHi(cidr);
            this.maskLo = maskLo(cidr);
            this.hi = hi & maskHi;
            this.lo = lo & maskLo;
            this.cidr = cidr;
            this.peer = peer;
            this.zero = zero;
            this.one = one;
        }

        boolean covers(long h, long l) {
            return (h & maskHi) == hi && (l & maskLo) == lo;
        }
    }

    private static long maskHi(int cidr) {
        return cidr == 0 ? 0 : cidr >= 64 ? -1L : -1L << (64 - cidr);
    }

    private static long maskLo(int cidr) {
        return cidr <= 64 ? 0 : -1L << (128 - cidr);
    }

    /** Bit {@code i} (0 = most significant) of the 128-bit value; {@code i < 128}. */
    private static int bit(long hi, long lo, int i) {
        return (int) (i < 64 ? hi >>> (63 - i) : lo >>> (127 - i)) & 1;
    }

    private static int commonBits(long aHi, long aLo, long bHi, long bLo) {
        long x = aHi ^ bHi;
        return x != 0 ? Long.numberOfLeadingZeros(x) : 64 + Long.numberOfLeadingZeros(aLo ^ bLo);
    }

    private static <P> P find(Node<P> n, long hi, long lo) {
        P found = null;
        while (n != null && n.covers(hi, lo)) {
            if (n.peer != null) {
                found = n.peer;
            }
            if (n.cidr == 128) {
                break;
            }
            n = bit(hi, lo, n.cidr) == 0 ? n.zero : n.one;
        }
        return found;
    }

    private static <P> Node<P> findExact(Node<P> n, long hi, long lo, int cidr) {
        while (n != null && n.cidr <= cidr && n.covers(hi, lo)) {
            if (n.cidr == cidr) {
                return n;
            }
            n = bit(hi, lo, n.cidr) == 0 ? n.zero : n.one;
        }
        return null;
    }

    /** Persistent insert of the masked key; returns the new subtree root. */
    private static <P> Node<P> insert(Node<P> n, long hi, long lo, int cidr, P peer) {
        if (n == null) {
            return new Node<>(hi, lo, cidr, peer, null, null);
        }
        int common = Math.min(Math.min(n.cidr, cidr), commonBits(n.hi, n.lo, hi, lo));
        if (common == n.cidr) {
            if (cidr == n.cidr) {
                return new Node<>(n.hi, n.lo, n.cidr, peer, n.zero, n.one);
            }
            return bit(hi, lo, n.cidr) == 0
                    ? new Node<>(n.hi, n.lo, n.cidr, n.peer, insert(n.zero, hi, lo, cidr, peer), n.one)
                    : new Node<>(n.hi, n.lo, n.cidr, n.peer, n.zero, insert(n.one, hi, lo, cidr, peer));
        }
        if (common == cidr) {
            // The new prefix contains n: it becomes n's parent.
            return bit(n.hi, n.lo, cidr) == 0
                    ? new Node<>(hi, lo, cidr, peer, n, null)
                    : new Node<>(hi, lo, cidr, peer, null, n);
        }
        // They diverge below both: a junction at the common length with both as children.
        Node<P> leaf = new Node<>(hi, lo, cidr, peer, null, null);
        return bit(hi, lo, common) == 0
                ? new Node<>(hi, lo, common, null, leaf, n)
                : new Node<>(hi, lo, common, null, n, leaf);
    }

    /** Persistent removal of the exact masked key; returns the new subtree root (the same one if absent). */
    private static <P> Node<P> remove(Node<P> n, long hi, long lo, int cidr) {
        if (n == null || n.cidr > cidr || !n.covers(hi, lo)) {
            return n;
        }
        if (n.cidr == cidr) {
            return n.peer == null ? n : rebuild(n, null, n.zero, n.one);
        }
        if (bit(hi, lo, n.cidr) == 0) {
            Node<P> z = remove(n.zero, hi, lo, cidr);
            return z == n.zero ? n : rebuild(n, n.peer, z, n.one);
        }
        Node<P> o = remove(n.one, hi, lo, cidr);
        return o == n.one ? n : rebuild(n, n.peer, n.zero, o);
    }

    /** A copy of {@code n} with new contents, dropping it if it would be a junction with fewer than two children. */
    private static <P> Node<P> rebuild(Node<P> n, P peer, Node<P> zero, Node<P> one) {
        if (peer == null) {
            if (zero == null) {
                return one;
            }
            if (one == null) {
                return zero;
            }
        }
        return new Node<>(n.hi, n.lo, n.cidr, peer, zero, one);
    }

    /** The masked prefix as {hi, lo}; IPv4 in the top 32 bits of hi. */
    private static long[] key(IpPrefix p) {
        byte[] a = p.bytes();
        if (a.length == 4) {
            return new long[] {((long) (int) BE_INT.get(a, 0)) << 32, 0};
        }
        return new long[] {(long) BE_LONG.get(a, 0), (long) BE_LONG.get(a, 8)};
    }
}
