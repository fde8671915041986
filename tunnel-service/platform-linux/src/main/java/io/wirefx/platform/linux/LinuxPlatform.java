package io.wirefx.platform.linux;

import io.wirefx.platform.CommandRunner;
import io.wirefx.platform.LocalEndpoints;
import io.wirefx.platform.NetworkMonitor;
import io.wirefx.platform.NetworkSetup;
import io.wirefx.platform.Platform;
import io.wirefx.platform.PlatformPaths;
import io.wirefx.platform.ProcessCommandRunner;
import io.wirefx.platform.ServiceHost;
import io.wirefx.platform.unix.AccountDatabase;
import io.wirefx.platform.unix.UnixSocketEndpoints;
import io.wirefx.tun.TunDriver;
import io.wirefx.tun.linux.LinuxTunDriver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/** Linux: {@code /dev/net/tun}, iproute2 + nftables, Unix sockets with SO_PEERCRED, systemd. */
public final class LinuxPlatform implements Platform {
    /** Linux interface names have at most 15 characters (IFNAMSIZ − 1). */
    static final int MAX_INTERFACE_NAME = 15;
    private static final int CAP_NET_ADMIN = 12;

    private final CommandRunner runner;
    private volatile LinuxTunDriver driver;

    /** For ServiceLoader: host tools run as child processes. */
    public LinuxPlatform() {
        this(new ProcessCommandRunner());
    }

    public LinuxPlatform(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public String id() {
        return "linux";
    }

    @Override
    public Optional<String> unavailabilityCause() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.of("this is " + os + ", not Linux");
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> privilegeProblem() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                    return (caps & (1L << CAP_NET_ADMIN)) != 0 ? Optional.empty()
                            : Optional.of("must be run as root (needs CAP_NET_ADMIN)");
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.of("cannot check privileges: " + e.getMessage());
        }
        return Optional.of("cannot check privileges");
    }

    @Override
    public PlatformPaths paths() {
        return LinuxPaths.paths();
    }

    @Override
    public TunDriver tunDriver() {
        LinuxTunDriver d = driver;
        if (d == null) {
            synchronized (this) {
                if (driver == null) {
                    driver = new LinuxTunDriver();
                }
                d = driver;
            }
        }
        return d;
    }

    @Override
    public NetworkSetup network() {
        return new LinuxNetworkSetup(runner);
    }

    @Override
    public LocalEndpoints endpoints() {
        return new UnixSocketEndpoints(new AccountDatabase(), UnixSocketEndpoints.RemovalWatch.DIRECTORY_EVENTS);
    }

    /** NetworkManager over the system bus ({@code DBUS_SYSTEM_BUS_ADDRESS} when set); retries every 5 s. */
    @Override
    public NetworkMonitor networkMonitor() {
        return NetworkManagerMonitor.start(NetworkManagerMonitor.systemBusAddress(), java.time.Duration.ofSeconds(5));
    }

    @Override
    public ServiceHost serviceHost() {
        return new SystemdNotify(System.getenv("NOTIFY_SOCKET"));
    }

    /**
     * The tunnel name where it fits the 15 characters of a Linux interface name; else its first 10 characters, a
     * dash and 4 hex digits of its SHA-256, so that two long names that share a start still get two interfaces.
     */
    @Override
    public String interfaceNameFor(String tunnelName) {
        if (tunnelName.length() <= MAX_INTERFACE_NAME) {
            return tunnelName;
        }
        byte[] digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(tunnelName.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        return tunnelName.substring(0, 10) + "-" + HexFormat.of().formatHex(digest, 0, 2);
    }
}
