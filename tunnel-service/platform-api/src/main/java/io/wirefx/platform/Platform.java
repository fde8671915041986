package io.wirefx.platform;

import io.wirefx.tun.TunDriver;

import java.util.Optional;

/**
 * Everything the portable service needs from one operating system. Each OS module provides one implementation,
 * registered in {@code META-INF/services/io.wirefx.platform.Platform}; {@link Platforms} finds them and picks the one
 * that {@link #unavailabilityCause() is available} on this machine.
 *
 * <p>Implementations are cheap to construct: nothing native is loaded and nothing is changed on the system until a
 * method that needs it is called, so every platform can be listed (and asked for its {@link NetworkSetup#plan plan})
 * on any OS.
 */
public interface Platform {

    /** The platform's identifier: {@code linux}, {@code macos} or {@code windows}. */
    String id();

    /** Why this platform cannot run tunnels on this machine (another OS, ...), or empty if it can. */
    Optional<String> unavailabilityCause();

    /** Why this process may not configure the network (not root, no CAP_NET_ADMIN, not elevated), or empty. */
    Optional<String> privilegeProblem();

    /** Where the service keeps its files and serves its endpoints. */
    PlatformPaths paths();

    /** The TUN driver of this OS. */
    TunDriver tunDriver();

    /** The OS network configuration (addresses, routes, DNS, full tunnel) of tunnels. */
    NetworkSetup network();

    /** The local endpoints of the IPC and of the UAPI, and how callers are identified. */
    LocalEndpoints endpoints();

    /** How the service tells its supervisor (systemd, launchd, the SCM) that it is ready or stopping. */
    ServiceHost serviceHost();

    /**
     * How the service's store protects configurations at rest: {@link ConfigProtection#NONE} where file permissions
     * are the protection (Linux, macOS); Windows seals them with DPAPI.
     */
    default ConfigProtection configProtection() {
        return ConfigProtection.NONE;
    }

    /**
     * The interface name to ask the driver for, for a tunnel called {@code tunnelName} (already valid by
     * {@link io.wirefx.core.config.TunnelNames}): Linux uses the tunnel name where it fits, macOS a {@code utun} template (the kernel picks
     * the number), Windows the tunnel name as the adapter name. The name the driver really opened is what counts.
     */
    String interfaceNameFor(String tunnelName);

    /**
     * Starts following the networks the machine is on (for the on-demand rules). Never fails: where this OS or
     * machine has no supported network manager, the monitor's snapshot is {@link NetworkMonitor.Snapshot#unavailable
     * unavailable} with the reason. The caller closes it.
     */
    default NetworkMonitor networkMonitor() {
        return NetworkMonitor.unavailable("on-demand rules are not supported on " + id() + " yet");
    }
}
