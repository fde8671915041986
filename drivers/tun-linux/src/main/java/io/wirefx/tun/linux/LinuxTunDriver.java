package io.wirefx.tun.linux;

import io.wirefx.tun.TunDevice;
import io.wirefx.tun.TunDriver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Opens TUN interfaces through {@code /dev/net/tun} (reference §10.1). Creating an interface needs CAP_NET_ADMIN in
 * the network namespace of the calling thread, which is where the interface is created.
 */
public final class LinuxTunDriver implements TunDriver {

    /** The clone device. */
    public static final Path CLONE_DEVICE = Path.of("/dev/net/tun");

    /** Name template used when none is given. */
    public static final String DEFAULT_TEMPLATE = "tun%d";

    /** System property that turns TUN offloads off when set to {@code false} (an escape hatch for odd kernels). */
    public static final String OFFLOAD_PROPERTY = "wirefx.tun.offload";

    private static final int WANTED_OFFLOADS = VirtioNetHdr.TUN_F_CSUM | VirtioNetHdr.TUN_F_TSO4
            | VirtioNetHdr.TUN_F_TSO6 | VirtioNetHdr.TUN_F_USO4 | VirtioNetHdr.TUN_F_USO6;
    /** Tried when the kernel refuses USO (before Linux 6.2). */
    private static final int TSO_OFFLOADS = VirtioNetHdr.TUN_F_CSUM | VirtioNetHdr.TUN_F_TSO4
            | VirtioNetHdr.TUN_F_TSO6;

    private final boolean offload;
    private volatile Optional<String> unavailability; // computed once

    /**
     * Creates the driver (cheap; availability is probed on first use) with offloads on, unless the system property
     * {@value #OFFLOAD_PROPERTY} is {@code false}.
     */
    public LinuxTunDriver() {
        this(!"false".equalsIgnoreCase(System.getProperty(OFFLOAD_PROPERTY, "true")));
    }

    /**
     * Creates the driver.
     *
     * @param offload whether devices are opened with {@code IFF_VNET_HDR} and TSO/USO offloads where the kernel takes
     *                them (see {@link LinuxTunDevice}); false opens plain one-packet-per-read devices
     */
    public LinuxTunDriver(boolean offload) {
        this.offload = offload;
    }

    @Override
    public String id() {
        return "linux-tun";
    }

    @Override
    public Optional<String> unavailabilityCause() {
        Optional<String> u = unavailability;
        if (u == null) {
            u = probe();
            unavailability = u;
        }
        return u;
    }

