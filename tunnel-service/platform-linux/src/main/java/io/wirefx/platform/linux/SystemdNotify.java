package io.wirefx.platform.linux;

import com.sun.jna.Native;
import io.wirefx.platform.ServiceHost;

import java.nio.charset.StandardCharsets;

/**
 * systemd's readiness protocol for {@code Type=notify} units: a datagram {@code READY=1} (or {@code STOPPING=1}) to
 * the Unix socket named by {@code $NOTIFY_SOCKET} ({@code @name} is in the abstract namespace). Without
 * {@code NOTIFY_SOCKET} the service is not under systemd and nothing is sent. The JDK has no Unix datagram sockets,
 * so this goes through libc.
 */
final class SystemdNotify implements ServiceHost {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SUN_PATH = 108;

    private final String socket;

    SystemdNotify(String socket) {
        this.socket = socket == null || socket.isEmpty() ? null : socket;
    }

    @Override
    public void ready() {
        send("READY=1\nSTATUS=running\nMAINPID=" + ProcessHandle.current().pid());
    }

    @Override
    public void stopping() {
        send("STOPPING=1");
    }

    @Override
    public String describe() {
        return socket == null ? "foreground (no NOTIFY_SOCKET)" : "systemd (notify)";
    }

    /** Sends one state message; failures are not fatal (systemd then times the start out and says so). */
    boolean send(String state) {
        if (socket == null) {
            return false;
        }
        byte[] path = socket.getBytes(StandardCharsets.UTF_8);
        if (path.length >= SUN_PATH) {
            return false;
        }
        byte[] addr = new byte[2 + path.length + (path[0] == '@' ? 0 : 1)];
        addr[0] = (byte) AF_UNIX; // sa_family_t, little-endian on every Linux architecture we ship for
        System.arraycopy(path, 0, addr, 2, path.length);
        if (path[0] == '@') {
            addr[2] = 0;
        }
        byte[] msg = state.getBytes(StandardCharsets.UTF_8);
        int fd = Libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return false;
        }
        try {
            return Libc.sendto(fd, msg, msg.length, 0, addr, addr.length) == msg.length;
        } finally {
            Libc.close(fd);
        }
    }

    private static final class Libc {
        static {
            Native.register("c");
        }

        static native int socket(int domain, int type, int protocol);

        static native long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrLen);

        static native int close(int fd);
    }
}
