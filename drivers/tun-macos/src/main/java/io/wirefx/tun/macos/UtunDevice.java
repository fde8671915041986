package io.wirefx.tun.macos;

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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TUN device over a packet socket that carries the utun framing: the utun kernel-control socket on macOS, or one
 * end of a Unix socket pair (a loopback pair, and how this code is tested off macOS). One {@code read(2)} or
 * {@code write(2)} is one packet preceded by the 4-byte {@link UtunHeader}; the header is stripped on read and
 * prepended on write (from the IP version nibble), never visible to callers.
 *
 * <h2>I/O</h2>
 * The socket is non-blocking. {@link #read} drains packets until EAGAIN or the batch is full, and only then blocks in
 * {@code poll(2)} on the socket and the read end of a pipe that {@link #close()} writes one byte to (closing an fd does
 * not wake a thread blocked on it; the byte is never drained, so every later poll returns at once too). Each packet
 * passes through a per-reader native buffer and is copied once into its slot. A packet without a complete header,
 * or longer than the slot, is dropped and counted; a slot that is not IPv4 or IPv6 is dropped and counted on write.
 *
 * <h2>End</h2>
 * End of file on the socket (the loopback peer closed), or a poll error condition twice in a row with nothing to
 * read, closes the device and fires {@link TunEvent.DeviceRemoved}.
 */
public final class UtunDevice implements TunDevice {

    /** Largest packet (without header) a read or write carries. */
    static final int MAX_PACKET = 65535;
    private static final int IO_BUFFER = MAX_PACKET + UtunHeader.LENGTH;
    /** Socket buffer of each loopback pair end, as a utun socket has (512 KiB each way). */
    static final int PAIR_BUFFER = 512 * 1024;
    private static final int POLL_TIMEOUT_MILLIS = 1000;
    private static final int POLLFD_SIZE = 8; // struct pollfd { int fd; short events; short revents; }

    private final PosixConstants c;
    private final int fd;
    private final int wakeRead;
    private final int wakeWrite;
    private final InterfaceControl control;
    private final String name;
    private final TunListeners listeners = new TunListeners();

    // Lock order (close takes all four): readLock -> nowLock -> writeLock -> ctlLock. No listener runs under a lock.
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock nowLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock ctlLock = new ReentrantLock();

    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean removalReported = new AtomicBoolean();
    private final AtomicLong droppedReads = new AtomicLong();
    private final AtomicLong droppedWrites = new AtomicLong();
    private volatile boolean closed;
    private volatile int mtu;

    /** The native buffers below, freed by {@link #close} at once (under all locks), not at some later full GC. */
    private final Arena memory = Arena.ofShared();
    private final Drain reader = new Drain(memory);
    private final Drain now = new Drain(memory);
    private final Memory readPollFds = new Memory(2 * POLLFD_SIZE);
    private final Memory writePollFds = new Memory(2 * POLLFD_SIZE);
    private final ByteBuffer writeBuf = memory.allocate(IO_BUFFER, Long.BYTES).asByteBuffer();
    private final Pointer writePtr = Native.getDirectBufferPointer(writeBuf);
    private final byte[] header = new byte[UtunHeader.LENGTH];
    private volatile int errorPolls;

    /**
     * Takes ownership of a non-blocking packet socket and a non-blocking wake-up pipe.
     *
     * @param c       the host's numbers
     * @param fd      the packet socket (utun control socket or one end of a socket pair)
     * @param wake    the pipe: {@code wake[0]} read end (polled), {@code wake[1]} write end (written by close)
     * @param name    the interface name
     * @param mtu     the MTU last set
     * @param control MTU access; closed with the device
     */
    UtunDevice(PosixConstants c, int fd, int[] wake, String name, int mtu, InterfaceControl control) {
        this.c = c;
        this.fd = fd;
        this.wakeRead = wake[0];
        this.wakeWrite = wake[1];
        this.name = name;
        this.mtu = mtu;
        this.control = control;
    }

    /** A non-blocking, close-on-exec pipe for {@link #close()}'s wake-up. */
    static int[] wakePipe(PosixConstants c) throws IOException {
        int[] p = {-1, -1};
        if (Posix.pipe(p) != 0) {
            throw new IOException("pipe: " + Posix.describe(c, Posix.errno()));
        }
        if (!Posix.nonBlockingCloseOnExec(c, p[0]) || !Posix.nonBlockingCloseOnExec(c, p[1])) {
            int err = Posix.errno();
            Posix.close(p[0]);
            Posix.close(p[1]);
            throw new IOException("fcntl on the wake-up pipe: " + Posix.describe(c, err));
        }
        return p;
    }

    /**
     * Two devices over a non-blocking Unix socket pair: what one writes (with its header), the other reads. No
     * interface, no privilege; the MTU is only remembered.
     */
    static UtunDevice[] openPair(PosixConstants c, int mtu) throws IOException {
        UtunDriver.checkMtu(mtu);
        Optional<Throwable> load = Posix.loadFailure();
        if (load.isPresent()) {
            throw new IOException("libc not available: " + load.get());
        }
        int[] pair = {-1, -1};
        if (Posix.socketpair(c.afUnix(), c.packetPairType(), 0, pair) != 0) {
            throw new IOException("socketpair: " + Posix.describe(c, Posix.errno()));
        }
        int[] wakeA = null;
        try {
            if (!Posix.nonBlockingCloseOnExec(c, pair[0]) || !Posix.nonBlockingCloseOnExec(c, pair[1])) {
                throw new IOException("fcntl on the socket pair: " + Posix.describe(c, Posix.errno()));
            }
            if (!Posix.socketBuffers(c, pair[0], PAIR_BUFFER) || !Posix.socketBuffers(c, pair[1], PAIR_BUFFER)) {
                throw new IOException("socket buffers of the pair: " + Posix.describe(c, Posix.errno()));
            }
            wakeA = wakePipe(c);
            int[] wakeB = wakePipe(c);
            return new UtunDevice[]{
                    new UtunDevice(c, pair[0], wakeA, "loopback-a", mtu, new InterfaceControl.RememberedMtu(mtu)),
                    new UtunDevice(c, pair[1], wakeB, "loopback-b", mtu, new InterfaceControl.RememberedMtu(mtu))};
        } catch (IOException | RuntimeException e) {
            Posix.close(pair[0]);
            Posix.close(pair[1]);
            if (wakeA != null) {
                Posix.close(wakeA[0]);
                Posix.close(wakeA[1]);
            }
            throw e;
        }
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
        int n = 0;
        readLock.lock();
        try {
            boolean pollError = false;
            while (!closed) {
                n = drain(reader, batch);
                removal = reader.removal;
                if (n > 0 || removal != null || closed) {
                    break;
                }
                if (pollError) {
                    removal = "poll: error condition on " + name;
                    break;
                }
                short revents = await(readPollFds, PosixConstants.POLLIN);
                pollError = (revents & (PosixConstants.POLLERR | PosixConstants.POLLHUP | PosixConstants.POLLNVAL))
                        != 0;
            }
        } finally {
            readLock.unlock();
        }
        if (removal != null) {
            onRemoved(removal);
        }
        batch.setCount(n);
        return n == 0 ? -1 : n;
    }

    /**
     * Reads queued packets into {@code batch} from slot 0 until EAGAIN or the batch is full, stripping the header.
     * Sets {@code d.removal} on end of file.
     */
    private int drain(Drain d, PacketBatch batch) throws IOException {
        d.removal = null;
        int capacity = batch.capacity();
        int headroom = batch.headroom();
        int packetCapacity = batch.packetCapacity();
        int n = 0;
        while (n < capacity) {
            long r = Posix.read(fd, d.ptr, IO_BUFFER);
            if (r > 0) {
                int len = (int) r - UtunHeader.LENGTH;
                if (len <= 0 || len > packetCapacity) {
                    droppedReads.incrementAndGet(); // no packet behind the header, or too long for the slot
                    continue;
                }
                d.buf.get(UtunHeader.LENGTH, batch.array(n), headroom, len);
                batch.set(n, headroom, len);
                n++;
                continue;
            }
            if (r == 0) {
                d.removal = "read: end of file";
                break;
            }
            int err = Posix.errno();
            if (err == c.eintr()) {
                continue;
            }
            if (err == c.eagain()) {
                break;
            }
            if (err == c.ebadf()) {
                d.removal = "read: " + Posix.describe(c, err);
                break;
            }
            throw new IOException("read from " + name + " failed: " + Posix.describe(c, err));
        }
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
                short revents = await(readPollFds, PosixConstants.POLLIN);
                if (closed) {
                    break;
                }
                if ((revents & PosixConstants.POLLIN) != 0) {
                    return true;
                }
                if ((revents & (PosixConstants.POLLERR | PosixConstants.POLLHUP | PosixConstants.POLLNVAL)) != 0) {
                    if (errorPolls++ > 0) {
                        removal = "poll: error condition on " + name;
                        break;
                    }
                    return true; // let readNow meet the error (or the end of file)
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
            packets:
            for (int i = 0; i < count; i++) {
                int len = batch.length(i);
                int family = len == 0 ? -1 : UtunHeader.familyFor(batch.array(i)[batch.offset(i)]);
                if (family < 0 || len > MAX_PACKET) {
                    droppedWrites.incrementAndGet(); // empty, not IP, or too long
                    continue;
                }
                UtunHeader.put(header, 0, family);
                writeBuf.put(0, header, 0, UtunHeader.LENGTH);
                writeBuf.put(UtunHeader.LENGTH, batch.array(i), batch.offset(i), len);
                while (true) {
                    long r = Posix.write(fd, writePtr, len + UtunHeader.LENGTH);
                    if (r >= 0) {
                        accepted++;
                        break;
                    }
                    int err = Posix.errno();
                    if (err == c.eintr()) {
                        continue;
                    }
                    if (err == c.eagain()) {
                        await(writePollFds, PosixConstants.POLLOUT);
                        if (closed) {
                            throw new TunClosedException(name);
                        }
                        continue;
                    }
                    if (err == c.ebadf()) {
                        removal = "write: " + Posix.describe(c, err);
                        break packets;
                    }
                    if (err == c.eio() || err == c.einval() || err == c.enomem() || err == c.enobufs()
                            || err == c.emsgsize() || err == c.eafnosupport()) {
                        droppedWrites.incrementAndGet(); // a per-packet refusal, like a loss on a wire
                        continue packets;
                    }
                    throw new IOException("write to " + name + " failed: " + Posix.describe(c, err));
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

    /** Polls the socket for {@code events} and the wake pipe for POLLIN; the socket's revents (0 on timeout/wake). */
    private short await(Memory fds, short events) throws IOException {
        fds.setInt(0, fd);
        fds.setShort(4, events);
        fds.setShort(6, (short) 0);
        fds.setInt(POLLFD_SIZE, wakeRead);
        fds.setShort(POLLFD_SIZE + 4, PosixConstants.POLLIN);
        fds.setShort(POLLFD_SIZE + 6, (short) 0);
        int r = Posix.poll(fds, 2, POLL_TIMEOUT_MILLIS);
        if (r < 0) {
            int err = Posix.errno();
            if (err == c.eintr()) {
                return 0;
            }
            throw new IOException("poll on " + name + " failed: " + Posix.describe(c, err));
        }
        return fds.getShort(6);
    }

    // ------------------------------------------------------------------ MTU, events

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
                current = control.mtu();
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
        UtunDriver.checkMtu(newMtu);
        int old;
        ctlLock.lock();
        try {
            if (closed) {
                throw new TunClosedException(name);
            }
            control.setMtu(newMtu);
            old = mtu;
            mtu = newMtu;
        } finally {
            ctlLock.unlock();
        }
        if (old != newMtu) {
            listeners.fire(this, new TunEvent.MtuChanged(old, newMtu));
        }
    }

    /** Packets dropped on read: no packet behind the header, or longer than the batch's slots. */
    public long droppedReads() {
        return droppedReads.get();
    }

    /** Packets dropped on write: empty, not IPv4/IPv6, too long, or refused by the kernel. */
    public long droppedWrites() {
        return droppedWrites.get();
    }

    @Override
    public void addListener(TunEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(TunEventListener listener) {
        listeners.remove(listener);
    }

    /**
     * Two devices of this class over a Unix socket pair with this device's MTU, carrying packets only between each
     * other (what one writes, the other reads): no interface, no privilege. Both are closed by the caller.
     */
    public TunDevice[] openLoopbackPair() throws IOException {
        return openPair(c, mtu);
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

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
        try (Memory one = new Memory(1)) {
            one.setByte(0, (byte) 1);
            Posix.write(wakeWrite, one, 1);
        }
        readLock.lock();
        nowLock.lock();
        writeLock.lock();
        ctlLock.lock();
        try {
            Posix.close(fd); // the utun interface disappears with its socket
            Posix.close(wakeRead);
            Posix.close(wakeWrite);
            control.close();
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

    /** A reading side's native buffer, and why its last drain found the socket ended (null if it did not). */
    private static final class Drain {
        final ByteBuffer buf;
        final Pointer ptr;
        String removal;

        Drain(Arena memory) {
            buf = memory.allocate(IO_BUFFER, Long.BYTES).asByteBuffer();
            ptr = Native.getDirectBufferPointer(buf);
        }
    }

    @Override
    public String toString() {
        return "UtunDevice[" + name + (closed ? ", closed]" : "]");
    }
}
