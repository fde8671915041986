package io.wirefx.tun.linux;

import com.sun.jna.Memory;

/**
 * The kernel's link notifications for one network namespace: an {@code AF_NETLINK}/{@code NETLINK_ROUTE} socket
 * subscribed to {@code RTMGRP_LINK}, non-blocking. The kernel queues an {@code RTM_NEWLINK} message on it before
 * {@code ip link set … mtu N} returns, so a reader that asks {@link #changed()} after each batch sees an MTU change
 * in time for the next packet, at the cost of one failing {@code read(2)} per batch when nothing changed.
 *
 * <p>The messages are not parsed: any link message in the namespace (or a queue overrun, ENOBUFS) means "look
 * again", and the device's state check then compares its own interface's MTU, flags and name. Thread-safe as long as
 * {@link #close()} is not concurrent with {@link #changed()} (the device closes it under all of its locks).
 */
final class LinkWatch implements AutoCloseable {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int NETLINK_ROUTE = 0;
    private static final int RTMGRP_LINK = 1;
    private static final int SOCKADDR_NL_SIZE = 12;
    private static final int BUFFER = 8192;

    private final int fd;
    private final Memory buf = new Memory(BUFFER);

    private LinkWatch(int fd) {
        this.fd = fd;
    }

    /** Opens the watch in the calling thread's network namespace, or returns null when the kernel refuses. */
    static LinkWatch open() {
        int fd = LibC.socket(AF_NETLINK, SOCK_RAW | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0) {
            return null;
        }
        try (Memory addr = new Memory(SOCKADDR_NL_SIZE)) {
            addr.clear();
            addr.setShort(0, (short) AF_NETLINK); // nl_family; nl_pad, nl_pid = 0 (the kernel assigns the port id)
            addr.setInt(8, RTMGRP_LINK);          // nl_groups
            if (LibC.bind(fd, addr, SOCKADDR_NL_SIZE) != 0) {
                LibC.close(fd);
                return null;
            }
        }
        return new LinkWatch(fd);
    }

    /** The socket, for a reader's poll set: readable when a notification is waiting. */
    int fd() {
        return fd;
    }

    /** Whether any link notification arrived since the last call; drains the queue. Never blocks. */
    synchronized boolean changed() {
        boolean any = false;
        while (true) {
            long r = LibC.read(fd, buf, BUFFER);
            if (r > 0) {
                any = true;
                continue;
            }
            if (r == 0) {
                return any;
            }
            int err = LibC.errno();
            if (err == LibC.EINTR) {
                continue;
            }
            return any || err == LibC.ENOBUFS; // EAGAIN: drained; ENOBUFS: messages were lost, so look anyway
        }
    }

    @Override
    public synchronized void close() {
        LibC.close(fd);
        buf.close();
    }
}
