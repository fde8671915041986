package io.wirefx.tun.windows;

import com.sun.jna.Pointer;
import io.wirefx.tun.TunDevice;
import io.wirefx.tun.TunDriver;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Opens Wintun adapters. One adapter per tunnel, named after it, with a GUID derived from the name
 * ({@link Guid#forTunnel}); one session per adapter with a ring of {@link #RING_CAPACITY} bytes (what wireguard-go
 * uses). Creating an adapter needs Administrator rights (the Windows service runs as LocalSystem).
 *
 * <p>The native side comes from a supplier so the driver's logic is testable: the default verifies the pinned
 * {@code wintun.dll} in the installation directory ({@link WintunPackage}) and binds it ({@link WintunLibrary}); the
 * MTU goes through IP Helper ({@link IpInterfaceMtu}); Wintun's own log goes to {@link WintunLog#toSystemLogger()}.
 */
public final class WintunDriver implements TunDriver {

    /** Session ring capacity: 8 MiB (a power of two between 128 KiB and 64 MiB). */
    public static final int RING_CAPACITY = 0x800000;
    /** The tunnel type Windows shows for our adapters. */
    public static final String TUNNEL_TYPE = "WireFX";
    /** Adapter name used when none is given. */
    public static final String DEFAULT_NAME = "WireFX";
    /** Longest adapter name Wintun accepts (MAX_ADAPTER_NAME 128 including the NUL). */
    public static final int MAX_NAME = 127;

    /** The native calls and the MTU control a driver uses. */
    public record Natives(WintunApi api, InterfaceMtu mtu) {
    }

    private final Supplier<Natives> loader;
    private volatile Natives natives;
    private volatile Optional<String> unavailability;

    /** The real driver: pinned {@code wintun.dll} from {@link WintunPackage#installDirectory()}. */
    public WintunDriver() {
        this(WintunDriver::loadInstalled);
    }

    /** A driver over the given native side (loaded on first use; a throwing loader makes it unavailable). */
    public WintunDriver(Supplier<Natives> loader) {
        this.loader = loader;
    }

    private static Natives loadInstalled() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("windows")) {
            throw new IllegalStateException("not Windows (os.name=" + os + ")");
        }
        try {
            Path dll = WintunPackage.verify(WintunPackage.installDirectory(), WintunPackage.PINNED,
                    WintunPackage.archOf(System.getProperty("os.arch", "")));
            WintunLibrary api = WintunLibrary.load(dll);
            WintunLog.install(api, WintunLog.toSystemLogger());
            return new Natives(api, new IpInterfaceMtu());
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public String id() {
        return "wintun";
    }

    @Override
    public synchronized Optional<String> unavailabilityCause() {
        if (unavailability == null) {
            try {
                natives = loader.get();
                unavailability = Optional.empty();
            } catch (RuntimeException | LinkageError e) {
                unavailability = Optional.of(String.valueOf(e.getMessage()));
            }
        }
        return unavailability;
    }

    /** The bound native side, for callers that need Wintun beyond devices (the logger). */
    public WintunApi api() throws IOException {
        Optional<String> cause = unavailabilityCause();
        if (cause.isPresent()) {
            throw new IOException("Wintun driver unavailable: " + cause.get());
        }
        return natives.api();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Creates the adapter with the tunnel's GUID; if that fails (an adapter of this name or GUID survived a
     * crash), opens the existing adapter of that name instead. Then starts the session and sets the MTU.
     */
    @Override
    public WintunDevice open(String nameOrTemplate, int mtu) throws IOException {
        String name = nameOrTemplate == null || nameOrTemplate.isEmpty() ? DEFAULT_NAME : nameOrTemplate;
        validateName(name);
        checkMtu(mtu);
        WintunApi api = api();
        InterfaceMtu mtuControl = natives.mtu();
        Guid guid = Guid.forTunnel(name);
        Pointer adapter = api.createAdapter(name, TUNNEL_TYPE, guid);
        if (adapter == null) {
            int createError = api.lastError();
            adapter = api.openAdapter(name);
            if (adapter == null) {
                throw new IOException("WintunCreateAdapter " + name + " {" + guid + "}: error " + createError
                        + "; WintunOpenAdapter: error " + api.lastError());
            }
        }
        Pointer session = null;
        Pointer quit = null;
        boolean ok = false;
        try {
            long luid = api.adapterLuid(adapter);
            session = api.startSession(adapter, RING_CAPACITY);
            if (session == null) {
                throw new IOException("WintunStartSession " + name + ": error " + api.lastError()
                        + " (another process may hold its session)");
            }
            quit = api.createEvent(true);
            if (quit == null) {
                throw new IOException("CreateEvent: error " + api.lastError());
            }
            mtuControl.set(luid, mtu);
            WintunDevice device = new WintunDevice(api, adapter, session, quit, name, luid, mtu, mtuControl);
            ok = true;
            return device;
        } finally {
            if (!ok) {
                if (quit != null) {
                    api.closeHandle(quit);
                }
                if (session != null) {
                    api.endSession(session);
                }
                api.closeAdapter(adapter);
            }
        }
    }

    /** Adapter names: 1 to {@link #MAX_NAME} UTF-16 units, no control characters. */
    static void validateName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw new IllegalArgumentException("adapter name must have 1 to " + MAX_NAME + " characters: " + name);
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("adapter name has a control character: " + name);
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
        return "WintunDriver";
    }
}
