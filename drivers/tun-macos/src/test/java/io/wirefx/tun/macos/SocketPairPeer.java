package io.wirefx.tun.macos;

import com.sun.jna.Memory;

import java.io.IOException;
import java.util.Arrays;

/**
 * The far end of a Unix socket pair standing in for the utun kernel side: writes and reads raw frames (header
 * included) with the host's constants, so tests see exactly what a {@link UtunDevice} puts on the socket.
 */
final class SocketPairPeer implements AutoCloseable {

    final PosixConstants c;
    final int deviceFd;
    private final int peerFd;
    private final Memory buf = new Memory(UtunDevice.MAX_PACKET + UtunHeader.LENGTH);
    private final Memory pollFd = new Memory(8);
    private boolean closed;

    private SocketPairPeer(PosixConstants c, int deviceFd, int peerFd) {
        this.c = c;
        this.deviceFd = deviceFd;
        this.peerFd = peerFd;
    }

    /** A socket pair: {@link #deviceFd} for the device under test, the other end kept here. */
    static SocketPairPeer open(PosixConstants c) throws IOException {
        int[] pair = {-1, -1};
        if (Posix.socketpair(c.afUnix(), c.packetPairType(), 0, pair) != 0) {
            throw new IOException("socketpair: " + Posix.describe(c, Posix.errno()));
        }
        if (!Posix.nonBlockingCloseOnExec(c, pair[0]) || !Posix.nonBlockingCloseOnExec(c, pair[1])) {
            throw new IOException("fcntl: " + Posix.describe(c, Posix.errno()));
        }
        if (!Posix.socketBuffers(c, pair[0], UtunDevice.PAIR_BUFFER)
                || !Posix.socketBuffers(c, pair[1], UtunDevice.PAIR_BUFFER)) {
            throw new IOException("setsockopt: " + Posix.describe(c, Posix.errno()));
        }
        return new SocketPairPeer(c, pair[0], pair[1]);
    }

    /** A device over {@link #deviceFd} with a remembered MTU. */
    UtunDevice device(String name, int mtu) throws IOException {
        return new UtunDevice(c, deviceFd, UtunDevice.wakePipe(c), name, mtu, new InterfaceControl.RememberedMtu(mtu));
    }

    /** Sends one raw frame (as the kernel would: header + packet) to the device. */
    synchronized void sendFrame(byte[] frame) throws IOException {
        buf.write(0, frame, 0, frame.length);
        if (Posix.write(peerFd, buf, frame.length) != frame.length) {
            throw new IOException("peer write: " + Posix.describe(c, Posix.errno()));
        }
    }

    /** The next raw frame the device wrote, or null if none comes within {@code timeoutMillis}. */
    synchronized byte[] receiveFrame(int timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            long r = Posix.read(peerFd, buf, buf.size());
            if (r >= 0) {
                return buf.getByteArray(0, (int) r);
            }
            int err = Posix.errno();
            if (err != c.eagain() && err != c.eintr()) {
                throw new IOException("peer read: " + Posix.describe(c, err));
            }
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return null;
            }
            pollFd.setInt(0, peerFd);
            pollFd.setShort(4, PosixConstants.POLLIN);
            pollFd.setShort(6, (short) 0);
            Posix.poll(pollFd, 1, (int) Math.min(left, 200));
        }
    }

    /** {@code header(family) + packet}. */
    static byte[] frame(int family, byte[] packet) {
        byte[] f = new byte[UtunHeader.LENGTH + packet.length];
        UtunHeader.put(f, 0, family);
        System.arraycopy(packet, 0, f, UtunHeader.LENGTH, packet.length);
        return f;
    }

    static byte[] packetOf(byte[] frame) {
        return Arrays.copyOfRange(frame, UtunHeader.LENGTH, frame.length);
    }

    /** Closes the peer end: the device then reads end of file. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Posix.close(peerFd);
        }
    }
}
