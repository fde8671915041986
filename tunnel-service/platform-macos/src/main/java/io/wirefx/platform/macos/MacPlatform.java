package io.wirefx.platform.macos;

import io.wirefx.platform.CommandRunner;
import io.wirefx.platform.LocalEndpoints;
import io.wirefx.platform.NetworkSetup;
import io.wirefx.platform.Platform;
import io.wirefx.platform.PlatformPaths;
import io.wirefx.platform.ProcessCommandRunner;
import io.wirefx.platform.ServiceHost;
import io.wirefx.platform.unix.UnixSocketEndpoints;
import io.wirefx.tun.TunDriver;
import io.wirefx.tun.macos.UtunDriver;

import java.util.Locale;
import java.util.Optional;

/**
 * macOS: utun through the kernel control socket, wg-quick darwin.bash's network semantics through
 * {@code ifconfig}/{@code route}/{@code networksetup}, Unix sockets with peer credentials and Open Directory groups,
 * launchd.
 */
public final class MacPlatform implements Platform {

    private final CommandRunner runner;
    private final UtunDriver driver = new UtunDriver();

    /** For ServiceLoader: host tools run as child processes. */
    public MacPlatform() {
        this(new ProcessCommandRunner());
    }

    public MacPlatform(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public String id() {
        return "macos";
    }

    @Override
    public Optional<String> unavailabilityCause() {
        String os = System.getProperty("os.name", "");
        String l = os.toLowerCase(Locale.ROOT);
        if (!l.startsWith("mac") && !l.startsWith("darwin")) {
            return Optional.of("this is " + os + ", not macOS");
        }
        return driver.unavailabilityCause();
    }

    /** Creating a utun needs root ({@code CTL_FLAG_PRIVILEGED}), and so do routes and DNS settings. */
    @Override
    public Optional<String> privilegeProblem() {
        try {
            long uid = new com.sun.security.auth.module.UnixSystem().getUid();
            return uid == 0 ? Optional.empty() : Optional.of("must be run as root (sudo)");
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("cannot check privileges: " + e);
        }
    }

    @Override
    public PlatformPaths paths() {
        return MacPaths.paths();
    }

    @Override
    public TunDriver tunDriver() {
        return driver;
    }

    @Override
    public NetworkSetup network() {
        return new MacNetworkSetup(runner);
    }

    @Override
    public LocalEndpoints endpoints() {
        return new UnixSocketEndpoints(new MacAccountDatabase(runner), UnixSocketEndpoints.RemovalWatch.POLL);
    }

    @Override
    public ServiceHost serviceHost() {
        return new LaunchdServiceHost();
    }

    /** Always {@code utun}: the kernel picks the unit; the tunnel name is not an interface name on macOS. */
    @Override
    public String interfaceNameFor(String tunnelName) {
        return UtunDriver.ANY_UNIT;
    }
}
