package io.wirefx.engine.bind.linux;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.wirefx.engine.bind.DatagramBatch;
import io.wirefx.engine.bind.UdpBind;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Linux {@link UdpBind}: native UDP sockets through JNA, like wireguard-go's {@code StdNetBind}.
 *
 * <ul>
 *   <li>Two sockets on one port: {@code AF_INET} and {@code AF_INET6} with {@code IPV6_V6ONLY}. For port 0 the IPv4
 *       socket picks a free port and the IPv6 one takes the same (retried if that port is busy for IPv6).</li>
 *   <li>Batching: {@code recvmmsg} fills a whole {@link DatagramBatch} in one call per socket, {@code sendmmsg} sends
 *       a batch in one call per run of same-family destinations.</li>
 *   <li>UDP GSO: where the kernel knows {@code UDP_SEGMENT} (probed at open), consecutive datagrams of one size (the
 *       last may be shorter) to one endpoint go as one message with a {@code UDP_SEGMENT} control message, up to 64
 *       datagrams or 65000 bytes: one trip through the UDP and IP stack instead of one per datagram. Mixed batches
 *       still go in one {@code sendmmsg}. If the kernel refuses a segmented message (EIO/EINVAL: a device without
 *       checksum offload), GSO is switched off for the bind and the run is sent again datagram by datagram.</li>
 *   <li>UDP GRO: where the kernel accepts {@code UDP_GRO} on the sockets (probed at open), it may hand over several
 *       datagrams of one source as one coalesced buffer with a {@code UDP_GRO} control message giving their size (the
 *       last may be shorter). The receive path then reads into {@value #GRO_BUFFER}-byte native buffers, as many as
 *       fit in the memory the plain path would use for the batch (at least one), and cuts every coalesced buffer back
 *       into its datagrams, one batch slot each: callers only ever see single datagrams. Datagrams that do not fit
 *       the caller's batch wait in the native buffer for the next {@link #receive}.</li>
 *   <li>{@code SO_MARK} for the fwmark (needs {@code CAP_NET_ADMIN}); wg-quick's full-tunnel routing needs it so
 *       that the tunnel's own UDP does not route into the tunnel.</li>
 *   <li>Sockets are non-blocking; a receiver waits in {@code poll} on both sockets and an eventfd that {@link #close}
 *       signals (closing an fd does not wake a thread blocked on it). fds are closed only once no thread uses
 *       them.</li>
 *   <li>Socket buffers of 7 MiB ({@code SO_RCVBUFFORCE}, falling back to the capped {@code SO_RCVBUF}).</li>
 * </ul>
 *
 * Payloads are copied once each way between the heap slots and a native arena (JNA cannot hand heap arrays to the
 * kernel without a copy anyway).
 */
public final class LinuxUdpBind implements UdpBind {

    static final int SOCKET_BUFFER = 7 << 20;
    /** Kernel limit on segments per UDP_SEGMENT send (UDP_MAX_SEGMENTS is 64 before Linux 6.9). */
    private static final int MAX_GSO_SEGMENTS = 64;
    /** Payload bytes per UDP_SEGMENT send, below the 64 KiB IP limit with headers. */
    private static final int MAX_GSO_BYTES = 65000;
    private static final int GSO_REFUSED = -1;
    private static final int BIND_RETRIES = 100;
    private static final int SEND_ARENA_BYTES = 256 << 10;
    private static final long SEND_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int ADDRESS_CACHE = 8;
    /** Native bytes per message when receiving with UDP_GRO: a coalesced buffer holds up to 64 KiB. */
    static final int GRO_BUFFER = 64 << 10;
    /** Control bytes offered per received message: a UDP_GRO message and a packet-info message. */
    private static final int RECEIVE_CONTROL = Messages.CONTROL_BYTES;

    private final int fd4; // -1 if no IPv4 socket
    private final int fd6; // -1 if no IPv6 socket
    private final int wakeFd;
    private final int port;

    private final ReentrantLock receiveLock = new ReentrantLock();
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock markLock = new ReentrantLock();
    private volatile boolean closed;
    private volatile int fwmark;
    private int nextFirst; // receive fairness between the two sockets (receiveLock)

    // receive state (receiveLock)
    private Messages recvArena;
    private final ByteBuffer recvPoll;
    private final byte[] nameScratch = new byte[Sys.SOCKADDR_IN6_LEN];
    private final byte[][] cacheKeys = new byte[ADDRESS_CACHE][];
    private final InetSocketAddress[] cacheValues = new InetSocketAddress[ADDRESS_CACHE];
    private int cacheNext;
    /** UDP_GRO accepted by the kernel on the sockets (fixed at open). */
    private final boolean gro;
    private final AtomicLong groMessages = new AtomicLong();
    private final AtomicLong groDatagrams = new AtomicLong();

    // send state (sendLock)
    private Messages sendArena;
    private final ByteBuffer sendPoll;
    /** UDP_SEGMENT (GSO) for runs of equal-size datagrams to one endpoint; off once the kernel refused it. */
    private boolean gso;
    private final AtomicLong gsoMessages = new AtomicLong();

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong oversize = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final StickySources stickySources = new StickySources();

    private LinuxUdpBind(int fd4, int fd6, int wakeFd, int port, boolean offloads) {
        this.fd4 = fd4;
        this.fd6 = fd6;
        this.wakeFd = wakeFd;
        this.port = port;
        this.recvPoll = direct(3 * Sys.POLLFD_SIZE);
        this.sendPoll = direct(2 * Sys.POLLFD_SIZE);
        this.gso = offloads && supportsGso(fd4 >= 0 ? fd4 : fd6);
        this.gro = offloads && enableGro(fd4, fd6);
    }

    /**
     * Asks for UDP_GRO on every socket (Linux 5.0+). True if the kernel accepted it on all of them; if it refused any,
     * it is switched off again on the others, so that no socket hands over coalesced buffers the plain receive path
     * would not expect.
     */
    private static boolean enableGro(int fd4, int fd6) {
        boolean all = true;
        for (int fd : new int[]{fd4, fd6}) {
            if (fd >= 0 && trySetIntOption(fd, Sys.SOL_UDP, Sys.UDP_GRO, 1) != 0) {
                all = false;
            }
        }
        if (!all) {
            for (int fd : new int[]{fd4, fd6}) {
                if (fd >= 0) {
                    trySetIntOption(fd, Sys.SOL_UDP, Sys.UDP_GRO, 0);
                }
            }
        }
        return all;
    }

    /** Whether the kernel knows the UDP_SEGMENT socket option (Linux 4.18+). */
    private static boolean supportsGso(int fd) {
        ByteBuffer v = direct(8);
        v.putInt(4, 4);
        Pointer p = Native.getDirectBufferPointer(v);
        return Sys.getsockopt(fd, Sys.SOL_UDP, Sys.UDP_SEGMENT, p, p.share(4)) == 0;
    }

    // ------------------------------------------------------------------ availability and opening

    /** True if the native bindings load here (64-bit Linux on x86-64 or aarch64). */
    public static boolean isAvailable() {
        return Sys.loadFailure().isEmpty();
    }

    /** Why {@link #isAvailable()} is false, or empty. */
    public static Optional<String> unavailabilityCause() {
        return Sys.loadFailure().map(t -> "native UDP bind unavailable: " + t);
    }

    /**
     * Opens the IPv4 and IPv6 sockets on {@code port} (0 = a port free for both).
     *
     * @throws BindException         if the port is taken
     * @throws IOException           on any other failure
     * @throws IllegalStateException if {@link #isAvailable()} is false
     */
    public static LinuxUdpBind open(int port) throws IOException {
        return open(port, true);
    }

    /**
     * Opens the sockets as {@link #open(int)} does; with {@code offloads} false the bind neither segments sends
     * ({@code UDP_SEGMENT}) nor asks for coalesced receives ({@code UDP_GRO}), as on a kernel without them: one
     * datagram per message both ways (troubleshooting, comparisons).
     */
    public static LinuxUdpBind open(int port, boolean offloads) throws IOException {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Sys.loadFailure().ifPresent(t -> {
            throw new IllegalStateException(unavailabilityCause().orElseThrow(), t);
        });
        for (int attempt = 0; ; attempt++) {
            int fd4 = -1;
            int fd6 = -1;
            boolean ok = false;
            try {
                int bound = port;
                fd4 = newSocket(Sys.AF_INET);
                if (fd4 >= 0) {
                    bindOrThrow(fd4, false, bound);
                    bound = localPort(fd4);
                }
                fd6 = newSocket(Sys.AF_INET6);
                if (fd6 >= 0) {
                    int one = 1;
                    setIntOption(fd6, Sys.IPPROTO_IPV6, Sys.IPV6_V6ONLY, one);
                    try {
                        bindOrThrow(fd6, true, bound);
                        bound = localPort(fd6);
                    } catch (BindException e) {
                        if (port == 0 && fd4 >= 0 && attempt < BIND_RETRIES) {
                            continue; // the random IPv4 port is busy on IPv6: try another one
                        }
                        throw e;
                    } catch (SocketException e) {
                        if (fd4 < 0) {
                            throw e;
                        }
                        Sys.close(fd6); // IPv6 present but unusable (disabled): serve IPv4 only
                        fd6 = -1;
                    }
                }
                if (fd4 < 0 && fd6 < 0) {
                    throw new SocketException("neither IPv4 nor IPv6 UDP sockets are supported");
                }
                int wake = Sys.eventfd(0, Sys.EFD_NONBLOCK | Sys.EFD_CLOEXEC);
                if (wake < 0) {
                    throw new IOException("eventfd failed: " + Sys.describe(Sys.errno()));
                }
                if (fd4 >= 0) {
                    StickySources.enable(fd4, false);
                }
                if (fd6 >= 0) {
                    StickySources.enable(fd6, true);
                }
                LinuxUdpBind b = new LinuxUdpBind(fd4, fd6, wake, bound, offloads);
                ok = true;
                return b;
            } finally {
                if (!ok) {
                    if (fd4 >= 0) {
                        Sys.close(fd4);
                    }
                    if (fd6 >= 0) {
                        Sys.close(fd6);
                    }
                }
            }
        }
    }

    /** A configured non-blocking socket, or -1 if the family is not supported by the kernel. */
    private static int newSocket(int family) throws IOException {
        int fd = Sys.socket(family, Sys.SOCK_DGRAM | Sys.SOCK_NONBLOCK | Sys.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            int err = Sys.errno();
            if (err == Sys.EAFNOSUPPORT) {
                return -1;
            }
            throw new SocketException("socket(" + (family == Sys.AF_INET ? "AF_INET" : "AF_INET6") + ") failed: "
                    + Sys.describe(err));
        }
        // Big buffers absorb bursts; FORCE needs CAP_NET_ADMIN, otherwise the kernel caps the plain option.
        if (trySetIntOption(fd, Sys.SOL_SOCKET, Sys.SO_RCVBUFFORCE, SOCKET_BUFFER) != 0) {
            trySetIntOption(fd, Sys.SOL_SOCKET, Sys.SO_RCVBUF, SOCKET_BUFFER);
        }
        if (trySetIntOption(fd, Sys.SOL_SOCKET, Sys.SO_SNDBUFFORCE, SOCKET_BUFFER) != 0) {
            trySetIntOption(fd, Sys.SOL_SOCKET, Sys.SO_SNDBUF, SOCKET_BUFFER);
        }
        return fd;
    }

    private static void bindOrThrow(int fd, boolean v6, int port) throws IOException {
        ByteBuffer sa = direct(Sys.SOCKADDR_SIZE);
        int len = v6 ? encodeWildcard6(sa, port) : encodeWildcard4(sa, port);
        if (Sys.bind(fd, Native.getDirectBufferPointer(sa), len) != 0) {
            int err = Sys.errno();
            String what = "bind " + (v6 ? "[::]" : "0.0.0.0") + ":" + port + " failed: " + Sys.describe(err);
            if (err == Sys.EADDRINUSE || err == Sys.EACCES) {
                throw new BindException(what);
            }
            throw new SocketException(what);
        }
    }

    private static int localPort(int fd) throws IOException {
        ByteBuffer sa = direct(Sys.SOCKADDR_SIZE + 4);
        sa.putInt(Sys.SOCKADDR_SIZE, Sys.SOCKADDR_SIZE);
        Pointer p = Native.getDirectBufferPointer(sa);
        if (Sys.getsockname(fd, p, p.share(Sys.SOCKADDR_SIZE)) != 0) {
            throw new SocketException("getsockname failed: " + Sys.describe(Sys.errno()));
        }
        return ((sa.get(2) & 0xff) << 8) | (sa.get(3) & 0xff);
    }

    private static int encodeWildcard4(ByteBuffer sa, int port) {
        sa.putShort(0, (short) Sys.AF_INET);
        sa.put(2, (byte) (port >>> 8)).put(3, (byte) port);
        return Sys.SOCKADDR_IN_LEN;
    }

    private static int encodeWildcard6(ByteBuffer sa, int port) {
        sa.putShort(0, (short) Sys.AF_INET6);
        sa.put(2, (byte) (port >>> 8)).put(3, (byte) port);
        return Sys.SOCKADDR_IN6_LEN;
    }

    private static void setIntOption(int fd, int level, int name, int value) throws IOException {
        if (trySetIntOption(fd, level, name, value) != 0) {
            throw new SocketException("setsockopt(" + level + ", " + name + ") failed: " + Sys.describe(Sys.errno()));
        }
    }

    private static int trySetIntOption(int fd, int level, int name, int value) {
        ByteBuffer v = direct(4);
        v.putInt(0, value);
        return Sys.setsockopt(fd, level, name, Native.getDirectBufferPointer(v), 4) == 0 ? 0 : Sys.errno();
    }

    private static int getIntOption(int fd, int level, int name) throws IOException {
        ByteBuffer v = direct(8);
        v.putInt(4, 4);
        Pointer p = Native.getDirectBufferPointer(v);
        if (Sys.getsockopt(fd, level, name, p, p.share(4)) != 0) {
            throw new SocketException("getsockopt(" + level + ", " + name + ") failed: " + Sys.describe(Sys.errno()));
        }
        return v.getInt(0);
    }

    static ByteBuffer direct(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }

    // ------------------------------------------------------------------ receive

    @Override
    public int receive(DatagramBatch batch) throws IOException {
        batch.clear();
        receiveLock.lock();
        try {
            Messages a = recvArena;
            int n = a == null ? 0 : deliver(a, batch, 0); // datagrams left over from the last call come first
            if (n == batch.capacity()) {
                batch.setCount(n);
                received.addAndGet(n);
                return n;
            }
            int slots = gro ? groMessages(batch) : batch.capacity();
            int slotSize = gro ? GRO_BUFFER : batch.packetCapacity();
            if (closed) { // close() frees the arena it finds; none may be made after that
                batch.clear();
                return -1;
            }
            if (a == null || a.slots < slots || a.slotSize < slotSize) {
                Messages.free(a); // everything it held was delivered above
                a = recvArena = Messages.forReceive(slots, slotSize);
            }
            while (true) {
                if (closed) {
                    batch.clear();
                    return -1;
                }
                int first = nextFirst;
                nextFirst ^= 1;
                for (int k = 0; k < 2 && n < batch.capacity(); k++) {
                    int fd = ((first + k) & 1) == 0 ? fd4 : fd6;
                    if (fd >= 0) {
                        n = receiveFrom(fd, a, batch, n);
                    }
                }
                if (n > 0) {
                    batch.setCount(n);
                    received.addAndGet(n);
                    return n;
                }
                awaitReadable();
            }
        } finally {
            receiveLock.unlock();
        }
    }

    /**
     * How many {@value #GRO_BUFFER}-byte buffers one recvmmsg fills with UDP_GRO on: as many as the plain path's
     * buffers for this batch would take in memory (one per slot of {@code packetCapacity}), at least one.
     */
    private static int groMessages(DatagramBatch batch) {
        long plain = (long) batch.capacity() * batch.packetCapacity();
        return (int) Math.max(1, Math.min(batch.capacity(), plain / GRO_BUFFER));
    }

    /**
     * Non-blocking recvmmsg on {@code fd} into the arena, appending to {@code batch} from slot {@code n}, repeated
     * while a call fills every buffer and the batch has room; returns the new count.
     */
    private int receiveFrom(int fd, Messages a, DatagramBatch batch, int n) throws IOException {
        ByteBuffer h = a.headers;
        while (n < batch.capacity()) {
            int want = Math.min(batch.capacity() - n, a.slots);
            // Only the headers the kernel wrote last time need their in/out fields reset (cheap for single datagrams).
            for (int i = 0; i < a.dirty; i++) {
                h.putInt(a.mmsg(i) + Sys.MSG_NAMELEN, Sys.SOCKADDR_IN6_LEN);
                h.putLong(a.mmsg(i) + Sys.MSG_CONTROLLEN, RECEIVE_CONTROL);
                h.putInt(a.mmsg(i) + Sys.MSG_FLAGS, 0);
            }
            a.dirty = 0;
            int r;
            while (true) {
                r = Sys.recvmmsg(fd, a.headersPtr, want, Sys.MSG_DONTWAIT, null);
                if (r >= 0) {
                    break;
                }
                int err = Sys.errno();
                if (err == Sys.EINTR) {
                    continue;
                }
                if (err == Sys.EAGAIN || closed) {
                    return n;
                }
                if (err == Sys.EPERM || err == 111 /* ECONNREFUSED */ || err == 113 /* EHOSTUNREACH */) {
                    return n; // an ICMP error surfaced on the socket: nothing to receive
                }
                throw new IOException("recvmmsg failed: " + Sys.describe(err));
            }
            a.dirty = r;
            a.filled = r;
            a.next = 0;
            a.nextOffset = 0;
            n = deliver(a, batch, n);
            if (r < want) {
                return n; // the socket is drained
            }
        }
        return n;
    }

    /**
     * Copies the received messages {@code a.next .. a.filled-1} into {@code batch} from slot {@code n}, one datagram
     * per slot: a coalesced message (UDP_GRO control message) is cut at its segment size. Stops when the batch is full
     * and remembers where (message and byte offset) for the next call. Returns the new count.
     */
    private int deliver(Messages a, DatagramBatch batch, int n) {
        ByteBuffer h = a.headers;
        int cap = batch.packetCapacity();
        int headroom = batch.headroom();
        int capacity = batch.capacity();
        for (; a.next < a.filled; a.next++, a.nextOffset = 0) {
            int i = a.next;
            int m = a.mmsg(i);
            int len = h.getInt(m + Sys.MSG_LEN);
            int flags = h.getInt(m + Sys.MSG_FLAGS);
            long controlLen = h.getLong(m + Sys.MSG_CONTROLLEN);
            int segment = gro ? groSegmentSize(h, a.control(i), controlLen) : 0;
            // Truncated data is lost; truncated control messages could hide a coalesced buffer's segment size.
            if ((flags & Sys.MSG_TRUNC) != 0 || (gro && (flags & Sys.MSG_CTRUNC) != 0)) {
                if (a.nextOffset == 0) {
                    oversize.incrementAndGet();
                }
                continue;
            }
            InetSocketAddress from = source(h, a.name(i), h.getInt(m + Sys.MSG_NAMELEN));
            if (from == null) {
                continue;
            }
            int step = segment > 0 ? segment : Math.max(len, 1);
            if (a.nextOffset == 0) {
                stickySources.learn(h, a.control(i), controlLen, from);
                if (segment > 0) {
                    groMessages.incrementAndGet();
                    groDatagrams.addAndGet(len == 0 ? 1 : (len + segment - 1) / segment);
                }
            }
            int base = a.slotOffset(i);
            do {
                if (n == capacity) {
                    return n; // the rest of this message waits for the next call (a.next, a.nextOffset)
                }
                int off = a.nextOffset;
                int part = Math.min(step, len - off);
                a.nextOffset = off + step;
                if (part > cap) {
                    oversize.incrementAndGet();
                    continue;
                }
                a.data.get(base + off, batch.array(n), headroom, part);
                batch.set(n, headroom, part);
                batch.setEndpoint(n, from);
                n++;
            } while (a.nextOffset < len);
        }
        return n;
    }

    /** The segment size of a coalesced buffer from its UDP_GRO control message at {@code h[off, off + len)}, or 0. */
    private static int groSegmentSize(ByteBuffer h, int off, long len) {
        for (int p = 0; p + 16 <= len; ) {
            long cmsgLen = h.getLong(off + p);
            if (cmsgLen < 16 || p + cmsgLen > len) {
                return 0;
            }
            if (h.getInt(off + p + 8) == Sys.SOL_UDP && h.getInt(off + p + 12) == Sys.UDP_GRO && cmsgLen >= 20) {
                return Math.max(0, h.getInt(off + p + 16));
            }
            p += (int) ((cmsgLen + 7) & ~7L);
        }
        return 0;
    }

    /** Decodes a source sockaddr, reusing the InetSocketAddress of a recently seen identical one. */
    private InetSocketAddress source(ByteBuffer h, int off, int nameLen) {
        int family = h.getShort(off) & 0xffff;
        int len = family == Sys.AF_INET ? 8 : family == Sys.AF_INET6 ? Sys.SOCKADDR_IN6_LEN : -1;
        if (len < 0 || nameLen < len) {
            return null;
        }
        byte[] key = nameScratch;
        h.get(off, key, 0, len);
        if (len < key.length) {
            Arrays.fill(key, len, key.length, (byte) 0);
        }
        for (int i = 0; i < ADDRESS_CACHE; i++) {
            if (cacheKeys[i] != null && Arrays.equals(cacheKeys[i], key)) {
                return cacheValues[i];
            }
        }
        int port = ((key[2] & 0xff) << 8) | (key[3] & 0xff);
        InetAddress addr;
        try {
            if (family == Sys.AF_INET) {
                addr = InetAddress.getByAddress(Arrays.copyOfRange(key, 4, 8));
            } else {
                byte[] a6 = Arrays.copyOfRange(key, 8, 24);
                int scope = h.getInt(off + 24);
                addr = scope != 0 ? Inet6Address.getByAddress(null, a6, scope) : InetAddress.getByAddress(a6);
            }
        } catch (UnknownHostException e) {
            return null;
        }
        InetSocketAddress isa = new InetSocketAddress(addr, port);
        int slot = cacheNext;
        cacheNext = (slot + 1) % ADDRESS_CACHE;
        cacheKeys[slot] = key.clone();
        cacheValues[slot] = isa;
        return isa;
    }

    private void awaitReadable() throws IOException {
        ByteBuffer p = recvPoll;
        int n = 0;
        for (int fd : new int[]{fd4, fd6, wakeFd}) {
            if (fd >= 0) {
                p.putInt(n * Sys.POLLFD_SIZE, fd);
                p.putShort(n * Sys.POLLFD_SIZE + 4, Sys.POLLIN);
                p.putShort(n * Sys.POLLFD_SIZE + 6, (short) 0);
                n++;
            }
        }
        if (Sys.poll(Native.getDirectBufferPointer(p), n, -1) < 0) {
            int err = Sys.errno();
            if (err != Sys.EINTR) {
                throw new IOException("poll failed: " + Sys.describe(err));
            }
        }
    }

    // ------------------------------------------------------------------ send

    @Override
    public int send(DatagramBatch batch) throws IOException {
        int count = batch.count();
        int ok = 0;
        sendLock.lock();
        try {
            if (closed) {
                throw new ClosedChannelException();
            }
            Messages a = sendArena;
            if (a == null || a.slots < batch.capacity()) {
                Messages.free(a);
                a = sendArena = Messages.forSend(Math.max(batch.capacity(), 64), SEND_ARENA_BYTES);
            }
            int i = 0;
            while (i < count) {
                // Gather a run of same-family datagrams that fits the arena, then sendmmsg it. With GSO, consecutive
                // datagrams to the same endpoint of one size (the last may be shorter) share one message: they lie
                // back to back in the data area, so the message's iovec just grows, and UDP_SEGMENT cuts it again.
                int runStart = i;
                int k = 0;
                int used = 0;
                int fd = -1;
                InetSocketAddress lastTo = null;
                int lastName = -1;
                int lastNameLen = 0;
                boolean grouping = gso;
                int groupSize = 0; // segment size of message k-1's group; 0 once it cannot grow
                for (; i < count && (k < a.slots || groupSize > 0); i++) {
                    InetSocketAddress to = batch.endpoint(i);
                    if (to == null) {
                        continue;
                    }
                    int len = batch.length(i);
                    InetAddress addr = to.getAddress();
                    int want = addr instanceof Inet4Address ? fd4 : addr instanceof Inet6Address ? fd6 : -1;
                    if (want < 0 || to.isUnresolved()) {
                        sendErrors.incrementAndGet();
                        continue;
                    }
                    if (k > 0 && want != fd) {
                        break; // family changes: flush the run first
                    }
                    if (used + len > a.data.capacity()) {
                        if (k > 0) {
                            break;
                        }
                        Messages.free(a); // nothing prepared in it yet
                        a = sendArena = Messages.forSend(a.slots, len); // one datagram larger than the arena
                    }
                    fd = want;
                    a.data.put(used, batch.array(i), batch.offset(i), len);
                    ByteBuffer h = a.headers;
                    if (grouping && k > 0 && to == lastTo && groupSize > 0 && len <= groupSize
                            && a.segments[k - 1] < MAX_GSO_SEGMENTS
                            && h.getLong(a.iov(k - 1) + 8) + len <= MAX_GSO_BYTES) {
                        h.putLong(a.iov(k - 1) + 8, h.getLong(a.iov(k - 1) + 8) + len);
                        a.segments[k - 1]++;
                        if (len < groupSize) {
                            groupSize = 0; // a shorter datagram ends its group
                        }
                        used += len;
                        continue;
                    }
                    if (k == a.slots) {
                        break;
                    }
                    int m = a.mmsg(k);
                    h.putLong(a.iov(k), a.dataAddress + used);
                    h.putLong(a.iov(k) + 8, len);
                    if (to != lastTo) {
                        lastName = a.name(k);
                        lastNameLen = encode(h, lastName, to);
                        lastTo = to;
                    }
                    h.putLong(m + Sys.MSG_NAME, a.headersAddress + lastName);
                    h.putInt(m + Sys.MSG_NAMELEN, lastNameLen);
                    a.to[k] = to;
                    a.segments[k] = 1;
                    a.segmentSize[k] = len;
                    groupSize = len;
                    used += len;
                    k++;
                }
                if (k > 0) {
                    int r = sendRun(fd, a, k);
                    if (r == GSO_REFUSED) {
                        gso = false; // the device cannot segment (no checksum offload): send this run again plainly
                        i = runStart;
                        continue;
                    }
                    ok += r;
                }
            }
        } finally {
            sendLock.unlock();
            sent.addAndGet(ok);
        }
        return ok;
    }

    /**
     * sendmmsg of the first {@code k} prepared messages, skipping ones the kernel refuses. Returns how many datagrams
     * went, or {@link #GSO_REFUSED} if the kernel refused a segmented message before anything was sent.
     */
    private int sendRun(int fd, Messages a, int k) throws IOException {
        ByteBuffer h = a.headers;
        for (int j = 0; j < k; j++) {
            int m = a.mmsg(j);
            int c = a.control(j);
            int len = 0;
            if (a.segments[j] > 1) {
                h.putLong(c, Sys.CMSG_LEN_U16);
                h.putInt(c + 8, Sys.SOL_UDP);
                h.putInt(c + 12, Sys.UDP_SEGMENT);
                h.putShort(c + 16, (short) a.segmentSize[j]);
                len = (int) Sys.CMSG_SPACE_U16;
            }
            int source = stickySources.encode(h, c + len, a.to[j]); // the source address the peer sent to
            a.sticky[j] = source > 0;
            len += source;
            h.putLong(m + Sys.MSG_CONTROL, len == 0 ? 0 : a.headersAddress + c);
            h.putLong(m + Sys.MSG_CONTROLLEN, len);
        }
        int done = 0;
        int ok = 0;
        long deadline = 0;
        while (done < k) {
            int r = Sys.sendmmsg(fd, a.headersPtr.share((long) done * Sys.MMSGHDR_SIZE), k - done, 0);
            if (r > 0) {
                for (int j = done; j < done + r; j++) {
                    ok += a.segments[j];
                    if (a.segments[j] > 1) {
                        gsoMessages.incrementAndGet();
                    }
                }
                done += r;
                continue;
            }
            int err = r == 0 ? Sys.EAGAIN : Sys.errno();
            if (err == Sys.EINTR) {
                continue;
            }
            if (closed || err == Sys.EBADF) {
                throw new ClosedChannelException();
            }
            if (err == Sys.EAGAIN) {
                long now = System.nanoTime();
                if (deadline == 0) {
                    deadline = now + SEND_WAIT_NANOS;
                } else if (now - deadline >= 0) {
                    sendErrors.addAndGet(k - done);
                    return ok;
                }
                awaitWritable(fd);
                continue;
            }
            if (retryWithoutSource(a, done)) {
                continue;
            }
            if ((err == Sys.EIO || err == Sys.EINVAL) && a.segments[done] > 1) {
                gso = false; // e.g. EIO: the route's device cannot checksum the segments
                if (done == 0) {
                    return GSO_REFUSED;
                }
            }
            // The first remaining message was refused (no route, unreachable, EPERM from a firewall, ...).
            sendErrors.addAndGet(a.segments[done]);
            done++;
        }
        return ok;
    }

    /**
     * When a refused message asked for a source address ({@link StickySources}), the address may have gone away or no
     * longer route to the peer: forget it and let the caller send the message again with the kernel's choice.
     */
    private boolean retryWithoutSource(Messages a, int k) {
        if (!a.sticky[k]) {
            return false;
        }
        stickySources.forget(a.to[k]);
        a.sticky[k] = false;
        int m = a.mmsg(k);
        boolean segmented = a.segments[k] > 1; // keep the UDP_SEGMENT message in front
        a.headers.putLong(m + Sys.MSG_CONTROL, segmented ? a.headersAddress + a.control(k) : 0);
        a.headers.putLong(m + Sys.MSG_CONTROLLEN, segmented ? Sys.CMSG_SPACE_U16 : 0);
        return true;
    }

    /** The local address replies to {@code to} are sent from, if one was learned (tests, diagnostics). */
    public java.util.Optional<InetAddress> stickySource(InetSocketAddress to) {
        byte[] a = stickySources.localFor(to);
        try {
            return a == null ? java.util.Optional.empty() : java.util.Optional.of(InetAddress.getByAddress(a));
        } catch (java.net.UnknownHostException e) {
            return java.util.Optional.empty();
        }
    }

    private void awaitWritable(int fd) throws IOException {
        ByteBuffer p = sendPoll;
        p.putInt(0, fd);
        p.putShort(4, Sys.POLLOUT);
        p.putShort(6, (short) 0);
        p.putInt(Sys.POLLFD_SIZE, wakeFd);
        p.putShort(Sys.POLLFD_SIZE + 4, Sys.POLLIN);
        p.putShort(Sys.POLLFD_SIZE + 6, (short) 0);
        if (Sys.poll(Native.getDirectBufferPointer(p), 2, 100) < 0 && Sys.errno() != Sys.EINTR) {
            throw new IOException("poll failed: " + Sys.describe(Sys.errno()));
        }
    }

    /** Writes a sockaddr for {@code to} at {@code off}; returns its length. */
    private static int encode(ByteBuffer h, int off, InetSocketAddress to) {
        InetAddress addr = to.getAddress();
        byte[] b = addr.getAddress();
        int port = to.getPort();
        if (b.length == 4) {
            h.putShort(off, (short) Sys.AF_INET);
            h.put(off + 2, (byte) (port >>> 8)).put(off + 3, (byte) port);
            h.put(off + 4, b);
            h.putLong(off + 8, 0);
            return Sys.SOCKADDR_IN_LEN;
        }
        h.putShort(off, (short) Sys.AF_INET6);
        h.put(off + 2, (byte) (port >>> 8)).put(off + 3, (byte) port);
        h.putInt(off + 4, 0);
        h.put(off + 8, b);
        h.putInt(off + 24, addr instanceof Inet6Address a6 ? a6.getScopeId() : 0);
        return Sys.SOCKADDR_IN6_LEN;
    }

    // ------------------------------------------------------------------ options, state

    @Override
    public int localPort() {
        return port;
    }

    @Override
    public boolean hasIpv6() {
        return fd6 >= 0;
    }

    @Override
    public boolean hasIpv4() {
        return fd4 >= 0;
    }

    /**
     * Sets {@code SO_MARK} on both sockets.
     *
     * @throws SocketException if the kernel refuses (EPERM without CAP_NET_ADMIN)
     */
    @Override
    public void setFwmark(int mark) throws IOException {
        markLock.lock();
        try {
            if (closed) {
                throw new ClosedChannelException();
            }
            for (int fd : new int[]{fd4, fd6}) {
                if (fd >= 0) {
                    int err = trySetIntOption(fd, Sys.SOL_SOCKET, Sys.SO_MARK, mark);
                    if (err != 0) {
                        throw new SocketException("setsockopt(SO_MARK, " + Integer.toUnsignedString(mark)
                                + ") failed: " + Sys.describe(err));
                    }
                }
            }
            fwmark = mark;
        } finally {
            markLock.unlock();
        }
    }

    /**
     * Reads {@code SO_MARK} back from the kernel for the IPv4 (or, with {@code ipv6}, the IPv6) socket: diagnostics
     * and tests.
     *
     * @throws ClosedChannelException if the bind is closed or has no socket of that family
     */
    public int kernelFwmark(boolean ipv6) throws IOException {
        markLock.lock();
        try {
            int fd = ipv6 ? fd6 : fd4;
            if (closed || fd < 0) {
                throw new ClosedChannelException();
            }
            return getIntOption(fd, Sys.SOL_SOCKET, Sys.SO_MARK);
        } finally {
            markLock.unlock();
        }
    }

    /** The receive buffer size the kernel reports for the IPv4 socket (doubled bookkeeping value); for tests. */
    int kernelReceiveBuffer() throws IOException {
        return getIntOption(fd4 >= 0 ? fd4 : fd6, Sys.SOL_SOCKET, Sys.SO_RCVBUF);
    }

    @Override
    public int fwmark() {
        return fwmark;
    }

    @Override
    public boolean supportsFwmark() {
        return true;
    }

    @Override
    public Stats stats() {
        return new Stats(received.get(), sent.get(), oversize.get(), sendErrors.get());
    }

    @Override
    public void close() {
        markLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            markLock.unlock();
        }
        ByteBuffer one = direct(8);
        one.putLong(0, 1);
        Sys.write(wakeFd, Native.getDirectBufferPointer(one), 8); // wakes pollers for good (never read back)
        // Close the sockets only once no thread is inside a call on them: an fd number can be reused at once.
        boolean quiet = false;
        try {
            if (receiveLock.tryLock(2, TimeUnit.SECONDS)) {
                try {
                    if (sendLock.tryLock(2, TimeUnit.SECONDS)) {
                        try {
                            markLock.lock();
                            try {
                                quiet = true;
                                if (fd4 >= 0) {
                                    Sys.close(fd4);
                                }
                                if (fd6 >= 0) {
                                    Sys.close(fd6);
                                }
                                Messages.free(recvArena);
                                Messages.free(sendArena);
                                recvArena = null;
                                sendArena = null;
                            } finally {
                                markLock.unlock();
                            }
                        } finally {
                            sendLock.unlock();
                        }
                    }
                } finally {
                    receiveLock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (quiet) {
            Sys.close(wakeFd);
        }
        // else: leak the fds and the native memory rather than risk a stuck thread using a closed fd or freed memory
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /** Whether the sockets deliver coalesced buffers (UDP_GRO accepted at open). */
    public boolean usesGro() {
        return gro;
    }

    /** Coalesced buffers received (UDP_GRO control message present), each cut into its datagrams. */
    public long groMessages() {
        return groMessages.get();
    }

    /** Datagrams cut out of coalesced buffers (included in {@link Stats#received()}). */
    public long groDatagrams() {
        return groDatagrams.get();
    }

    /** Messages sent with UDP_SEGMENT (two or more datagrams in one). */
    public long gsoMessages() {
        return gsoMessages.get();
    }

    /** Whether sends still use UDP_SEGMENT (probed at open; off after the kernel refused it). */
    public boolean usesGso() {
        sendLock.lock();
        try {
            return gso;
        } finally {
            sendLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "LinuxUdpBind[port=" + port + (fd4 >= 0 ? ", IPv4" : "") + (fd6 >= 0 ? ", IPv6" : "")
                + (fwmark != 0 ? ", fwmark=0x" + Integer.toHexString(fwmark) : "") + "]";
    }

    // ------------------------------------------------------------------ native arena

    /**
     * Native memory for one recvmmsg/sendmmsg call: {@code slots} mmsghdrs, iovecs and sockaddrs in a direct
     * buffer (written with plain puts, no JNI per field), plus a data area. Freed at once when the bind closes or a
     * larger one replaces it, not whenever a full GC happens to find it unreachable: a service that brings tunnels
     * up and down would otherwise hold every closed bind's buffers until then.
     */
    private static final class Messages {
        private final Arena memory = Arena.ofShared();
        final int slots;
        final int slotSize; // receive: bytes per slot; send: 0 (packed)
        final ByteBuffer headers;
        final Pointer headersPtr;
        final long headersAddress;
        final ByteBuffer data;
        final long dataAddress;
        /** Control bytes per slot: a UDP_SEGMENT message followed by a packet-info message. */
        static final int CONTROL_BYTES = (int) Sys.CMSG_SPACE_U16 + StickySources.CONTROL_SIZE;
        final InetSocketAddress[] to; // send: each prepared message's destination
        final boolean[] sticky;       // send: message i carries a source address (StickySources)
        final int[] segments;    // send: datagrams in message i (more than 1: one UDP_SEGMENT message)
        final int[] segmentSize; // send: their size (all but the last)
        int dirty;  // receive: leading headers the kernel wrote since their reset
        int filled;     // receive: messages the last recvmmsg filled
        int next;       // receive: the first of them not yet delivered in full
        int nextOffset; // receive: bytes of message next already delivered

        private Messages(int slots, int slotSize, int dataBytes) {
            this.slots = slots;
            this.slotSize = slotSize;
            this.headers = allocate(slots * (Sys.MMSGHDR_SIZE + Sys.IOVEC_SIZE + Sys.SOCKADDR_SIZE
                    + CONTROL_BYTES));
            this.to = new InetSocketAddress[slots];
            this.sticky = new boolean[slots];
            this.segments = new int[slots];
            this.segmentSize = new int[slots];
            this.headersPtr = Native.getDirectBufferPointer(headers);
            this.headersAddress = Pointer.nativeValue(headersPtr);
            this.data = allocate(Math.max(dataBytes, 1));
            this.dataAddress = Pointer.nativeValue(Native.getDirectBufferPointer(data));
            for (int i = 0; i < slots; i++) {
                int m = mmsg(i);
                headers.putLong(m + Sys.MSG_NAME, headersAddress + name(i));
                headers.putInt(m + Sys.MSG_NAMELEN, Sys.SOCKADDR_IN6_LEN);
                headers.putLong(m + Sys.MSG_IOV, headersAddress + iov(i));
                headers.putLong(m + Sys.MSG_IOVLEN, 1);
                headers.putLong(m + Sys.MSG_CONTROL, slotSize > 0 ? headersAddress + control(i) : 0);
                headers.putLong(m + Sys.MSG_CONTROLLEN, slotSize > 0 ? RECEIVE_CONTROL : 0);
                headers.putInt(m + Sys.MSG_FLAGS, 0);
                if (slotSize > 0) {
                    headers.putLong(iov(i), dataAddress + slotOffset(i));
                    headers.putLong(iov(i) + 8, slotSize);
                }
            }
        }

        private ByteBuffer allocate(long bytes) {
            return memory.allocate(bytes, Long.BYTES).asByteBuffer().order(ByteOrder.nativeOrder());
        }

        /** Frees {@code m}'s memory (nothing if null); no thread may be inside a call that uses it. */
        static void free(Messages m) {
            if (m != null) {
                m.memory.close();
            }
        }

        static Messages forReceive(int slots, int slotSize) {
            return new Messages(slots, slotSize, Math.multiplyExact(slots, slotSize));
        }

        static Messages forSend(int slots, int dataBytes) {
            return new Messages(slots, 0, dataBytes);
        }

        int mmsg(int i) {
            return i * Sys.MMSGHDR_SIZE;
        }

        int iov(int i) {
            return slots * Sys.MMSGHDR_SIZE + i * Sys.IOVEC_SIZE;
        }

        int name(int i) {
            return slots * (Sys.MMSGHDR_SIZE + Sys.IOVEC_SIZE) + i * Sys.SOCKADDR_SIZE;
        }

        /**
         * The control-message area of slot {@code i}: on send a UDP_SEGMENT message and a source address
         * ({@link StickySources}), on receive the destination address the kernel reports.
         */
        int control(int i) {
            return slots * (Sys.MMSGHDR_SIZE + Sys.IOVEC_SIZE + Sys.SOCKADDR_SIZE) + i * CONTROL_BYTES;
        }

        int slotOffset(int i) {
            return i * slotSize;
        }
    }
}
