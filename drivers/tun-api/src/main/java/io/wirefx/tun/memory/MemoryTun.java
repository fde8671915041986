package io.wirefx.tun.memory;

import io.wirefx.tun.PacketBatch;
import io.wirefx.tun.TunClosedException;
import io.wirefx.tun.TunDevice;
import io.wirefx.tun.TunEvent;
import io.wirefx.tun.TunEventListener;
import io.wirefx.tun.TunListeners;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An in-memory {@link TunDevice} for tests, with a test-side handle (the "wire"): packets {@link #inject injected}
 * there come out of {@link #read}, and packets given to {@link #write} are collected for {@link #takeWritten}.
 *
 * <p>Both directions are bounded queues of copies. An inject into a full queue is refused; a write into a full queue
 * drops the packet (counted in {@link #droppedWrites()}), as a real TUN does under pressure. Reads drop packets
 * longer than the batch's packet capacity (counted in {@link #droppedReads()}).
 */
public final class MemoryTun implements TunDevice {

    /** Default capacity of each direction's queue, in packets. */
    public static final int DEFAULT_QUEUE_CAPACITY = 4096;

    private final String name;
    private final int queueCapacity;
    private final TunListeners listeners = new TunListeners();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition inboundReady = lock.newCondition();
    private final Condition outboundReady = lock.newCondition();
    private final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
    private final ArrayDeque<byte[]> outbound = new ArrayDeque<>();
    private int mtu;
    private boolean up;
    private boolean closed;
    private boolean removed;
    private long droppedWrites;
    private long droppedReads;

    /** Creates a device with {@link #DEFAULT_QUEUE_CAPACITY}. */
    public MemoryTun(String name, int mtu) {
        this(name, mtu, DEFAULT_QUEUE_CAPACITY);
    }

    /**
     * Creates a device.
     *
     * @param queueCapacity capacity of each direction's queue, in packets (at least 1)
     */
    public MemoryTun(String name, int mtu, int queueCapacity) {
        this.name = Objects.requireNonNull(name, "name");
        checkMtu(mtu);
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be >= 1: " + queueCapacity);
        }
        this.mtu = mtu;
        this.queueCapacity = queueCapacity;
    }

    // ---- TunDevice ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public int mtu() {
        lock.lock();
        try {
            return mtu;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setMtu(int newMtu) throws TunClosedException {
        checkMtu(newMtu);
        int old;
        lock.lock();
        try {
            if (closed) {
                throw new TunClosedException(name);
            }
            old = mtu;
            mtu = newMtu;
        } finally {
            lock.unlock();
        }
        if (old != newMtu) {
            listeners.fire(this, new TunEvent.MtuChanged(old, newMtu));
        }
    }

    @Override
    public int read(PacketBatch batch) {
        batch.clear();
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    return -1;
                }
                if (drainInbound(batch) > 0) {
                    return batch.count();
                }
                inboundReady.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Moves queued packets into {@code batch} until it is full (lock held); oversize ones are dropped and counted. */
    private int drainInbound(PacketBatch batch) {
        while (!inbound.isEmpty() && !batch.isFull()) {
            byte[] p = inbound.poll();
            if (p.length > batch.packetCapacity()) {
                droppedReads++;
                continue;
            }
            batch.add(p);
        }
        return batch.count();
    }

    @Override
    public boolean readsWithoutWaiting() {
        return true;
    }

    @Override
    public boolean awaitReadable() {
        lock.lock();
        try {
            while (inbound.isEmpty() && !closed) {
                inboundReady.awaitUninterruptibly();
            }
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int readNow(PacketBatch batch) {
        batch.clear();
        lock.lock();
        try {
            if (closed) {
                return -1;
            }
            return drainInbound(batch);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int write(PacketBatch batch) throws TunClosedException {
        int n = batch.count();
        int accepted = 0;
        lock.lock();
        try {
            if (closed) {
                throw new TunClosedException(name);
            }
            for (int i = 0; i < n; i++) {
                if (outbound.size() >= queueCapacity) {
                    droppedWrites++;
                    continue;
                }
                outbound.add(batch.copyPacket(i));
                accepted++;
            }
            if (accepted > 0) {
                outboundReady.signalAll();
            }
        } finally {
            lock.unlock();
        }
        return accepted;
    }

    @Override
    public boolean isOpen() {
        lock.lock();
        try {
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void addListener(TunEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(TunEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            inboundReady.signalAll();
            outboundReady.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- test side ("the wire") ----

    /**
     * Queues a copy of a packet to be returned by {@link #read}.
     *
     * @return false if the device is closed or the inbound queue is full
     */
    public boolean inject(byte[] packet, int off, int len) {
        Objects.checkFromIndexSize(off, len, packet.length);
        byte[] copy = Arrays.copyOfRange(packet, off, off + len);
        lock.lock();
        try {
            if (closed || inbound.size() >= queueCapacity) {
                return false;
            }
            inbound.add(copy);
            inboundReady.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Queues a copy of a whole packet; see {@link #inject(byte[], int, int)}. */
    public boolean inject(byte[] packet) {
        return inject(packet, 0, packet.length);
    }

    /** Removes and returns the oldest packet written to the device, or null if there is none. */
    public byte[] pollWritten() {
        lock.lock();
        try {
            return outbound.poll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes and returns the oldest packet written to the device, waiting up to the timeout for one.
     * Packets written before close stay available after it.
     *
     * @return the packet, or null on timeout or if the device is closed and nothing is left
     */
    public byte[] takeWritten(long timeout, TimeUnit unit) throws InterruptedException {
        long remaining = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (outbound.isEmpty()) {
                if (closed || remaining <= 0) {
                    return null;
                }
                remaining = outboundReady.awaitNanos(remaining);
            }
            return outbound.poll();
        } finally {
            lock.unlock();
        }
    }

    /** Number of written packets waiting to be taken. */
    public int writtenCount() {
        lock.lock();
        try {
            return outbound.size();
        } finally {
            lock.unlock();
        }
    }

    /** Number of injected packets not yet read. */
    public int pendingInbound() {
        lock.lock();
        try {
            return inbound.size();
        } finally {
            lock.unlock();
        }
    }

    /** Packets dropped by {@link #write} because the outbound queue was full. */
    public long droppedWrites() {
        lock.lock();
        try {
            return droppedWrites;
        } finally {
            lock.unlock();
        }
    }

    /** Packets dropped by {@link #read} because they did not fit the batch's packet capacity. */
    public long droppedReads() {
        lock.lock();
        try {
            return droppedReads;
        } finally {
            lock.unlock();
        }
    }

    /** Simulates an administrator setting the link up or down; fires {@link TunEvent.LinkStateChanged} on change. */
    public void setLinkUp(boolean newUp) {
        boolean changed;
        lock.lock();
        try {
            changed = !closed && up != newUp;
            if (changed) {
                up = newUp;
            }
        } finally {
            lock.unlock();
        }
        if (changed) {
            listeners.fire(this, new TunEvent.LinkStateChanged(newUp));
        }
    }

    /** Whether the simulated link is up (initially down). */
    public boolean isLinkUp() {
        lock.lock();
        try {
            return up;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Simulates the OS deleting the interface: the device closes (waking a blocked reader) and listeners get
     * {@link TunEvent.DeviceRemoved}. No effect if already closed.
     */
    public void simulateRemoval() {
        lock.lock();
        try {
            if (closed || removed) {
                return;
            }
            removed = true;
        } finally {
            lock.unlock();
        }
        close();
        listeners.fire(this, new TunEvent.DeviceRemoved("simulated removal"));
    }

    private static void checkMtu(int mtu) {
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw new IllegalArgumentException("MTU out of range [" + MIN_MTU + ", " + MAX_MTU + "]: " + mtu);
        }
    }

    @Override
    public String toString() {
        return "MemoryTun[" + name + "]";
    }
}
