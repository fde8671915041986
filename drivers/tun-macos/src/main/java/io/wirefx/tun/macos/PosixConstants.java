package io.wirefx.tun.macos;

import java.util.Locale;
import java.util.Optional;

/**
 * The host numbers the packet-socket I/O depends on, which differ between Darwin and Linux (reference §1.1 and §6:
 * {@code O_NONBLOCK} 0x4 vs 0x800, {@code EAGAIN} 35 vs 11, {@code ENOBUFS} 55 vs 105, ...). The utun driver runs with
 * {@link #DARWIN}; the same I/O code runs over a Unix socket pair on Linux with {@link #LINUX}, which is how it is
 * tested off macOS. Sources: XNU {@code bsd/sys/errno.h}, {@code fcntl.h}, {@code socket.h}; Linux asm-generic.
 *
 * @param oNonblock      {@code O_NONBLOCK}
 * @param fGetfl         {@code F_GETFL}
 * @param fSetfl         {@code F_SETFL}
 * @param fSetfd         {@code F_SETFD}
 * @param fdCloexec      {@code FD_CLOEXEC}
 * @param afUnix         {@code AF_UNIX}
 * @param afInet         {@code AF_INET}
 * @param afInet6        {@code AF_INET6} (30 on Darwin, 10 on Linux)
 * @param packetPairType the socket type of a packet-preserving Unix socket pair ({@code SOCK_DGRAM} on Darwin, which
 *                       has no {@code SOCK_SEQPACKET} for {@code AF_UNIX}; {@code SOCK_SEQPACKET} on Linux)
 * @param eintr          {@code EINTR}
 * @param eagain         {@code EAGAIN} (= {@code EWOULDBLOCK})
 * @param eio            {@code EIO}
 * @param enomem         {@code ENOMEM}
 * @param einval         {@code EINVAL}
 * @param emsgsize       {@code EMSGSIZE}
 * @param enobufs        {@code ENOBUFS}
 * @param eafnosupport   {@code EAFNOSUPPORT}
 * @param ebadf          {@code EBADF}
 * @param solSocket      {@code SOL_SOCKET} (0xFFFF on Darwin, 1 on Linux)
 * @param soSndbuf       {@code SO_SNDBUF}
 * @param soRcvbuf       {@code SO_RCVBUF}
 */
public record PosixConstants(String os, int oNonblock, int fGetfl, int fSetfl, int fSetfd, int fdCloexec,
                             int afUnix, int afInet, int afInet6, int packetPairType,
                             int eintr, int eagain, int eio, int enomem, int einval, int emsgsize, int enobufs,
                             int eafnosupport, int ebadf, int solSocket, int soSndbuf, int soRcvbuf) {

    /** poll(2) bits, the same on both systems. */
    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;

    /** macOS (x86-64 and arm64 share these). */
    public static final PosixConstants DARWIN = new PosixConstants("darwin", 0x4, 3, 4, 2, 1,
            1, 2, 30, 2,
            4, 35, 5, 12, 22, 40, 55, 47, 9, 0xFFFF, 0x1001, 0x1002);

    /** Linux x86-64 / AArch64 (asm-generic). */
    public static final PosixConstants LINUX = new PosixConstants("linux", 0x800, 3, 4, 2, 1,
            1, 2, 10, 5,
            4, 11, 5, 12, 22, 90, 105, 97, 9, 1, 7, 8);

    /** The constants of the running OS, or empty on an OS this module has no numbers for. */
    public static Optional<PosixConstants> host() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return Optional.of(DARWIN);
        }
        if (os.startsWith("linux")) {
            return Optional.of(LINUX);
        }
        return Optional.empty();
    }

    /** A short errno name for messages, e.g. {@code "EAGAIN"}, or {@code "errno N"}. */
    public String errnoName(int errno) {
        if (errno == eintr) {
            return "EINTR";
        } else if (errno == eagain) {
            return "EAGAIN";
        } else if (errno == eio) {
            return "EIO";
        } else if (errno == enomem) {
            return "ENOMEM";
        } else if (errno == einval) {
            return "EINVAL";
        } else if (errno == emsgsize) {
            return "EMSGSIZE";
        } else if (errno == enobufs) {
            return "ENOBUFS";
        } else if (errno == eafnosupport) {
            return "EAFNOSUPPORT";
        } else if (errno == ebadf) {
            return "EBADF";
        }
        return "errno " + errno;
    }
}
