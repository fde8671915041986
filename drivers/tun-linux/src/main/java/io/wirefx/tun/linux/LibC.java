package io.wirefx.tun.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

import java.util.Optional;

/**
 * The few libc calls the driver needs, bound with JNA direct mapping ({@link Native#register}), which is much cheaper
 * per call than interface proxies. errno is read with {@link #errno()} right after a failing call (JNA saves it per
 * thread), so no exception is built on the hot path (EAGAIN ends every drained read).
 *
 * <p>{@code ioctl} and {@code open} are variadic in C; binding them with fixed arguments is ABI-compatible on the
 * 64-bit Linux targets we accept (x86-64, AArch64), where variadic integer/pointer arguments travel exactly like fixed
 * ones. {@code ssize_t}/{@code size_t}/{@code nfds_t}/{@code unsigned long} are Java {@code long} (LP64 only).
 */
final class LibC {

    // fcntl.h / asm-generic values, valid on x86-64 and AArch64.
    static final int O_RDWR = 0x2;
    static final int O_RDONLY = 0x0;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = O_NONBLOCK;
    static final int EFD_CLOEXEC = O_CLOEXEC;
    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int AF_UNIX = 1;
    static final int SOCK_SEQPACKET = 5;
    static final int SOCK_NONBLOCK = O_NONBLOCK;
    static final int SOCK_CLOEXEC = O_CLOEXEC;
    static final int CLONE_NEWNET = 0x40000000;

    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;

    // errno values (asm-generic).
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int EMSGSIZE = 90;
    static final int ENOBUFS = 105;
    static final int EBADFD = 77;
    static final int ENXIO = 6;

    private static final Throwable LOAD_FAILURE;

    static {
        Throwable failure = null;
        try {
            if (!Platform.isLinux()) {
                throw new UnsupportedOperationException("not Linux");
            }
            if (!Platform.is64Bit() || !(Platform.isIntel() || Platform.isARM())) {
                throw new UnsupportedOperationException("unsupported architecture " + Platform.ARCH
                        + " (x86-64 and aarch64 only)");
            }
            Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError, ...: reported as unavailability
            failure = t;
        }
        LOAD_FAILURE = failure;
    }

    private LibC() {
    }

    /** Why the bindings could not be loaded, or empty if they are usable. */
    static Optional<Throwable> loadFailure() {
        return Optional.ofNullable(LOAD_FAILURE);
    }

    /** errno of the last failed call on this thread. */
    static int errno() {
        return Native.getLastError();
    }

    /** "EAGAIN (Resource temporarily unavailable)"-style text for messages. */
    static String describe(int errno) {
        String name = switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case EIO -> "EIO";
            case ENXIO -> "ENXIO";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            case EBADFD -> "EBADFD";
            case EMSGSIZE -> "EMSGSIZE";
            case ENOBUFS -> "ENOBUFS";
            default -> "errno " + errno;
        };
        String text;
        try {
            text = strerror(errno);
        } catch (RuntimeException | LinkageError e) {
            text = null;
        }
        return text == null ? name : name + " (" + text + ")";
    }

    static native int open(String path, int flags);

    static native int close(int fd);

    static native long read(int fd, Pointer buf, long count);

    static native long write(int fd, Pointer buf, long count);

    static native int poll(Pointer fds, long nfds, int timeoutMillis);

    static native int ioctl(int fd, long request, Pointer arg);

    static native int ioctl(int fd, long request, long arg);

    static native int eventfd(int initval, int flags);

    static native int socket(int domain, int type, int protocol);

    static native int setns(int fd, int nstype);

    static native int bind(int fd, Pointer addr, int addrlen);

    static native int socketpair(int domain, int type, int protocol, int[] fds);

    static native String strerror(int errnum);
}
