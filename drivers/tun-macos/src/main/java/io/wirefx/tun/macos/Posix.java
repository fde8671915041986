package io.wirefx.tun.macos;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;

import java.util.Optional;

/**
 * The libc calls of the driver. The packet path ({@code read}, {@code write}, {@code poll}) uses JNA direct mapping
 * ({@link Native#register}), cheap per call; errno is read with {@link #errno()} right after a failing call.
 * {@code ioctl} and {@code fcntl} are variadic in C, and Apple arm64 passes variadic arguments on the stack, so they
 * go through an interface mapping with Java varargs, which makes JNA prepare a variadic call (reference §1.7).
 * {@code ssize_t}/{@code size_t}/{@code nfds_t} are Java {@code long} (LP64 only: x86-64 and arm64).
 */
final class Posix {

    /** The variadic and rarely used calls, through an interface proxy. */
    interface Variadic extends Library {
        int ioctl(int fd, long request, Object... args);

        int fcntl(int fd, int cmd, Object... args);

        int getsockopt(int fd, int level, int name, Pointer value, IntByReference length);

        int connect(int fd, Structure address, int length);

        int setsockopt(int fd, int level, int name, IntByReference value, int length);
    }

    private static final Throwable LOAD_FAILURE;
    private static final Variadic VARIADIC;

    static {
        Throwable failure = null;
        Variadic v = null;
        try {
            if (!Platform.is64Bit()) {
                throw new UnsupportedOperationException("32-bit JVM");
            }
            NativeLibrary c = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
            Native.register(Posix.class, c);
            v = Native.load(Platform.C_LIBRARY_NAME, Variadic.class);
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError...: reported as unavailability
            failure = t;
        }
        LOAD_FAILURE = failure;
        VARIADIC = v;
    }

    private Posix() {
    }

    /** Why the bindings could not be loaded, or empty if they are usable. */
    static Optional<Throwable> loadFailure() {
        return Optional.ofNullable(LOAD_FAILURE);
    }

    static Variadic variadic() {
        if (VARIADIC == null) {
            throw new IllegalStateException("libc not loaded", LOAD_FAILURE);
        }
        return VARIADIC;
    }

    /** errno of the last failed call on this thread. */
    static int errno() {
        return Native.getLastError();
    }

    /** {@code "EAGAIN (Resource temporarily unavailable)"}-style text. */
    static String describe(PosixConstants c, int errno) {
        String text;
        try {
            text = strerror(errno);
        } catch (RuntimeException | LinkageError e) {
            text = null;
        }
        String name = c.errnoName(errno);
        return text == null ? name : name + " (" + text + ")";
    }

    /** Sets {@code O_NONBLOCK} and {@code FD_CLOEXEC} on {@code fd}; false (errno set) on failure. */
    static boolean nonBlockingCloseOnExec(PosixConstants c, int fd) {
        int flags = variadic().fcntl(fd, c.fGetfl());
        return flags >= 0
                && variadic().fcntl(fd, c.fSetfl(), flags | c.oNonblock()) == 0
                && variadic().fcntl(fd, c.fSetfd(), c.fdCloexec()) == 0;
    }

    /**
     * Gives a Unix socket pair end {@code bytes} of send and receive buffer: a macOS datagram socket starts with
     * 2 KiB to send ({@code net.local.dgram.maxdgram}), less than one full-size packet, and 4 KiB to receive.
     */
    static boolean socketBuffers(PosixConstants c, int fd, int bytes) {
        IntByReference v = new IntByReference(bytes);
        return variadic().setsockopt(fd, c.solSocket(), c.soSndbuf(), v, 4) == 0
                && variadic().setsockopt(fd, c.solSocket(), c.soRcvbuf(), v, 4) == 0;
    }

    static native int close(int fd);

    static native long read(int fd, Pointer buf, long count);

    static native long write(int fd, Pointer buf, long count);

    static native int poll(Pointer fds, long nfds, int timeoutMillis);

    static native int pipe(int[] fds);

    static native int socket(int domain, int type, int protocol);

    static native int socketpair(int domain, int type, int protocol, int[] fds);

    static native String strerror(int errnum);
}