    private static Optional<String> probe() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(java.util.Locale.ROOT).startsWith("linux")) {
            return Optional.of("not Linux (os.name=" + os + ")");
        }
        Optional<Throwable> load = LibC.loadFailure();
        if (load.isPresent()) {
            return Optional.of("native bindings unavailable: " + load.get());
        }
        if (!Files.exists(CLONE_DEVICE)) {
            return Optional.of(CLONE_DEVICE + " does not exist (tun module not loaded?)");
        }
        int fd = LibC.open(CLONE_DEVICE.toString(), LibC.O_RDWR | LibC.O_CLOEXEC);
        if (fd < 0) {
            return Optional.of("cannot open " + CLONE_DEVICE + ": " + LibC.describe(LibC.errno()));
        }
        LibC.close(fd);
        return Optional.empty();
    }

    /**
     * {@inheritDoc}
     *
     * <p>The name may be a kernel template with one {@code %d} (e.g. {@code wg%d}); {@link TunDevice#name()} reports
     * the name the kernel chose. Names are ASCII, 1–15 bytes, without {@code /}, {@code :} or whitespace. If a TUN
     * interface of that name exists and is free (persistent), it is attached rather than created. The interface is
     * left down; see {@link LinuxTunDevice#setUp(boolean)}.
     */
    @Override
    public LinuxTunDevice open(String nameOrTemplate, int mtu) throws IOException {
        String requested = nameOrTemplate == null || nameOrTemplate.isEmpty() ? DEFAULT_TEMPLATE : nameOrTemplate;
        IfReq.validateName(requested);
        checkMtu(mtu);
        Optional<String> cause = unavailabilityCause();
        if (cause.isPresent()) {
            throw new IOException("Linux TUN driver unavailable: " + cause.get());
        }
        int tunFd = -1;
        int ctlFd = -1;
        int wakeFd = -1;
        boolean ok = false;
        try {
            tunFd = LibC.open(CLONE_DEVICE.toString(), LibC.O_RDWR | LibC.O_CLOEXEC | LibC.O_NONBLOCK);
            if (tunFd < 0) {
                throw new IOException("cannot open " + CLONE_DEVICE + ": " + LibC.describe(LibC.errno()));
            }
            short tunFlags = (short) (IfReq.IFF_TUN | IfReq.IFF_NO_PI | (offload ? VirtioNetHdr.IFF_VNET_HDR : 0));
            IfReq ifr = new IfReq(requested).flags(tunFlags);
            if (LibC.ioctl(tunFd, IfReq.TUNSETIFF, ifr.mem) != 0) {
                int err = LibC.errno();
                String hint = switch (err) {
                    case LibC.EPERM, LibC.EACCES -> " (needs CAP_NET_ADMIN)";
                    case LibC.EBUSY -> " (interface in use by another process)";
                    case LibC.EINVAL -> " (name taken by a non-TUN interface, or invalid)";
                    default -> "";
                };
                throw new IOException("TUNSETIFF " + requested + ": " + LibC.describe(err) + hint);
            }
            String actual = ifr.name();
            int offloads = offload ? negotiateOffloads(tunFd) : -1;
            ctlFd = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
            if (ctlFd < 0) {
                throw new IOException("cannot create control socket: " + LibC.describe(LibC.errno()));
            }
            wakeFd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
            if (wakeFd < 0) {
                throw new IOException("cannot create eventfd: " + LibC.describe(LibC.errno()));
            }
            if (LibC.ioctl(ctlFd, IfReq.SIOCSIFMTU, new IfReq(actual).intValue(mtu).mem) != 0) {
                throw new IOException("cannot set MTU " + mtu + " on " + actual + ": " + LibC.describe(LibC.errno()));
            }
            IfReq flags = new IfReq(actual);
            boolean up = LibC.ioctl(ctlFd, IfReq.SIOCGIFFLAGS, flags.mem) == 0 && (flags.flags() & IfReq.IFF_UP) != 0;
            LinuxTunDevice device = new LinuxTunDevice(tunFd, ctlFd, wakeFd, actual, mtu, up, offloads);
            ok = true;
            return device;
        } finally {
            if (!ok) {
                for (int fd : new int[]{tunFd, ctlFd, wakeFd}) {
                    if (fd >= 0) {
                        LibC.close(fd);
                    }
                }
            }
        }
    }

    /**
     * Two {@link LinuxTunDevice}s over a non-blocking {@code AF_UNIX SOCK_SEQPACKET} socket pair instead of
     * {@code /dev/net/tun}: one read or write is one packet, as on TUN, and the same read/poll/write code runs.
     * There is no interface (the MTU and flag ioctls fail quietly and report the last known values). Both ends
     * speak the offload framing of a TUN opened with offloads (virtio header, TCP segments coalesced on write and
     * split on read), so a warm-up over the pair runs the same code as the real device.
     */
    public static TunDevice[] openLoopbackPair(int mtu) throws IOException {
        checkMtu(mtu);
        Throwable failure = LibC.loadFailure().orElse(null);
        if (failure != null) {
            throw new IOException("libc not available: " + failure);
        }
        int[] pair = {-1, -1};
        int wakeA = -1;
        int wakeB = -1;
        boolean ok = false;
        try {
            if (LibC.socketpair(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0,
                    pair) != 0) {
                throw new IOException("cannot create socket pair: " + LibC.describe(LibC.errno()));
            }
            wakeA = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
            wakeB = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
            if (wakeA < 0 || wakeB < 0) {
                throw new IOException("cannot create eventfd: " + LibC.describe(LibC.errno()));
            }
            TunDevice[] devices = {
                    new LinuxTunDevice(pair[0], -1, wakeA, "loopback-a", mtu, true, TSO_OFFLOADS),
                    new LinuxTunDevice(pair[1], -1, wakeB, "loopback-b", mtu, true, TSO_OFFLOADS)};
            ok = true;
            return devices;
        } finally {
            if (!ok) {
                for (int fd : new int[]{pair[0], pair[1], wakeA, wakeB}) {
                    if (fd >= 0) {
                        LibC.close(fd);
                    }
                }
            }
        }
    }

    /**
     * Asks for checksum, TSO and USO offloads, then for checksum and TSO alone, then for none; returns what the
     * kernel accepted. The virtio header stays on in every case (with no offload it is all zeros on reads).
     */
    private static int negotiateOffloads(int tunFd) {
        for (int wanted : new int[]{WANTED_OFFLOADS, TSO_OFFLOADS}) {
            if (LibC.ioctl(tunFd, VirtioNetHdr.TUNSETOFFLOAD, (long) wanted) == 0) {
                return wanted;
            }
        }
        LibC.ioctl(tunFd, VirtioNetHdr.TUNSETOFFLOAD, 0L);
        return 0;
    }

    static void checkMtu(int mtu) {
        if (mtu < TunDevice.MIN_MTU || mtu > TunDevice.MAX_MTU) {
            throw new IllegalArgumentException(
                    "MTU out of range [" + TunDevice.MIN_MTU + ", " + TunDevice.MAX_MTU + "]: " + mtu);
        }
    }

    @Override
    public String toString() {
        return "LinuxTunDriver";
    }
}
