package io.wirefx.tun;

import java.io.IOException;
import java.util.Optional;

/**
 * Opens TUN devices on one platform. Implementations are discoverable with {@link java.util.ServiceLoader}; pick the
 * first that {@link #isAvailable() is available}.
 */
public interface TunDriver {

    /** A short identifier for logs, e.g. {@code "linux-tun"}. */
    String id();

    /** True if {@link #open} can work here (right OS, native access, device node usable). Cheap after the first call. */
    default boolean isAvailable() {
        return unavailabilityCause().isEmpty();
    }

    /** Why the driver is not available, or empty if it is. */
    Optional<String> unavailabilityCause();

    /**
     * Creates and opens a TUN interface. The interface is not brought up and gets no addresses; that is network
     * configuration, done separately.
     *
     * @param nameOrTemplate requested name, or a platform template ({@code wg%d} on Linux, {@code utun} on macOS);
     *                       {@code null} or empty lets the platform choose
     * @param mtu            initial MTU, in [{@link TunDevice#MIN_MTU}, {@link TunDevice#MAX_MTU}]
     * @throws IllegalArgumentException if the name is not valid for the platform or the MTU is out of range
     * @throws IOException              if the driver is unavailable or the OS refuses (e.g. no permission, name in
     *                                  use)
     */
    TunDevice open(String nameOrTemplate, int mtu) throws IOException;
}
