package io.wirefx.engine.bind.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

import java.util.Optional;

/**
 * The libc calls of {@link LinuxUdpBind}, bound with JNA direct mapping ({@link Native#register}). errno is read with
 * {@link #errno()} right after a failing call (JNA keeps it per thread). {@code ssize_t}/{@code size_t}/{@code nfds_t}
 * are Java {@code long}; only 64-bit x86 and ARM Linux (LP64) are accepted, where the struct layouts below hold.
 */
final class Sys {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;

    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_SNDBUFFORCE = 32;
    static final int SO_RCVBUFFORCE = 33;
    static final int SO_MARK = 36;
    static final int IPPROTO_IPV6 = 41;
    static final int IPV6_V6ONLY = 26;

    static final int SOL_UDP = 17;
    static final int UDP_SEGMENT = 103;
    static final int UDP_GRO = 104;
    /** CMSG_LEN(sizeof(u16)) and CMSG_SPACE(sizeof(u16)) on LP64. */
    static final long CMSG_LEN_U16 = 18;
    static final long CMSG_SPACE_U16 = 24;
    static final int EIO = 5;

    static final int MSG_CTRUNC = 0x8;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_DONTWAIT = 0x40;

    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;

    static final int EPERM = 1;
    static final int EINTR = 4;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EINVAL = 22;
    static final int EAFNOSUPPORT = 97;
    static final int EADDRINUSE = 98;

    // struct layouts (LP64)
    static final int MMSGHDR_SIZE = 64;   // struct msghdr (56) + unsigned msg_len + padding
    static final int MSG_NAME = 0;
    static final int MSG_NAMELEN = 8;
    static final int MSG_IOV = 16;
    static final int MSG_IOVLEN = 24;
    static final int MSG_CONTROL = 32;
    static final int MSG_CONTROLLEN = 40;
    static final int MSG_FLAGS = 48;
    static final int MSG_LEN = 56;
    static final int IOVEC_SIZE = 16;
    static final int SOCKADDR_SIZE = 32;  // room for sockaddr_in6 (28)
    static final int SOCKADDR_IN_LEN = 16;
    static final int SOCKADDR_IN6_LEN = 28;
    static final int POLLFD_SIZE = 8;

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
            Native.register(Sys.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError, ...: reported as unavailability
            failure = t;
        }
        LOAD_FAILURE = failure;
    }

    private Sys() {
    }

    static Optional<Throwable> loadFailure() {
        return Optional.ofNullable(LOAD_FAILURE);
    }

    static int errno() {
        return Native.getLastError();
    }

    static String describe(int errno) {
        String text;
        try {
            text = strerror(errno);
        } catch (RuntimeException | LinkageError e) {
            text = null;
        }
        return "errno " + errno + (text == null ? "" : " (" + text + ")");
    }

    static native int socket(int domain, int type, int protocol);

    static native int bind(int fd, Pointer addr, int addrlen);

    static native int getsockname(int fd, Pointer addr, Pointer addrlen);

    static native int setsockopt(int fd, int level, int optname, Pointer optval, int optlen);

    static native int getsockopt(int fd, int level, int optname, Pointer optval, Pointer optlen);

    static native int recvmmsg(int fd, Pointer msgvec, int vlen, int flags, Pointer timeout);

    static native int sendmmsg(int fd, Pointer msgvec, int vlen, int flags);

    static native int poll(Pointer fds, long nfds, int timeoutMillis);

    static native int eventfd(int initval, int flags);

    static native long write(int fd, Pointer buf, long count);

    static native int close(int fd);

    static native String strerror(int errnum);
}
