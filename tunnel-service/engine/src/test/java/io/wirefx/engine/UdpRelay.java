package io.wirefx.engine;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

/**
 * A UDP man in the middle on loopback for tests: datagrams from {@code a} go to {@code b} and the other way round, and
 * every datagram is recorded (direction, WireGuard message type, length, time), so tests can see what the engines
 * put on the wire.
 */
final class UdpRelay implements AutoCloseable {

    /** One forwarded datagram. */
    record Seen(boolean fromA, int type, int length, long nanos) {
    }

    private final DatagramSocket socket;
    private final InetSocketAddress a;
    private final InetSocketAddress b;
    private final List<Seen> seen = new ArrayList<>();
    private final Thread thread;

    UdpRelay(InetAddress loopback, int portA, int portB) throws SocketException {
        this.socket = new DatagramSocket(new InetSocketAddress(loopback, 0));
        this.a = new InetSocketAddress(loopback, portA);
        this.b = new InetSocketAddress(loopback, portB);
        this.thread = Thread.ofPlatform().daemon().name("udp-relay").start(this::run);
    }

    int port() {
        return socket.getLocalPort();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void run() {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!socket.isClosed()) {
            try {
                p.setLength(buf.length);
                socket.receive(p);
                boolean fromA = p.getPort() == a.getPort();
                int type = p.getLength() >= 4 ? buf[0] & 0xff : -1;
                synchronized (seen) {
                    seen.add(new Seen(fromA, type, p.getLength(), System.nanoTime()));
                }
                socket.send(new DatagramPacket(buf, p.getLength(), fromA ? b : a));
            } catch (IOException e) {
                return;
            }
        }
    }

    List<Seen> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
