package io.wirefx.tun.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.wirefx.tun.PacketBatch;
import io.wirefx.tun.TunClosedException;
import io.wirefx.tun.TunDevice;
import io.wirefx.tun.TunEvent;
import io.wirefx.tun.TunEventListener;
import io.wirefx.tun.TunListeners;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Wintun adapter with its session: packets move through two shared-memory rings of {@link WintunDriver#RING_CAPACITY}
 * bytes.
 *
 * <h2>Reading</h2>
 * {@link #read} takes packets with {@code WintunReceivePacket} until the ring is empty ({@code ERROR_NO_MORE_ITEMS})
 * or the batch is full, copies each into its slot and releases it at once. With nothing to read it waits on the
 * session's read-wait event and this device's own quit event together ({@code WaitForMultipleObjects}), so that
 * {@link #close} wakes a blocked reader. Wintun signals the read-wait event only after a receive found the ring
 * empty, which is why {@link #awaitReadable} receives first and keeps the packet it got for the next {@link #readNow}
 * (Wintun allows releases out of order). Waits end at least once a second to look again, so an adapter that goes away
 * without signalling still ends the read ({@code ERROR_HANDLE_EOF}).
 *
 * <h2>Writing</h2>
 * {@code WintunAllocateSendPacket}, copy, {@code WintunSendPacket}. A full ring ({@code ERROR_BUFFER_OVERFLOW}) drops
 * the packet and counts it ({@link #droppedRingFull()}), like a congested link; writing never blocks.
 *
 * <h2>Closing</h2>
 * Sets the closed flag and the quit event, then waits for every reader and writer to leave the session before
 * {@code WintunEndSession} (which frees the rings) and {@code WintunCloseAdapter} (which removes an adapter this
 * process created). The read-wait event belongs to the session and is never closed here.
 *
 * <h2>MTU</h2>
 * The adapter's MTU is the IP interface's {@code NlMtu}, read and set through {@link InterfaceMtu} on the LUID.
 */
public final class WintunDevice implements TunDevice {

    /** Largest packet Wintun carries. */
    static final int MAX_PACKET = 0xFFFF;
    /** Upper bound of one wait, so that a silent adapter removal is noticed. */
    static final int WAIT_MILLIS = 1000;

    private final WintunApi api;
    private final Pointer adapter;
    private final Pointer session;
    private final Pointer readEvent;
    private final Pointer quitEvent;
    private final long luid;
    private final String name;
    private final InterfaceMtu mtuControl;
    private final TunListeners listeners = new TunListeners();

    // Lock order (close takes all): readLock -> nowLock -> writeLock -> ctlLock. Listeners never run under a lock.
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock nowLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock ctlLock = new ReentrantLock();

    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean removalReported = new AtomicBoolean();
    private volatile boolean closed;

    private final Drain reader = new Drain();
    private final Drain now = new Drain();
    private final Memory awaitSize = new Memory(4);
    /** A packet {@link #awaitReadable} received and the next drain delivers first. */
    private final AtomicReference<Held> held = new AtomicReference<>();

    private final AtomicLong droppedOversizeReads = new AtomicLong();
    private final AtomicLong droppedRingFull = new AtomicLong();
    private long droppedWrites; // guarded by writeLock

    private volatile int mtu;

    WintunDevice(WintunApi api, Pointer adapter, Pointer session, Pointer quitEvent, String name, long luid, int mtu,
                 InterfaceMtu mtuControl) {
        this.api = api;
        this.adapter = adapter;
        this.session = session;
        this.readEvent = api.readWaitEvent(session);
        this.quitEvent = quitEvent;
        this.name = name;
        this.luid = luid;
        this.mtu = mtu;
        this.mtuControl = mtuControl;
    }

    @Override
    public String name() {
        return name;
    }

    /** The adapter's {@code NET_LUID}: the key of every IP Helper and WFP call about this interface. */
    public long luid() {
        return luid;
    }

    // ------------------------------------------------------------------ read

    @Override
    public int read(PacketBatch batch) throws IOException {
        batch.clear();
        String removal = null;
        int n = 0;
        readLock.lock();
        try {
            while (!closed) {
                n = drain(reader, batch);
                removal = reader.removal;
                if (n > 0 || removal != null) {
                    break;
                }
                await();
            }
        } finally {
            readLock.unlock();
        }
        if (removal != null) {
            onRemoved(removal);
        }
        if (n == 0) {
            batch.setCount(0);
            return -1;
        }
        batch.setCount(n);
        return n;
    }

    @Override
    public boolean readsWithoutWaiting() {
        return true;
    }

    @Override
    public boolean awaitReadable() throws IOException {
        String removal = null;
        readLock.lock();
        try {
            while (!closed) {
                if (held.get() != null) {
                    return true;
                }
                Pointer packet = api.receivePacket(session, awaitSize);
                if (packet != null) {
                    held.set(new Held(packet, awaitSize.getInt(0)));
                    return true;
                }
                int err = api.lastError();
                if (err != WintunApi.ERROR_NO_MORE_ITEMS) {
                    removal = receiveFailure(err);
                    break;
                }
                await();
            }
        } finally {
            readLock.unlock();
        }
        if (removal != null) {
            onRemoved(removal);
        }
        return false;
    }

    @Override
    public int readNow(PacketBatch batch) throws IOException {
        batch.clear();
        String removal;
        int n;
        nowLock.lock();
        try {
            if (closed) {
                return -1;
            }
            n = drain(now, batch);
            removal = now.removal;
        } finally {
            nowLock.unlock();
        }
        batch.setCount(n);
        if (removal != null) {
            onRemoved(removal);
            return n > 0 ? n : -1;
        }
        return n;
    }

    /** Waits for the read-wait event or the quit event (or {@link #WAIT_MILLIS}). */
    private void await() throws IOException {
        int w = api.waitAny(readEvent, quitEvent, WAIT_MILLIS);
        if (w == WintunApi.WAIT_FAILED) {
            throw new IOException("WaitForMultipleObjects on " + name + " failed: error " + api.lastError());
        }
    }

    /**
     * Receives into {@code batch} from slot 0 until the ring is empty or the batch full; the packet held by
     * {@link #awaitReadable} comes first. Sets {@code d.removal} when the adapter is terminating or the ring corrupt.
     */
    private int drain(Drain d, PacketBatch batch) throws IOException {
        d.removal = null;
        int n = 0;
        Held h = held.getAndSet(null);
        if (h != null && deliver(h.packet, h.size, batch, n)) {
            n++;
        }
        int capacity = batch.capacity();
        while (n < capacity) {
            Pointer packet = api.receivePacket(session, d.size);
            if (packet == null) {
                int err = api.lastError();
                if (err != WintunApi.ERROR_NO_MORE_ITEMS) {
                    d.removal = receiveFailure(err);
                }
                break;
            }
            if (deliver(packet, d.size.getInt(0), batch, n)) {
                n++;
            }
        }
        return n;
    }

    /** Copies a received packet into slot {@code slot} (unless it does not fit: then counts it) and releases it. */
    private boolean deliver(Pointer packet, int size, PacketBatch batch, int slot) {
        try {
            if (size < 0 || size > batch.packetCapacity()) {
                droppedOversizeReads.incrementAndGet(); // never a truncated IP packet
                return false;
            }
            packet.read(0, batch.array(slot), batch.headroom(), size);
            batch.set(slot, batch.headroom(), size);
            return true;
        } finally {
            api.releaseReceivePacket(session, packet);
        }
    }

    /** Why the session stopped delivering; an unknown error is an I/O failure. */
    private String receiveFailure(int err) throws IOException {
        return switch (err) {
            case WintunApi.ERROR_HANDLE_EOF -> "WintunReceivePacket: adapter terminating (ERROR_HANDLE_EOF)";
            case WintunApi.ERROR_INVALID_DATA -> "WintunReceivePacket: ring corrupt (ERROR_INVALID_DATA)";
            default -> throw new IOException("WintunReceivePacket on " + name + " failed: error " + err);
        };
    }

    // ------------------------------------------------------------------ write

    @Override
    public int write(PacketBatch batch) throws IOException {
        int count = batch.count();
        int accepted = 0;
        String removal = null;
        writeLock.lock();
        try {
            if (closed) {
                throw new TunClosedException(name);
            }
            for (int i = 0; i < count; i++) {
                int len = batch.length(i);
                if (len == 0 || len > MAX_PACKET) {
                    droppedWrites++;
                    continue;
                }
                Pointer packet = api.allocateSendPacket(session, len);
                if (packet == null) {
                    int err = api.lastError();
                    if (err == WintunApi.ERROR_BUFFER_OVERFLOW) {
                        droppedRingFull.incrementAndGet();
                        continue;
                    }
                    if (err == WintunApi.ERROR_HANDLE_EOF) {
                        removal = "WintunAllocateSendPacket: adapter terminating (ERROR_HANDLE_EOF)";
                        break;
                    }
                    throw new IOException("WintunAllocateSendPacket on " + name + " failed: error " + err);
                }
                packet.write(0, batch.array(i), batch.offset(i), len);
                api.sendPacket(session, packet);
                accepted++;
            }
        } finally {
            writeLock.unlock();
        }
        if (removal != null) {
            onRemoved(removal);
            throw new TunClosedException(name);
        }
        return accepted;
    }

    /** Packets {@link #write} dropped because Wintun's send ring was full. */
    public long droppedRingFull() {
        return droppedRingFull.get();
    }

    /** Packets {@link #read}/{@link #readNow} dropped because they exceeded the batch's packet capacity. */
    public long droppedOversizeReads() {
        return droppedOversizeReads.get();
    }

    /** Packets {@link #write} dropped as empty or over 64 KiB. */
    public long droppedWrites() {
        writeLock.lock();
        try {
            return droppedWrites;
        } finally {
            writeLock.unlock();
        }
    }

    // ------------------------------------------------------------------ MTU

    @Override
    public int mtu() {
        int old;
        int current;
        ctlLock.lock();
        try {
            old = mtu;
            if (closed) {
                return old;
            }
            try {
                current = mtuControl.get(luid);
            } catch (IOException e) {
                return old;
            }
            mtu = current;
        } finally {
            ctlLock.unlock();
        }
        if (current != old) {
            listeners.fire(this, new TunEvent.MtuChanged(old, current));
        }
        return current;
    }

    @Override
    public void setMtu(int newMtu) throws IOException {
        WintunDriver.checkMtu(newMtu);
        int old;
        ctlLock.lock();
        try {
            if (closed) {
                throw new TunClosedException(name);
            }
            mtuControl.set(luid, newMtu);
            old = mtu;
            mtu = newMtu;
        } finally {
            ctlLock.unlock();
        }
        if (old != newMtu) {
            listeners.fire(this, new TunEvent.MtuChanged(old, newMtu));
        }
    }

    // ------------------------------------------------------------------ events and close

    @Override
    public void addListener(TunEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(TunEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /** The adapter is going away: close, then report once (not if the user closed the device first). */
    private void onRemoved(String detail) {
        if (closing.get() || !removalReported.compareAndSet(false, true)) {
            return;
        }
        close();
        listeners.fire(this, new TunEvent.DeviceRemoved(detail));
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        api.setEvent(quitEvent); // manual-reset: every later wait returns at once too
        readLock.lock();
        nowLock.lock();
        writeLock.lock();
        ctlLock.lock();
        try {
            held.set(null); // its memory goes with the ring
            api.endSession(session);
            api.closeAdapter(adapter);
            api.closeHandle(quitEvent);
        } finally {
            ctlLock.unlock();
            writeLock.unlock();
            nowLock.unlock();
            readLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "WintunDevice[" + name + (closed ? ", closed]" : "]");
    }

    private record Held(Pointer packet, int size) {
    }

    /** One reading side's size out-parameter, and why its last drain ended the session (null if it did not). */
    private static final class Drain {
        final Memory size = new Memory(4);
        String removal;
    }
}
