package io.wirefx.tun.macos;

import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import io.wirefx.tun.TunDevice;
import io.wirefx.tun.TunDriver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens macOS {@code utun} interfaces (reference §1.3; XNU {@code kern_control.c}, {@code if_utun.c}): a
 * {@code socket(PF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL)}, {@code CTLIOCGINFO} for
 * {@value #UTUN_CONTROL_NAME}, {@code connect} with a {@link SockaddrCtl} whose unit is 0 (the kernel takes the
 * lowest free one) or N+1 for a requested {@code utunN}, and the name the kernel gave from
 * {@code getsockopt(UTUN_OPT_IFNAME)}. Connecting needs root. Closing the socket destroys the interface.
 */
public final class UtunDriver implements TunDriver {

    /** The kernel control that creates utun interfaces. */
    public static final String UTUN_CONTROL_NAME = "com.apple.net.utun_control";

    /** Name "template": any free utun unit. */
    public static final String ANY_UNIT = "utun";

    static final int PF_SYSTEM = 32;
    static final int SOCK_DGRAM = 2;
    static final int SYSPROTO_CONTROL = 2;
    static final int UTUN_OPT_IFNAME = 2;
    /** {@code _IOWR('N', 3, struct ctl_info)}: 0xC0000000 | (100 << 16) | ('N' << 8) | 3. */
    static final long CTLIOCGINFO = 0xC0644E03L;
    private static final int EPERM = 1;
    private static final int EBUSY = 16;

    private static final Pattern NAME = Pattern.compile("utun(0|[1-9][0-9]{0,8})?");

    private volatile Optional<String> unavailability;

    /** Creates the driver (cheap; availability is probed on first use). */
    public UtunDriver() {
    }

    @Override
    public String id() {
        return "macos-utun";
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
        if (PosixConstants.host().orElse(null) != PosixConstants.DARWIN) {
            return Optional.of("not macOS (os.name=" + System.getProperty("os.name", "") + ")");
        }
        return Posix.loadFailure().map(t -> "native bindings unavailable: " + t);
    }

    /**
     * The {@code sc_unit} for a requested name: 0 for {@code null}, empty or {@code utun} (next free unit), N+1 for
     * {@code utunN}.
     *
     * @throws IllegalArgumentException for any other name
     */
    static int unitFor(String nameOrTemplate) {
        if (nameOrTemplate == null || nameOrTemplate.isEmpty()) {
            return 0;
        }
        Matcher m = NAME.matcher(nameOrTemplate);
        if (!m.matches()) {
            throw new IllegalArgumentException("macOS interface names are utun or utunN: " + nameOrTemplate);
        }
        if (m.group(1) == null) {
            return 0;
        }
        long n = Long.parseLong(m.group(1));
        if (n + 1 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("utun unit out of range: " + nameOrTemplate);
        }
        return (int) n + 1;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Accepts {@code utun} (or null/empty) for the next free unit, or {@code utunN}; {@link TunDevice#name()} is the
     * name the kernel gave. The interface is not brought up and has no address (that is the network configurator's
     * {@code ifconfig}).
     */
    @Override
    public UtunDevice open(String nameOrTemplate, int mtu) throws IOException {
        int unit = unitFor(nameOrTemplate);
        checkMtu(mtu);
        Optional<String> cause = unavailabilityCause();
        if (cause.isPresent()) {
            throw new IOException("macOS utun driver unavailable: " + cause.get());
        }
        PosixConstants c = PosixConstants.DARWIN;
        int fd = Posix.socket(PF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL);
        if (fd < 0) {
            throw new IOException("socket(PF_SYSTEM): " + Posix.describe(c, Posix.errno()));
        }
        int[] wake = null;
        InterfaceControl control = null;
        boolean ok = false;
        try {
            CtlInfo info = new CtlInfo(UTUN_CONTROL_NAME);
            info.write();
            if (Posix.variadic().ioctl(fd, CTLIOCGINFO, info.getPointer()) != 0) {
                throw new IOException("CTLIOCGINFO " + UTUN_CONTROL_NAME + ": " + Posix.describe(c, Posix.errno()));
            }
            info.read();
            SockaddrCtl address = new SockaddrCtl(info.ctl_id, unit);
            address.write();
            if (Posix.variadic().connect(fd, address, SockaddrCtl.SIZE) != 0) {
                int err = Posix.errno();
                String hint = err == EPERM ? " (needs root)" : err == EBUSY ? " (" + nameOrTemplate + " is in use)" : "";
                throw new IOException("connect to " + UTUN_CONTROL_NAME + " unit " + unit + ": "
                        + Posix.describe(c, err) + hint);
            }
            String name = interfaceName(c, fd);
            if (!Posix.nonBlockingCloseOnExec(c, fd)) {
                throw new IOException("fcntl on " + name + ": " + Posix.describe(c, Posix.errno()));
            }
            wake = UtunDevice.wakePipe(c);
            control = IoctlInterfaceControl.open(c, name);
            control.setMtu(mtu);
            UtunDevice device = new UtunDevice(c, fd, wake, name, mtu, control);
            ok = true;
            return device;
        } finally {
            if (!ok) {
                Posix.close(fd);
                if (wake != null) {
                    Posix.close(wake[0]);
                    Posix.close(wake[1]);
                }
                if (control != null) {
                    control.close();
                }
            }
        }
    }

    private static String interfaceName(PosixConstants c, int fd) throws IOException {
        try (Memory buf = new Memory(IfReqMtu.IFNAMSIZ)) {
            buf.clear();
            IntByReference len = new IntByReference(IfReqMtu.IFNAMSIZ);
            if (Posix.variadic().getsockopt(fd, SYSPROTO_CONTROL, UTUN_OPT_IFNAME, buf, len) != 0) {
                throw new IOException("getsockopt(UTUN_OPT_IFNAME): " + Posix.describe(c, Posix.errno()));
            }
            byte[] b = buf.getByteArray(0, Math.min(len.getValue(), IfReqMtu.IFNAMSIZ));
            int n = 0;
            while (n < b.length && b[n] != 0) {
                n++;
            }
            return new String(b, 0, n, StandardCharsets.US_ASCII);
        }
    }

    static void checkMtu(int mtu) {
        if (mtu < TunDevice.MIN_MTU || mtu > TunDevice.MAX_MTU) {
            throw new IllegalArgumentException(
                    "MTU out of range [" + TunDevice.MIN_MTU + ", " + TunDevice.MAX_MTU + "]: " + mtu);
        }
    }

    @Override
    public String toString() {
        return "UtunDriver";
    }
}
