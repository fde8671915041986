package io.wirefx.platform;

import java.nio.file.Path;

/**
 * The places of one platform, defined once.
 *
 * @param configDir  stored tunnel configurations (root only; Linux {@code /etc/wirefx/tunnels})
 * @param runtimeDir network journals and locks, gone at reboot where the OS allows (Linux {@code /run/wirefx})
 * @param ipcAddress the service's control endpoint: a Unix socket path, or a named pipe on Windows
 * @param uapiDir    where a tunnel serves its wg(8) endpoint (Linux and macOS {@code /var/run/wireguard})
 * @param logDir     where the service's log goes when no supervisor collects it (may equal runtimeDir)
 */
public record PlatformPaths(Path configDir, Path runtimeDir, String ipcAddress, Path uapiDir, Path logDir) {
}
