package io.wirefx.engine.bind;

import io.wirefx.tun.PacketBatch;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * A reusable batch of UDP datagrams: a {@link PacketBatch} (the payload slots) plus one remote endpoint per slot.
 * It is the unit of I/O for {@link UdpBind}.
 *
 * <p>Because the payloads live in a {@code PacketBatch}, one batch can travel through the whole engine without
 * copies: a TUN read fills the slots at {@code headroom}, transport encryption writes the 16-byte header into the
 * headroom and the padding and tag into the tailroom, and {@link UdpBind#send} sends each slot's region; on the way in,
 * {@link UdpBind#receive} fills the slots, decryption happens in place, and the same slots (re-pointed at the
 * plaintext) are written to the TUN device.
 *
 * <ul>
 *   <li>After {@link UdpBind#receive}: slots {@code 0 .. count()-1} hold datagrams at {@code offset == headroom},
 *       {@link #endpoint(int)} is the source.</li>
 *   <li>For {@link UdpBind#send}: slots {@code 0 .. count()-1} with a non-null {@link #endpoint(int)} are sent, in
 *       order, to that endpoint; a slot whose endpoint is null is skipped.</li>
 * </ul>
 *
 * <p>Not thread-safe: a batch is owned by one thread at a time.
 */
public final class DatagramBatch {

    private final PacketBatch packets;
    private final InetSocketAddress[] endpoints;

    /** Creates a batch with its own {@link PacketBatch} of the given geometry. */
    public DatagramBatch(int slots, int headroom, int capacity, int tailroom) {
        this(new PacketBatch(slots, headroom, capacity, tailroom));
    }

    /** Creates a batch over {@code packets} (shared, not copied). */
    public DatagramBatch(PacketBatch packets) {
        this.packets = Objects.requireNonNull(packets, "packets");
        this.endpoints = new InetSocketAddress[packets.capacity()];
    }

    /** The payload slots. */
    public PacketBatch packets() {
        return packets;
    }

    /** Number of slots. */
    public int capacity() {
        return endpoints.length;
    }

    /** Bytes reserved before every slot's payload area. */
    public int headroom() {
        return packets.headroom();
    }

    /** The largest datagram a receive places in one slot. */
    public int packetCapacity() {
        return packets.packetCapacity();
    }

    /** Number of slots in use. */
    public int count() {
        return packets.count();
    }

    /** @see PacketBatch#setCount(int) */
    public void setCount(int count) {
        packets.setCount(count);
    }

    public boolean isEmpty() {
        return packets.isEmpty();
    }

    public boolean isFull() {
        return packets.isFull();
    }

    /** Frees every slot, resets regions to {@code headroom} and forgets all endpoints. */
    public void clear() {
        packets.clear();
        Arrays.fill(endpoints, null);
    }

    /** The backing array of slot {@code i}. */
    public byte[] array(int i) {
        return packets.array(i);
    }

    public int offset(int i) {
        return packets.offset(i);
    }

    public int length(int i) {
        return packets.length(i);
    }

    /** Sets the payload region of slot {@code i}; see {@link PacketBatch#set}. */
    public void set(int i, int offset, int length) {
        packets.set(i, offset, length);
    }

    /** Source (after receive) or destination (for send) of slot {@code i}; null = none (skipped by send). */
    public InetSocketAddress endpoint(int i) {
        return endpoints[Objects.checkIndex(i, endpoints.length)];
    }

    public void setEndpoint(int i, InetSocketAddress endpoint) {
        endpoints[Objects.checkIndex(i, endpoints.length)] = endpoint;
    }

    /**
     * Copies a datagram into the next free slot at {@code headroom} with its endpoint, and increments the count.
     *
     * @return the slot index used
     * @throws IllegalStateException    if the batch is full
     * @throws IllegalArgumentException if {@code len} exceeds {@link #packetCapacity()}
     */
    public int add(byte[] src, int off, int len, InetSocketAddress endpoint) {
        int i = packets.add(src, off, len);
        endpoints[i] = endpoint;
        return i;
    }

    /** Exchanges slot {@code i} of this batch with slot {@code j} of {@code other}, endpoints included. */
    public void swap(int i, DatagramBatch other, int j) {
        packets.swap(i, other.packets, j);
        InetSocketAddress e = endpoints[i];
        endpoints[i] = other.endpoints[j];
        other.endpoints[j] = e;
    }

    @Override
    public String toString() {
        return "DatagramBatch[" + count() + "/" + capacity() + " slots, headroom=" + headroom()
                + ", packetCapacity=" + packetCapacity() + "]";
    }
}
