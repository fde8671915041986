package io.wirefx.platform.windows;

import io.wirefx.platform.ConfigProtection;
import io.wirefx.platform.LocalEndpoints;
import io.wirefx.platform.NetworkSetup;
import io.wirefx.platform.Platform;
import io.wirefx.platform.PlatformPaths;
import io.wirefx.platform.ServiceHost;
import io.wirefx.tun.TunDriver;
import io.wirefx.tun.windows.WintunDriver;

import java.util.Locale;
import java.util.Optional;

/**
 * Windows: Wintun, IP Helper and WFP, the SCM, named pipes, DPAPI. Everything native loads on first use, so the
 * platform can be listed and its plan printed on any OS ({@code wirefx run --dry-run --platform windows}).
 */
public final class WindowsPlatform implements Platform {

    private volatile WintunDriver driver;

    @Override
    public String id() {
        return "windows";
    }

    static boolean onWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    @Override
    public Optional<String> unavailabilityCause() {
        return onWindows() ? Optional.empty() : Optional.of("this is " + System.getProperty("os.name")
                + ", not Windows");
    }

    @Override
    public Optional<String> privilegeProblem() {
        if (!onWindows()) {
            return unavailabilityCause();
        }
        return com.sun.jna.platform.win32.Advapi32Util.isCurrentProcessElevated() ? Optional.empty()
                : Optional.of("must run as an elevated Administrator or as the WireFX service");
    }

    /**
     * The data directories under {@code %ProgramData%\WireFX} and the IPC pipe. No UAPI directory: UAPI on Windows
     * is a pipe per interface ({@link WindowsPaths#uapiPipe}, served by {@link NamedPipeEndpoints}), not a socket in a
     * directory, so the directory-based UAPI server stays off here.
     */
    @Override
    public PlatformPaths paths() {
        WindowsPaths p = WindowsPaths.fromEnvironment(System.getenv());
        return new PlatformPaths(p.tunnels(), p.state(), WindowsPaths.IPC_PIPE, null, p.logs());
    }

    @Override
    public TunDriver tunDriver() {
        WintunDriver d = driver;
        if (d == null) {
            synchronized (this) {
                if (driver == null) {
                    driver = new WintunDriver();
                }
                d = driver;
            }
        }
        return d;
    }

    @Override
    public NetworkSetup network() {
        String exe = ProcessHandle.current().info().command().orElse(WindowsPaths.SERVICE_EXECUTABLE_PLACEHOLDER);
        return new WindowsNetworkSetup(IpHelperNetworkApi::new, FwpmLibrary::new,
                new WindowsNetworkSetup.Options(exe),
                onWindows() ? Optional.of(new IpHelperNetworkApi()) : Optional.empty());
    }

    /** Named pipes with token-based roles ({@link NamedPipeEndpoints}); the pipe library loads on first listen. */
    @Override
    public LocalEndpoints endpoints() {
        return new LocalEndpoints() {
            @Override
            public io.wirefx.platform.LocalServer listen(String address, io.wirefx.platform.EndpointAccess access)
                    throws java.io.IOException {
                return new NamedPipeEndpoints(new Win32Pipes()).listen(address, access);
            }

            @Override
            public String uapiAddress(java.nio.file.Path uapiDir, String interfaceName) {
                return NamedPipeEndpoints.uapiPipe(interfaceName);
            }
        };
    }

    /** The Service Control Manager ({@link ScmServiceHost}); run from a console, the service runs directly. */
    @Override
    public ServiceHost serviceHost() {
        return ScmServiceHost.forWireFx();
    }

    /** Configurations sealed with DPAPI in LocalSystem's scope ({@link DpapiConfigProtection}, {@link DpapiProtector}). */
    @Override
    public ConfigProtection configProtection() {
        return new DpapiConfigProtection(new DpapiProtector());
    }

    /** The adapter is named after the tunnel (tunnel names are at most 32 characters; Wintun allows 127). */
    @Override
    public String interfaceNameFor(String tunnelName) {
        return tunnelName;
    }
}
