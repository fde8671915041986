package io.wirefx.platform.macos;

import io.wirefx.platform.PlatformPaths;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where WireFX keeps things on macOS, defined once: the store in {@code /Library/Application Support/WireFX}
 * (root only, 0700 directories and 0600 files), the runtime directory {@code /var/run/wirefx} (network journals, the
 * control socket), the UAPI sockets of wireguard-go's convention in {@code /var/run/wireguard} ({@code utunN.sock},
 * so Homebrew's {@code wg} finds them; {@code wirefx-userspace utun} also writes the {@code WG_TUN_NAME_FILE} that
 * wg-quick reads), and the service log that the launchd job writes.
 */
public final class MacPaths {

    public static final Path CONFIG_DIR = Path.of("/Library/Application Support/WireFX");
    public static final Path TUNNELS_DIR = CONFIG_DIR.resolve("tunnels");
    public static final Path RUNTIME_DIR = Path.of("/var/run/wirefx");
    public static final Path IPC_SOCKET = io.wirefx.ipc.Protocol.DEFAULT_SOCKET_MACOS; // in RUNTIME_DIR
    public static final Path UAPI_DIR = Path.of("/var/run/wireguard");
    public static final Path LOG_DIR = Path.of("/Library/Logs/WireFX");
    public static final Path LOG_FILE = LOG_DIR.resolve("wirefx-service.log");

    /** {@code sun_path} is 104 bytes on macOS (Linux 108), NUL included. */
    public static final int MAX_SOCKET_PATH = 103;

    private static final Pattern UTUN = Pattern.compile("utun[0-9]{1,9}");

    private MacPaths() {
    }

    /** The platform's paths for the portable service. */
    public static PlatformPaths paths() {
        return new PlatformPaths(TUNNELS_DIR, RUNTIME_DIR, IPC_SOCKET.toString(), UAPI_DIR, LOG_DIR);
    }

    /** {@code /var/run/wireguard/utunN.sock}, where {@code wg show utunN} looks. */
    public static Path uapiSocket(String iface) {
        if (!UTUN.matcher(iface).matches()) {
            throw new IllegalArgumentException("not a utun interface name: " + iface);
        }
        return UAPI_DIR.resolve(iface + ".sock");
    }

    /** Whether a Unix socket can be bound at {@code path} on macOS. */
    public static boolean fitsSunPath(Path path) {
        return path.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH;
    }
}
