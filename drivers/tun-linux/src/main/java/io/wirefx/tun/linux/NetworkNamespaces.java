package io.wirefx.tun.linux;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Network-namespace membership of the calling thread. On Linux it is per OS thread: sockets and TUN interfaces are
 * created in the namespace of the thread that creates them, and keep it for life.
 */
public final class NetworkNamespaces {

    private NetworkNamespaces() {
    }

    /**
     * Moves the calling OS thread into the network namespace named by {@code nsFile} (e.g.
     * {@code /var/run/netns/NAME}, as created by {@code ip netns add}). Threads started afterwards from this thread
     * inherit the namespace. Needs CAP_SYS_ADMIN.
     *
     * @throws IllegalStateException if called on a virtual thread (it would move whichever carrier runs it)
     * @throws IOException           if the file cannot be opened or {@code setns} fails
     */
    public static void enterOnCurrentThread(Path nsFile) throws IOException {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("setns needs a platform thread");
        }
        LibC.loadFailure().ifPresent(t -> {
            throw new UnsupportedOperationException("native bindings unavailable: " + t, t);
        });
        int fd = LibC.open(nsFile.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw new IOException("open " + nsFile + ": " + LibC.describe(LibC.errno()));
        }
        try {
            if (LibC.setns(fd, LibC.CLONE_NEWNET) != 0) {
                throw new IOException("setns " + nsFile + ": " + LibC.describe(LibC.errno()));
            }
        } finally {
            LibC.close(fd);
        }
    }
}
