package io.wirefx.platform.linux;

import com.sun.jna.Native;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The readiness messages arrive on a real Unix datagram socket, as systemd's notify socket receives them. */
class SystemdNotifyTest {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int MSG_DONTWAIT = 0x40;

    @TempDir
    Path dir;

    @Test
    void readyAndStoppingReachTheNotifySocket() throws Exception {
        Path socket = dir.resolve("notify");
        int fd = Libc.socket(AF_UNIX, SOCK_DGRAM, 0);
        assertTrue(fd >= 0);
        try {
            byte[] path = socket.toString().getBytes(StandardCharsets.UTF_8);
            byte[] addr = new byte[2 + path.length + 1];
            addr[0] = AF_UNIX;
            System.arraycopy(path, 0, addr, 2, path.length);
            assertEquals(0, Libc.bind(fd, addr, addr.length));

            SystemdNotify host = new SystemdNotify(socket.toString());
            assertEquals("systemd (notify)", host.describe());
            host.ready();
            host.stopping();
            List<String> got = new ArrayList<>();
            long deadline = System.nanoTime() + 5_000_000_000L;
            byte[] buf = new byte[512];
            while (got.size() < 2 && System.nanoTime() < deadline) {
                long n = Libc.recv(fd, buf, buf.length, MSG_DONTWAIT);
                if (n > 0) {
                    got.add(new String(buf, 0, (int) n, StandardCharsets.UTF_8));
                } else {
                    Thread.sleep(10);
                }
            }
            assertEquals(2, got.size(), got::toString);
            assertTrue(got.get(0).startsWith("READY=1\n"), got.get(0));
            assertTrue(got.get(0).contains("MAINPID=" + ProcessHandle.current().pid()), got.get(0));
            assertEquals("STOPPING=1", got.get(1));
        } finally {
            Libc.close(fd);
        }
    }

    @Test
    void withoutNotifySocketNothingIsSent() {
        SystemdNotify host = new SystemdNotify(null);
        assertFalse(host.send("READY=1"));
        assertTrue(host.describe().startsWith("foreground"));
    }

    private static final class Libc {
        static {
            Native.register("c");
        }

        static native int socket(int domain, int type, int protocol);

        static native int bind(int fd, byte[] addr, int len);

        static native long recv(int fd, byte[] buf, long len, int flags);

        static native int close(int fd);
    }
}
