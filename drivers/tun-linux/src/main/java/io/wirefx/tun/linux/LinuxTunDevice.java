package io.wirefx.tun.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.wirefx.tun.PacketBatch;
import io.wirefx.tun.TunClosedException;
import io.wirefx.tun.TunDevice;
import io.wirefx.tun.TunEvent;
import io.wirefx.tun.TunEventListener;
import io.wirefx.tun.TunListeners;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TUN interface opened on {@code /dev/net/tun} ({@code IFF_TUN | IFF_NO_PI}, and {@code IFF_VNET_HDR} with
 * offloads when the kernel takes them: see Offload below).
 *
 * <h2>I/O</h2>
 * The fd is non-blocking. {@link #read} drains packets with plain {@code read(2)} until EAGAIN or the batch is full,
 * and only then blocks in {@code poll(2)} on the TUN fd and an eventfd that {@link #close()} signals (closing an fd
 * does not wake a thread blocked on it). Each packet is read into a per-device native buffer and copied once into
 * its heap slot; a JNA heap-array argument would cost a copy in and a copy out instead. {@link #write} likewise copies
 * each slot into a native buffer and issues one {@code write(2)} per packet (TUN has no vectored multi-packet write
 * without the vnet header).
 *
 * <h2>Removal and state</h2>
 * When the interface is deleted, the kernel detaches the fd: poll reports POLLERR and read/write fail with EBADFD.
 * The device then closes itself and fires {@link TunEvent.DeviceRemoved}. Outside changes of MTU and the IFF_UP flag
 * fire {@link TunEvent.MtuChanged} / {@link TunEvent.LinkStateChanged}: a {@link LinkWatch} (rtnetlink link
 * notifications) is in an idle reader's poll set, so a change wakes it, and is asked after each batch read, so a
 * change announced by the kernel is checked and reported before that batch is returned (an MTU change applies to the
 * next packet); a reader that never waits also checks every five seconds. Without link notifications an idle reader
 * wakes once a second to check.
 *
 * <h2>Namespace</h2>
 * The interface and the control socket used for MTU/flags ioctls live in the network namespace of the thread that
 * called {@link LinuxTunDriver#open}; later calls may come from any thread.
 *
 * <h2>Offload</h2>
 * With {@code IFF_VNET_HDR} every read and write carries a 10-byte {@code virtio_net_hdr} first. When the kernel
 * accepted TSO ({@code TUNSETOFFLOAD} with checksum, TSO4, TSO6 and, where it has them, USO4/USO6), the local stack
 * hands over TCP (and UDP GSO) super-packets of up to 64 KiB and packets with a partial checksum: {@link #read}
 * splits them into ordinary MTU-sized packets with complete checksums ({@link GsoSplitter}), so callers see the same
 * packets as without offload, only with one system call per 64 KiB. {@link #write} joins in-order TCP segments of
 * a flow into one super-packet per write ({@link TcpCoalescer}). {@link #offloads()} says what was negotiated.
 */
public final class LinuxTunDevice implements TunDevice {

    /** Native I/O buffer size: the largest frame (virtio header + 64 KiB packet). */
    static final int IO_BUFFER = VirtioNetHdr.MAX_FRAME + 1;

    private static final long STATE_CHECK_INTERVAL_NANOS = 1_000_000_000L;
    /** A reader that always finds packets waiting checks at its next read once this much has passed. */
    private static final long STALE_STATE_NANOS = 5 * STATE_CHECK_INTERVAL_NANOS;
    private static final int POLL_TIMEOUT_MILLIS = 1000;
    private static final int POLLFD_SIZE = 8; // struct pollfd { int fd; short events; short revents; }
    /** Added by {@link #await} to the TUN fd's revents when a link notification woke the poll. */
    private static final int LINK_NOTIFIED = 1 << 16;

    private final int tunFd;
    private final int ctlFd;
    private final int wakeFd;
    /** TUNSETOFFLOAD flags the kernel accepted; -1 without a virtio header. */
    private final int offloads;
    private final boolean vnetHdr;
    private final TunListeners listeners = new TunListeners();

    // Lock order (close takes all four): readLock -> nowLock -> writeLock -> ctlLock. Listeners are never called
    // under a lock. readNow has its own lock and buffer: it must not wait for a reader blocked in poll.
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock nowLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock ctlLock = new ReentrantLock();

    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean removalReported = new AtomicBoolean();
    private final AtomicLong droppedOversizeReads = new AtomicLong();
    private final AtomicLong superPacketsRead = new AtomicLong();
    private volatile boolean closed;

    /**
     * The native buffers below, freed by {@link #close} at once (under all locks, once no call can be using them)
     * rather than whenever a full GC finds them unreachable: a service that brings tunnels up and down would
     * otherwise hold every closed device's buffers until then.
     */
    private final Arena memory = Arena.ofShared();

    // Reader-owned (guarded by readLock).
    private final Drain reader = new Drain(memory);
    private final Memory readPollFds = new Memory(3 * POLLFD_SIZE);
    private long lastStateCheck;
    private volatile int readPollTimeoutMillis;

    /** awaitReadable's error wake-ups since readNow last found a packet (racy by design: a heuristic). */
    private volatile int errorPolls;
    /** readNow's splitter holds segments of a super-packet already read: awaitReadable must not wait. */
    private volatile boolean nowPending;

    // readNow-owned (guarded by nowLock). Allocated up front: a lazy allocation is a branch that compiled code
    // first meets on a new device's first packet, and trapping there sends the read back to the interpreter.
    private final Drain now = new Drain(memory);

    // Writer-owned (guarded by writeLock).
    private final ByteBuffer writeBuf;
    private final Pointer writePtr;
    private final Memory writePollFds = new Memory(2 * POLLFD_SIZE);
    private final TcpCoalescer coalescer = new TcpCoalescer();
    private long droppedWrites;
    private long superPacketsWritten;

    // Interface state (guarded by ctlLock; volatile for lock-free reads of last known values).
    private volatile String name;
    private volatile int mtu;
    private boolean up;
    /** Kernel link notifications (null for a loopback pair, or when netlink is refused: then periodic checks only). */
    private final LinkWatch links;

    LinuxTunDevice(int tunFd, int ctlFd, int wakeFd, String name, int mtu, boolean up, int offloads) {
        this.tunFd = tunFd;
        this.offloads = offloads;
        this.vnetHdr = offloads >= 0;
        this.ctlFd = ctlFd;
        this.wakeFd = wakeFd;
        this.name = name;
        this.mtu = mtu;
        this.up = up;
        this.writeBuf = memory.allocate(IO_BUFFER, Long.BYTES).asByteBuffer();
        this.writePtr = Native.getDirectBufferPointer(writeBuf);
        this.lastStateCheck = System.nanoTime();
        this.links = ctlFd >= 0 ? LinkWatch.open() : null;
        // With link notifications in the poll set an idle reader sleeps until a packet, a link change or close.
        this.readPollTimeoutMillis = links != null ? -1 : POLL_TIMEOUT_MILLIS;
    }

    @Override
    public String name() {
        return name;
    }

    // ------------------------------------------------------------------ read

    @Override
    public int read(PacketBatch batch) throws IOException {
        batch.clear();
        String removal = null;
        List<TunEvent> linkEvents = null;
        int n = 0;
        readLock.lock();
        try {
            if (closed) {
                return -1;
            }
            if (System.nanoTime() - lastStateCheck >= STALE_STATE_NANOS) {
                removal = checkStateAndNotify(); // a busy reader that never waits: check now and then anyway
            }
            boolean pollError = false;
            while (removal == null && !closed) {
                n = drain(reader, batch);
                removal = reader.removal;
                if (n > 0 || removal != null || closed) {
                    break;
                }
                if (pollError) {
                    // poll said POLLERR/POLLHUP but read has nothing: the queue is detached.
                    removal = "poll: error condition on the TUN fd";
                    break;
                }
                if (links == null && System.nanoTime() - lastStateCheck >= STATE_CHECK_INTERVAL_NANOS) {
                    // Idle without link notifications: the moment for the periodic check, never between a wake-up
                    // and its packet. Then read again: a packet may have come meanwhile.
                    removal = checkStateAndNotify();
                    continue;
                }
                int revents = await(readPollFds, LibC.POLLIN, readPollTimeoutMillis, true);
                if (closed) {
                    break;
                }
                if ((revents & LINK_NOTIFIED) != 0 && links.changed()) {
                    removal = checkStateAndNotify();
                }
                pollError = (revents & (LibC.POLLERR | LibC.POLLHUP | LibC.POLLNVAL)) != 0;
            }
            if (n > 0 && removal == null) {
                StateCheck c = announcedChange();
                linkEvents = c.events;
                removal = c.removal;
            }
        } finally {
            readLock.unlock();
        }
        fire(linkEvents);
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

    /**
     * Reads queued packets into {@code batch} from slot 0 until the queue is empty (EAGAIN) or the batch is full, each
     * through {@code d}'s native buffer and copied once into its slot. Returns how many; {@code d.removal} says why
     * the fd no longer carries packets (EBADFD: the interface was deleted; end of file: a loopback pair's other end
     * closed), else null.
     */
    private int drain(Drain d, PacketBatch batch) throws IOException {
        d.removal = null;
        int capacity = batch.capacity();
        int headroom = batch.headroom();
        int packetCapacity = batch.packetCapacity();
        int n = 0;
        if (vnetHdr && d.splitter.pending()) {
            n = d.splitter.emit(batch, 0);
        }
        while (n < capacity) {
            long r = LibC.read(tunFd, d.ptr, IO_BUFFER);
            if (r > 0) {
                if (vnetHdr) {
                    if (d.splitter.load(d.buf, (int) r, packetCapacity)) {
                        if (d.splitter.segments() > 1) {
                            superPacketsRead.incrementAndGet();
                        }
                        n = d.splitter.emit(batch, n);
                    } else {
                        droppedOversizeReads.incrementAndGet(); // a frame we cannot cut into the batch's slots
                    }
                    continue;
                }
                if (r > packetCapacity) {
                    droppedOversizeReads.incrementAndGet(); // never deliver a truncated IP packet
                    continue;
                }
                d.buf.get(0, batch.array(n), headroom, (int) r);
                batch.set(n, headroom, (int) r);
                n++;
                continue;
            }
            if (r == 0) {
                d.removal = "read: end of file"; // never from TUN
                break;
            }
            int err = LibC.errno();
            if (err == LibC.EINTR) {
                continue;
            }
            if (err == LibC.EAGAIN) {
                break;
            }
            if (err == LibC.EBADFD) {
                d.removal = "read: " + LibC.describe(err);
                break;
            }
            throw new IOException("read from " + name + " failed: " + LibC.describe(err));
        }
        return n;
    }

    @Override
    public boolean readsWithoutWaiting() {
        return true;
    }

    /**
     * Polls as {@link #read} does when the queue is empty (with the periodic state check and the close wake-up), but
     * takes nothing. On POLLERR/POLLHUP it asks the fd whether it was detached (TUNGETIFF fails with EBADFD) and else
     * reports readable, so that {@link #readNow} meets the error.
     */
    @Override
    public boolean awaitReadable() throws IOException {
        String removal = null;
        if (nowPending && !closed) {
            return true; // segments of a super-packet already read wait in readNow's splitter
        }
        readLock.lock();
        try {
            while (!closed) {
                if (links == null && System.nanoTime() - lastStateCheck >= STATE_CHECK_INTERVAL_NANOS) {
                    removal = checkStateAndNotify();
                    if (removal != null || closed) {
                        break;
                    }
                }
                int revents = await(readPollFds, LibC.POLLIN, readPollTimeoutMillis, true);
                if (closed) {
                    break;
                }
                if ((revents & LINK_NOTIFIED) != 0 && links.changed()) {
                    removal = checkStateAndNotify();
                    if (removal != null || closed) {
                        break;
                    }
                }
                if ((revents & LibC.POLLIN) != 0) {
                    return true;
                }
                if ((revents & (LibC.POLLERR | LibC.POLLHUP | LibC.POLLNVAL)) != 0) {
                    removal = detachedCause();
                    if (removal == null && errorPolls++ > 0) {
                        // an error condition twice with nothing to read in between (read() concludes the same)
                        removal = "poll: error condition on the TUN fd";
                    }
                    if (removal != null) {
                        break;
                    }
                    return true;
                }
            }
        } finally {
            readLock.unlock();
        }
        if (removal != null) {
            onRemoved(removal);
        }
        return false;
    }

    /** Why the fd no longer carries packets (the interface was deleted), or null if it still does. */
    private String detachedCause() {
        ctlLock.lock();
        try {
            if (closed) {
                return null;
            }
            if (LibC.ioctl(tunFd, IfReq.TUNGETIFF, new IfReq(null).mem) != 0 && LibC.errno() == LibC.EBADFD) {
                return "TUNGETIFF: " + LibC.describe(LibC.EBADFD);
            }
            return null;
        } finally {
            ctlLock.unlock();
        }
    }

    /**
     * Non-blocking read of what is queued now, with its own native buffer: a reader blocked in {@link #read} holds
     * the read lock for the whole of its poll.
     */
    @Override
    public int readNow(PacketBatch batch) throws IOException {
        batch.clear();
        String removal;
        int n;
        List<TunEvent> linkEvents = null;
        nowLock.lock();
        try {
            if (closed) {
                return -1;
            }
            n = drain(now, batch);
            removal = now.removal;
            nowPending = now.splitter.pending();
            if (n > 0 && removal == null) {
                StateCheck c = announcedChange();
                linkEvents = c.events;
                removal = c.removal;
            }
        } finally {
            nowLock.unlock();
        }
        fire(linkEvents);
        if (n > 0) {
            errorPolls = 0;
        }
        batch.setCount(n);
        if (removal != null) {
            onRemoved(removal);
            return n > 0 ? n : -1;
        }
        return n;
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
            if (vnetHdr) {
                coalescer.begin(batch, (offloads & (VirtioNetHdr.TUN_F_TSO4 | VirtioNetHdr.TUN_F_TSO6)) != 0);
            }
            packets:
            for (int i = 0; i < count; i++) {
                int len = batch.length(i);
                int segments = 1;
                if (vnetHdr) {
                    if (coalescer.consumed(i)) {
                        continue;
                    }
                    if (len == 0 || len > IO_BUFFER - VirtioNetHdr.SIZE - 1) {
                        droppedWrites++;
                        continue;
                    }
                    len = coalescer.frame(batch, i, writeBuf);
                    segments = coalescer.segments;
                } else {
                    if (len == 0 || len > IO_BUFFER - 1) {
                        droppedWrites++;
                        continue;
                    }
                    writeBuf.put(0, batch.array(i), batch.offset(i), len);
                }
                while (true) {
                    long r = LibC.write(tunFd, writePtr, len);
                    if (r >= 0) {
                        accepted += segments;
                        if (segments > 1) {
                            superPacketsWritten++;
                        }
                        break;
                    }
                    int err = LibC.errno();
                    switch (err) {
                        case LibC.EINTR -> {
                            // retry
                        }
                        case LibC.EAGAIN -> {
                            await(writePollFds, LibC.POLLOUT, POLL_TIMEOUT_MILLIS, false);
                            if (closed) {
                                throw new TunClosedException(name);
                            }
                        }
                        case LibC.EBADFD -> {
                            removal = "write: " + LibC.describe(err);
                            break packets;
                        }
                        // Per-packet refusals: link down (EIO), malformed (EINVAL), memory pressure, size.
                        case LibC.EIO, LibC.EINVAL, LibC.ENOMEM, LibC.ENOBUFS, LibC.EMSGSIZE -> {
                            droppedWrites += segments;
                            continue packets;
                        }
                        default -> throw new IOException("write to " + name + " failed: " + LibC.describe(err));
                    }
                }
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

    /**
     * Polls {@code tunFd} for {@code events}, the wake eventfd for POLLIN and, with {@code linkChanges} (readers
     * only), the link notifications for POLLIN. Returns the TUN fd's revents (0 on timeout or when only the wake fd
     * fired), with {@link #LINK_NOTIFIED} added when a link notification is waiting.
     */
    private int await(Memory fds, short events, int timeoutMillis, boolean linkChanges) throws IOException {
        fds.setInt(0, tunFd);
        fds.setShort(4, events);
        fds.setShort(6, (short) 0);
        fds.setInt(POLLFD_SIZE, wakeFd);
        fds.setShort(POLLFD_SIZE + 4, LibC.POLLIN);
        fds.setShort(POLLFD_SIZE + 6, (short) 0);
        int count = 2;
        if (linkChanges && links != null) {
            fds.setInt(2 * POLLFD_SIZE, links.fd());
            fds.setShort(2 * POLLFD_SIZE + 4, LibC.POLLIN);
            fds.setShort(2 * POLLFD_SIZE + 6, (short) 0);
            count = 3;
        }
        int r = LibC.poll(fds, count, timeoutMillis);
        if (r < 0) {
            int err = LibC.errno();
            if (err == LibC.EINTR) {
                return 0;
            }
            throw new IOException("poll on " + name + " failed: " + LibC.describe(err));
        }
        int revents = fds.getShort(6) & 0xffff;
        if (count == 3 && (fds.getShort(2 * POLLFD_SIZE + 6) & LibC.POLLIN) != 0) {
            revents |= LINK_NOTIFIED;
        }
        return revents;
    }

    // ------------------------------------------------------------------ MTU, link state, events

    @Override
    public int mtu() {
        int old;
        int now;
        ctlLock.lock();
        try {
            old = mtu;
            if (closed) {
                return old;
            }
            IfReq ifr = new IfReq(name);
            if (LibC.ioctl(ctlFd, IfReq.SIOCGIFMTU, ifr.mem) != 0) {
                return old;
            }
            now = ifr.intValue();
            mtu = now;
        } finally {
            ctlLock.unlock();
        }
        if (now != old) {
            listeners.fire(this, new TunEvent.MtuChanged(old, now));
        }
        return now;
    }

    @Override
    public void setMtu(int newMtu) throws IOException {
        LinuxTunDriver.checkMtu(newMtu);
        int old;
        ctlLock.lock();
        try {
            if (closed) {
                throw new TunClosedException(name);
            }
            if (LibC.ioctl(ctlFd, IfReq.SIOCSIFMTU, new IfReq(name).intValue(newMtu).mem) != 0) {
                throw new IOException("cannot set MTU " + newMtu + " on " + name + ": " + LibC.describe(LibC.errno()));
            }
            old = mtu;
            mtu = newMtu;
        } finally {
            ctlLock.unlock();
        }
        if (old != newMtu) {
            listeners.fire(this, new TunEvent.MtuChanged(old, newMtu));
        }
    }

    /**
     * Brings the interface administratively up or down (SIOCSIFFLAGS, IFF_UP) and fires
     * {@link TunEvent.LinkStateChanged} if that changed it. Addresses and routes are not this driver's business.
     *
     * @throws TunClosedException if the device is closed
     * @throws IOException        if the OS refuses
     */
    public void setUp(boolean wantUp) throws IOException {
        boolean changed;
        ctlLock.lock();
        try {
            if (closed) {
                throw new TunClosedException(name);
            }
            IfReq ifr = new IfReq(name);
            if (LibC.ioctl(ctlFd, IfReq.SIOCGIFFLAGS, ifr.mem) != 0) {
                throw new IOException("cannot read flags of " + name + ": " + LibC.describe(LibC.errno()));
            }
            short flags = ifr.flags();
            short wanted = (short) (wantUp ? flags | IfReq.IFF_UP : flags & ~IfReq.IFF_UP);
            if (wanted != flags && LibC.ioctl(ctlFd, IfReq.SIOCSIFFLAGS, ifr.flags(wanted).mem) != 0) {
                throw new IOException("cannot set " + name + (wantUp ? " up: " : " down: ")
                        + LibC.describe(LibC.errno()));
            }
            changed = up != wantUp;
            up = wantUp;
        } finally {
            ctlLock.unlock();
        }
        if (changed) {
            listeners.fire(this, new TunEvent.LinkStateChanged(wantUp));
        }
    }

    /** Whether the interface is administratively up (asks the OS; the last known state after close). */
    public boolean isUp() {
        ctlLock.lock();
        try {
            if (!closed) {
                IfReq ifr = new IfReq(name);
                if (LibC.ioctl(ctlFd, IfReq.SIOCGIFFLAGS, ifr.mem) == 0) {
                    // Does not fire: the reader's periodic check reports outside changes.
                    return (ifr.flags() & IfReq.IFF_UP) != 0;
                }
            }
            return up;
        } finally {
            ctlLock.unlock();
        }
    }

    /**
     * Test hook: how long an idle reader sleeps in poll between state checks; {@code -1} waits forever, so only the
     * close wake-up (or a packet) can end the wait.
     */
    void readPollTimeoutMillis(int millis) {
        readPollTimeoutMillis = millis;
    }

    /** Packets dropped by {@link #read} / {@link #readNow} because they exceeded the batch's packet capacity. */
    public long droppedOversizeReads() {
        return droppedOversizeReads.get();
    }

    /**
     * The {@code TUNSETOFFLOAD} flags the kernel accepted for this device ({@code TUN_F_CSUM} 0x1, {@code TSO4} 0x2,
     * {@code TSO6} 0x4, {@code USO4} 0x20, {@code USO6} 0x40), 0 with a virtio header but no offload, or -1 without
     * a virtio header (offloads off). A loopback pair reports checksum + TSO4 + TSO6: it speaks the same framing.
     */
    public int offloads() {
        return offloads;
    }

    /** Super-packets (TSO/USO frames of two or more segments) that reads split. */
    public long superPacketsRead() {
        return superPacketsRead.get();
    }

    /** Super-packets {@link #write} built from two or more TCP segments. */
    public long superPacketsWritten() {
        writeLock.lock();
        try {
            return superPacketsWritten;
        } finally {
            writeLock.unlock();
        }
    }

    /** Packets {@link #write} dropped: empty, over 64 KiB, or refused by the kernel (e.g. EIO while down). */
    public long droppedWrites() {
        writeLock.lock();
        try {
            return droppedWrites;
        } finally {
            writeLock.unlock();
        }
    }

    private record StateCheck(List<TunEvent> events, String removal) {
    }

    /**
     * Called by the reader with readLock held and no packet gathered yet: runs {@link #checkState()} and delivers its
     * events with readLock released (a blocked reader must not sit on them). Returns the removal cause, if any.
     */
    private String checkStateAndNotify() {
        StateCheck c = checkState();
        if (c.events != null) {
            readLock.unlock();
            try {
                fire(c.events);
            } finally {
                readLock.lock();
            }
        }
        return c.removal;
    }

    /**
     * Called by a reader after it took a batch (its read lock held): when the kernel announced a link change, runs
     * {@link #checkState()} now, so that the events reach the listeners before the batch is processed and an MTU
     * change applies to the packets just read. One non-blocking netlink read when nothing changed.
     */
    private StateCheck announcedChange() {
        if (links == null || closed || !links.changed()) {
            return new StateCheck(null, null);
        }
        return checkState();
    }

    /** Called by the reader (readLock held): looks for removal, rename, MTU and up/down changes. */
    private StateCheck checkState() {
        lastStateCheck = System.nanoTime();
        List<TunEvent> events = null;
        ctlLock.lock();
        try {
            if (closed) {
                return new StateCheck(null, null);
            }
            IfReq ifr = new IfReq(null);
            if (LibC.ioctl(tunFd, IfReq.TUNGETIFF, ifr.mem) != 0) {
                int err = LibC.errno();
                if (err == LibC.EBADFD) {
                    return new StateCheck(null, "TUNGETIFF: " + LibC.describe(err));
                }
                return new StateCheck(null, null);
            }
            String current = ifr.name();
            if (!current.isEmpty()) {
                name = current; // follows renames
            }
            IfReq q = new IfReq(name);
            if (LibC.ioctl(ctlFd, IfReq.SIOCGIFMTU, q.mem) == 0) {
                int now = q.intValue();
                if (now != mtu) {
                    events = merge(events, List.of(new TunEvent.MtuChanged(mtu, now)));
                    mtu = now;
                }
            }
            q = new IfReq(name);
            if (LibC.ioctl(ctlFd, IfReq.SIOCGIFFLAGS, q.mem) == 0) {
                boolean nowUp = (q.flags() & IfReq.IFF_UP) != 0;
                if (nowUp != up) {
                    events = merge(events, List.of(new TunEvent.LinkStateChanged(nowUp)));
                    up = nowUp;
                }
            }
        } finally {
            ctlLock.unlock();
        }
        return new StateCheck(events, null);
    }

    private static List<TunEvent> merge(List<TunEvent> a, List<TunEvent> b) {
        if (b == null || b.isEmpty()) {
            return a;
        }
        List<TunEvent> out = a == null ? new ArrayList<>() : a;
        out.addAll(b);
        return out;
    }

    private void fire(List<TunEvent> events) {
        if (events != null) {
            for (TunEvent e : events) {
                listeners.fire(this, e);
            }
        }
    }

    /** The interface vanished: close, then report once (not if the user closed the device first). */
    private void onRemoved(String detail) {
        if (closing.get() || !removalReported.compareAndSet(false, true)) {
            return;
        }
        close();
        listeners.fire(this, new TunEvent.DeviceRemoved(detail));
    }

    @Override
    public void addListener(TunEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(TunEventListener listener) {
        listeners.remove(listener);
    }

    // ------------------------------------------------------------------ close


    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        // Wake a reader in poll (and a writer waiting for POLLOUT). The eventfd is never drained, so a thread that
        // reaches poll later also returns at once and sees 'closed'.
        try (Memory one = new Memory(8)) {
            one.setLong(0, 1);
            LibC.write(wakeFd, one, 8);
        }
        // The fds are closed only when no read/write/ioctl can be using them, so a recycled fd number is never hit.
        readLock.lock();
        nowLock.lock();
        writeLock.lock();
        ctlLock.lock();
        try {
            LibC.close(tunFd); // a non-persistent interface disappears with its last fd
            if (ctlFd >= 0) { // none for a loopback pair
                LibC.close(ctlFd);
            }
            LibC.close(wakeFd);
            if (links != null) {
                links.close();
            }
            readPollFds.close();
            writePollFds.close();
            memory.close();
        } finally {
            ctlLock.unlock();
            writeLock.unlock();
            nowLock.unlock();
            readLock.unlock();
        }
    }

    /** A reading side's native buffer, and why its last {@link #drain} found the fd detached (null if it did not). */
    private static final class Drain {
        final ByteBuffer buf;
        final Pointer ptr;
        final GsoSplitter splitter = new GsoSplitter();
        String removal;

        Drain(Arena memory) {
            buf = memory.allocate(IO_BUFFER, Long.BYTES).asByteBuffer();
            ptr = Native.getDirectBufferPointer(buf);
        }
    }

    @Override
    public String toString() {
        return "LinuxTunDevice[" + name + (closed ? ", closed]" : "]");
    }
}
