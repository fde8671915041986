package io.wirefx.engine.bind;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The portable {@link UdpBind}: one non-blocking {@link DatagramChannel} read through a {@link Selector}.
 *
 * <p><b>One socket, not two.</b> wireguard-go opens separate IPv4 and IPv6 sockets on the same port, which needs
 * {@code IPV6_V6ONLY} on the IPv6 one; NIO cannot set that option and always makes IPv6 channels dual-stack, so a
 * second IPv4 socket on the same port would fail with EADDRINUSE. This bind therefore opens one dual-stack IPv6
 * channel (IPv4 peers appear with their plain IPv4 address) and falls back to an IPv4 channel where IPv6 is missing.
 * {@link io.wirefx.engine.bind.linux.LinuxUdpBind} has the two-socket layout.
 *
 * <p>No batching system calls (one {@code recvfrom}/{@code sendto} per datagram), no fwmark: {@link #setFwmark} with
 * a non-zero mark throws {@link SocketException}.
 */
public final class NioUdpBind implements UdpBind {

    /** Requested socket buffer size; the OS caps it ({@code net.core.rmem_max} on Linux). */
    static final int SOCKET_BUFFER = 4 << 20;
    private static final long SEND_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final DatagramChannel channel;
    private final boolean ipv6;
    private final int port;
    private final Selector receiveSelector;
    private final Selector sendSelector;
    private final ReentrantLock receiveLock = new ReentrantLock();
    private final ReentrantLock sendLock = new ReentrantLock();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong oversize = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private volatile boolean closed;

    private NioUdpBind(DatagramChannel channel, boolean ipv6) throws IOException {
        this.channel = channel;
        this.ipv6 = ipv6;
        this.port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        this.receiveSelector = Selector.open();
        this.sendSelector = Selector.open();
        channel.register(receiveSelector, SelectionKey.OP_READ);
        channel.register(sendSelector, SelectionKey.OP_WRITE);
    }

    /**
     * Binds the wildcard address on {@code port} (0 = a free port), dual-stack where IPv6 exists.
     *
     * @throws BindException if the port is taken
     */
    public static NioUdpBind open(int port) throws IOException {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        try {
            return open(StandardProtocolFamily.INET6, port);
        } catch (BindException e) {
            throw e;
        } catch (UnsupportedOperationException | IOException e) {
            // no usable IPv6 (not compiled in, disabled): IPv4 only
            return open(StandardProtocolFamily.INET, port);
        }
    }

    private static NioUdpBind open(StandardProtocolFamily family, int port) throws IOException {
        DatagramChannel ch = DatagramChannel.open(family);
        try {
            configure(ch);
            ch.bind(new InetSocketAddress(family == StandardProtocolFamily.INET6
                    ? java.net.InetAddress.getByName("::") : java.net.InetAddress.getByName("0.0.0.0"), port));
            return new NioUdpBind(ch, family == StandardProtocolFamily.INET6);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static void configure(DatagramChannel ch) throws IOException {
        ch.configureBlocking(false);
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort: the defaults work, only with more loss under bursts
        }
    }

    @Override
    public int receive(DatagramBatch batch) throws IOException {
        batch.clear();
        receiveLock.lock();
        try {
            while (true) {
                if (closed) {
                    return -1;
                }
                int n;
                try {
                    n = drain(batch);
                } catch (ClosedChannelException e) {
                    if (closed) {
                        batch.clear();
                        return -1;
                    }
                    throw e;
                }
                if (n > 0) {
                    batch.setCount(n);
                    received.addAndGet(n);
                    return n;
                }
                try {
                    receiveSelector.select();
                    receiveSelector.selectedKeys().clear();
                } catch (java.nio.channels.ClosedSelectorException e) {
                    return -1;
                }
            }
        } finally {
            receiveLock.unlock();
        }
    }

    /** Reads queued datagrams until none is left or the batch is full; returns how many were stored. */
    private int drain(DatagramBatch batch) throws IOException {
        int n = 0;
        int headroom = batch.headroom();
        int cap = batch.packetCapacity();
        while (n < batch.capacity()) {
            ByteBuffer bb = batch.packets().buffer(n);
            // One spare byte (if the tailroom has it) tells a datagram that filled the slot from a truncated one.
            int limit = Math.min(bb.capacity(), headroom + cap + 1);
            bb.limit(limit).position(headroom);
            InetSocketAddress from = (InetSocketAddress) channel.receive(bb);
            if (from == null) {
                break;
            }
            int len = bb.position() - headroom;
            if (len > cap) {
                oversize.incrementAndGet();
                continue;
            }
            batch.set(n, headroom, len);
            batch.setEndpoint(n, from);
            n++;
        }
        return n;
    }

    @Override
    public int send(DatagramBatch batch) throws IOException {
        int count = batch.count();
        int ok = 0;
        sendLock.lock();
        try {
            if (closed) {
                throw new ClosedChannelException();
            }
            for (int i = 0; i < count; i++) {
                InetSocketAddress to = batch.endpoint(i);
                if (to == null) {
                    continue;
                }
                ByteBuffer bb = batch.packets().buffer(i);
                if (sendOne(bb, to)) {
                    ok++;
                } else {
                    sendErrors.incrementAndGet();
                }
            }
        } finally {
            sendLock.unlock();
            sent.addAndGet(ok);
        }
        return ok;
    }

    private boolean sendOne(ByteBuffer bb, InetSocketAddress to) throws IOException {
        long deadline = 0;
        while (true) {
            int r;
            try {
                r = channel.send(bb, to);
            } catch (ClosedChannelException e) {
                throw e;
            } catch (IOException | UnresolvedAddressException | UnsupportedAddressTypeException
                     | SecurityException e) {
                return false; // unreachable, no route, wrong family: a lost datagram
            }
            if (r > 0 || !bb.hasRemaining()) {
                return true;
            }
            // Socket buffer full: wait a little for room, then give up on this datagram.
            long now = System.nanoTime();
            if (deadline == 0) {
                deadline = now + SEND_WAIT_NANOS;
            } else if (now - deadline >= 0 || closed) {
                return false;
            }
            sendSelector.select(10);
            sendSelector.selectedKeys().clear();
            if (closed) {
                throw new ClosedChannelException();
            }
        }
    }

    @Override
    public int localPort() {
        return port;
    }

    @Override
    public boolean hasIpv6() {
        return ipv6;
    }

    @Override
    public boolean hasIpv4() {
        return true;
    }

    @Override
    public void setFwmark(int mark) throws IOException {
        if (mark != 0) {
            throw new SocketException("fwmark is not supported by the portable UDP bind");
        }
    }

    /** Windows only ({@link io.wirefx.engine.bind.windows.UnicastIf}); elsewhere a {@link SocketException}. */
    @Override
    public void bindToInterface(int ipv4IfIndex, int ipv6IfIndex) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        io.wirefx.engine.bind.windows.UnicastIf.pin(channel, ipv6, ipv4IfIndex, ipv6IfIndex);
    }

    @Override
    public int fwmark() {
        return 0;
    }

    @Override
    public boolean supportsFwmark() {
        return false;
    }

    @Override
    public Stats stats() {
        return new Stats(received.get(), sent.get(), oversize.get(), sendErrors.get());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        receiveSelector.wakeup();
        sendSelector.wakeup();
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
        // The selectors are closed by the threads' next turn; closing them here would race with select().
        receiveLock.lock();
        try {
            receiveSelector.close();
        } catch (IOException ignored) {
            // ignore
        } finally {
            receiveLock.unlock();
        }
        sendLock.lock();
        try {
            sendSelector.close();
        } catch (IOException ignored) {
            // ignore
        } finally {
            sendLock.unlock();
        }
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public String toString() {
        return "NioUdpBind[port=" + port + (ipv6 ? ", dual-stack" : ", IPv4") + "]";
    }
}
