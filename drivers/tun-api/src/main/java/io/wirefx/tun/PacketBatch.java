package io.wirefx.tun;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A reusable batch of packet slots, the unit of I/O for {@link TunDevice}.
 *
 * <h2>Layout</h2>
 * Each of the {@link #capacity()} slots owns one heap {@code byte[]} of {@link #slotSize()} bytes:
 * <pre>
 *   0          headroom                     headroom + packetCapacity          slotSize
 *   | headroom | packet area (packetCapacity) | tailroom                        |
 * </pre>
 * A slot's packet is the region {@code array(i)[offset(i) .. offset(i) + length(i))}; offsets are absolute indices
 * into {@code array(i)}. Slots {@code 0 .. count()-1} hold packets; the rest are free.
 *
 * <p>{@link TunDevice#read} places every packet at {@code offset == headroom()} and never touches bytes outside the
 * packet area, so the engine can prepend a header in the headroom and append padding and a tag in the tailroom and
 * encrypt in place (WireGuard: 16 bytes of header before, up to 15 bytes of padding plus a 16-byte tag after).
 * {@link TunDevice#write} sends each slot's {@code [offset, offset + length)} region, wherever it lies in the array
 * (e.g. after decrypting in place the plaintext starts 16 bytes into a received datagram).
 *
 * <p>Slot arrays are plain heap arrays so that crypto code works on them directly; {@link #swap} exchanges the storage
 * of two slots (of equally shaped batches) so packets can be handed between batches without copying.
 *
 * <p>Not thread-safe: a batch is owned by one thread at a time.
 */
public final class PacketBatch {

    private final int headroom;
    private final int packetCapacity;
    private final int tailroom;
    private final byte[][] arrays;
    private final int[] offsets;
    private final int[] lengths;
    private final ByteBuffer[] views;
    private int count;

    /**
     * Creates a batch without headroom or tailroom.
     *
     * @param slots          number of slots, at least 1
     * @param packetCapacity largest packet a read can place in a slot, at least 1
     */
    public PacketBatch(int slots, int packetCapacity) {
        this(slots, 0, packetCapacity, 0);
    }

    /**
     * Creates a batch.
     *
     * @param slots          number of slots, at least 1
     * @param headroom       bytes reserved before the packet area of each slot, at least 0
     * @param packetCapacity largest packet a read can place in a slot, at least 1
     * @param tailroom       bytes reserved after the packet area of each slot, at least 0
     * @throws IllegalArgumentException if a value is out of range or a slot would exceed {@code Integer.MAX_VALUE - 8}
     */
    public PacketBatch(int slots, int headroom, int packetCapacity, int tailroom) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1: " + slots);
        }
        if (headroom < 0 || tailroom < 0 || packetCapacity < 1) {
            throw new IllegalArgumentException(
                    "bad slot geometry: headroom=" + headroom + " packetCapacity=" + packetCapacity
                            + " tailroom=" + tailroom);
        }
        long size = (long) headroom + packetCapacity + tailroom;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("slot too large: " + size);
        }
        this.headroom = headroom;
        this.packetCapacity = packetCapacity;
        this.tailroom = tailroom;
        this.arrays = new byte[slots][];
        this.offsets = new int[slots];
        this.lengths = new int[slots];
        this.views = new ByteBuffer[slots];
        for (int i = 0; i < slots; i++) {
            arrays[i] = new byte[(int) size];
            offsets[i] = headroom;
        }
    }

    /** Number of slots. */
    public int capacity() {
        return arrays.length;
    }

    /** Bytes reserved before the packet area of every slot. */
    public int headroom() {
        return headroom;
    }

    /** Size of the packet area of every slot: the largest packet a read delivers. */
    public int packetCapacity() {
        return packetCapacity;
    }

    /** Bytes reserved after the packet area of every slot. */
    public int tailroom() {
        return tailroom;
    }

    /** Length of every slot array: {@code headroom + packetCapacity + tailroom}. */
    public int slotSize() {
        return headroom + packetCapacity + tailroom;
    }

    /** Number of slots in use (slots {@code 0 .. count()-1}). */
    public int count() {
        return count;
    }

    /** True if no slot is in use. */
    public boolean isEmpty() {
        return count == 0;
    }

    /** True if every slot is in use. */
    public boolean isFull() {
        return count == arrays.length;
    }

    /**
     * Sets the number of slots in use; the packets of slots {@code 0 .. count-1} are whatever their offset and length
     * say.
     *
     * @throws IllegalArgumentException if {@code count} is negative or above {@link #capacity()}
     */
    public void setCount(int count) {
        if (count < 0 || count > arrays.length) {
            throw new IllegalArgumentException("count out of range [0," + arrays.length + "]: " + count);
        }
        this.count = count;
    }

    /** Marks every slot free and resets all offsets to {@link #headroom()} and lengths to 0. Contents are kept. */
    public void clear() {
        Arrays.fill(offsets, headroom);
        Arrays.fill(lengths, 0);
        count = 0;
    }

    /** The backing array of slot {@code i} (not a copy). */
    public byte[] array(int i) {
        return arrays[Objects.checkIndex(i, arrays.length)];
    }

    /** Start of slot {@code i}'s packet, as an index into {@link #array(int) array(i)}. */
    public int offset(int i) {
        return offsets[Objects.checkIndex(i, arrays.length)];
    }

    /** Length of slot {@code i}'s packet. */
    public int length(int i) {
        return lengths[Objects.checkIndex(i, arrays.length)];
    }

    /**
     * Sets the packet region of slot {@code i}.
     *
     * @throws IllegalArgumentException if the region is not inside the slot array
     */
    public void set(int i, int offset, int length) {
        Objects.checkIndex(i, arrays.length);
        int size = arrays[i].length;
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IllegalArgumentException(
                    "region [" + offset + ", +" + length + ") outside slot of " + size + " bytes");
        }
        offsets[i] = offset;
        lengths[i] = length;
    }

    /**
     * Copies a packet into the next free slot at {@link #headroom()} and increments {@link #count()}.
     *
     * @return the slot index used
     * @throws IllegalStateException    if the batch is full
     * @throws IllegalArgumentException if {@code len} exceeds {@link #packetCapacity()}
     */
    public int add(byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        if (count == arrays.length) {
            throw new IllegalStateException("batch full (" + arrays.length + " slots)");
        }
        if (len > packetCapacity) {
            throw new IllegalArgumentException("packet of " + len + " bytes exceeds capacity " + packetCapacity);
        }
        int i = count;
        System.arraycopy(src, off, arrays[i], headroom, len);
        offsets[i] = headroom;
        lengths[i] = len;
        count = i + 1;
        return i;
    }

    /** Copies a whole packet into the next free slot; see {@link #add(byte[], int, int)}. */
    public int add(byte[] packet) {
        return add(packet, 0, packet.length);
    }

    /** Returns a copy of slot {@code i}'s packet bytes. */
    public byte[] copyPacket(int i) {
        Objects.checkIndex(i, arrays.length);
        return Arrays.copyOfRange(arrays[i], offsets[i], offsets[i] + lengths[i]);
    }

    /**
     * A heap {@link ByteBuffer} over slot {@code i}'s whole array with position = offset and limit = offset + length.
     * The same buffer object is returned on every call for that slot (its position and limit are reset), so this
     * allocates only once per slot; it becomes stale after {@link #swap}.
     */
    public ByteBuffer buffer(int i) {
        Objects.checkIndex(i, arrays.length);
        ByteBuffer b = views[i];
        if (b == null || b.array() != arrays[i]) {
            b = ByteBuffer.wrap(arrays[i]);
            views[i] = b;
        }
        b.limit(offsets[i] + lengths[i]).position(offsets[i]);
        return b;
    }

    /**
     * Exchanges slot {@code i} of this batch with slot {@code j} of {@code other} (arrays, offsets and lengths),
     * without copying packet bytes. Counts are not changed.
     *
     * @throws IllegalArgumentException if the batches have different slot geometry
     */
    public void swap(int i, PacketBatch other, int j) {
        Objects.checkIndex(i, arrays.length);
        Objects.checkIndex(j, other.arrays.length);
        if (other.headroom != headroom || other.packetCapacity != packetCapacity || other.tailroom != tailroom) {
            throw new IllegalArgumentException("slot geometry differs");
        }
        byte[] a = arrays[i];
        arrays[i] = other.arrays[j];
        other.arrays[j] = a;
        int o = offsets[i];
        offsets[i] = other.offsets[j];
        other.offsets[j] = o;
        int l = lengths[i];
        lengths[i] = other.lengths[j];
        other.lengths[j] = l;
    }

    @Override
    public String toString() {
        return "PacketBatch[" + count + "/" + arrays.length + " slots, headroom=" + headroom
                + ", packetCapacity=" + packetCapacity + ", tailroom=" + tailroom + "]";
    }
}
