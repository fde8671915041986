package io.wirefx.tun;

import java.io.IOException;

/**
 * An open layer-3 TUN interface: raw IPv4/IPv6 packets, no link-layer or per-packet prefix (drivers strip platform
 * headers such as the utun family word).
 *
 * <h2>Threading</h2>
 * One thread reads while others write; {@link #read} and {@link #write} may run concurrently with each other and
 * with {@link #close}. Concurrent calls to {@code read} (or to {@code write}) are serialized by the driver.
 *
 * <h2>Closing</h2>
 * {@link #close()} wakes a reader blocked in {@link #read}, which then returns {@code -1}. Once closed, {@code read}
 * keeps returning {@code -1} and {@code write} throws {@link TunClosedException}. A device also closes itself when
 * the OS interface disappears (deleted by an administrator, driver unloaded): listeners get
 * {@link TunEvent.DeviceRemoved} and reads end with {@code -1}, exactly as after {@code close()}.
 */
public interface TunDevice extends AutoCloseable {

    /** Smallest MTU accepted by {@link #setMtu} (the IPv4 minimum). */
    int MIN_MTU = 68;

    /** Largest MTU accepted by {@link #setMtu}. */
    int MAX_MTU = 65535;

    /** The interface name as the OS reports it, e.g. {@code wg0} (a {@code wg%d} template resolved). */
    String name();

    /**
     * The interface MTU. Drivers may ask the OS (and fire {@link TunEvent.MtuChanged} if it changed behind their
     * back); if that fails, or after close, the last known value is returned.
     */
    int mtu();

    /**
     * Sets the interface MTU and fires {@link TunEvent.MtuChanged} if it changed.
     *
     * @throws IllegalArgumentException if {@code mtu} is outside [{@link #MIN_MTU}, {@link #MAX_MTU}]
     * @throws TunClosedException       if the device is closed
     * @throws IOException              if the OS rejects the value
     */
    void setMtu(int mtu) throws IOException;

    /**
     * Reads packets into {@code batch}. The batch is cleared first; then this blocks until at least one packet is
     * available and fills slots {@code 0 .. n-1} with as many queued packets as are available right now, up to the
     * batch capacity (it does not wait for more). Each packet is placed at {@code offset == batch.headroom()}.
     * Packets longer than {@code batch.packetCapacity()} are dropped, never truncated, so size batches for the MTU.
     *
     * @return the number of packets read ({@code >= 1}, also stored in {@code batch.count()}), or {@code -1} if the
     *         device is closed or was removed (then {@code batch.count() == 0})
     * @throws IOException on an unexpected OS error
     */
    int read(PacketBatch batch) throws IOException;

    /**
     * Reads the packets queued right now, without waiting: like {@link #read} but returns {@code 0} at once when
     * nothing is queued. May run concurrently with a blocked {@link #read} (each packet goes to one of them). The
     * engine calls it right after writing to the device, when the kernel has often already queued the answer (an echo
     * reply, a TCP ACK): sending it from the thread that is awake saves waking the reader. Drivers that cannot read
     * without waiting return {@code 0} (the default).
     *
     * @return the number of packets read ({@code >= 0}, also in {@code batch.count()}), or {@code -1} if the device
     *         is closed or was removed
     * @throws IOException on an unexpected OS error
     */
    default int readNow(PacketBatch batch) throws IOException {
        batch.clear();
        return isOpen() ? 0 : -1;
    }

    /**
     * Whether {@link #readNow} really reads and {@link #awaitReadable} is implemented. A reader that waits with
     * {@code awaitReadable} and then takes packets with {@code readNow} can hold a lock of its own around taking and
     * processing them, so that another thread's {@code readNow} never overtakes packets it already took.
     */
    default boolean readsWithoutWaiting() {
        return false;
    }

    /**
     * Blocks until a packet is queued, without taking it (a following {@link #readNow} may still find nothing: another
     * thread took it, or the wake-up was spurious). Also wakes when the device closes.
     *
     * @return false once the device is closed or was removed
     * @throws IOException                   on an unexpected OS error
     * @throws UnsupportedOperationException unless {@link #readsWithoutWaiting()}
     */
    default boolean awaitReadable() throws IOException {
        throw new UnsupportedOperationException("awaitReadable: " + getClass().getName());
    }

    /**
     * Writes the packets in slots {@code 0 .. batch.count()-1}, each slot's {@code [offset, offset + length)} region
     * as one packet, in order. The batch is not modified. Writes do not block for long: a packet the OS refuses
     * (link down, malformed, no buffer space) is dropped and not counted, like a lost packet on a wire.
     *
     * @return the number of packets the OS accepted
     * @throws TunClosedException if the device is closed or was removed (possibly after some packets went out)
     * @throws IOException        on an unexpected OS error
     */
    int write(PacketBatch batch) throws IOException;

    /** False once {@link #close()} was called or the interface was removed. */
    boolean isOpen();

    /** Registers a listener; see {@link TunEventListener} for the delivery rules. */
    void addListener(TunEventListener listener);

    /** Unregisters a listener; no effect if it was not registered. */
    void removeListener(TunEventListener listener);

    /**
     * Closes the device, wakes a blocked reader and releases OS resources. A non-persistent OS interface goes away
     * with it. Idempotent; never throws.
     */
    @Override
    void close();
}
