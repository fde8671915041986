package io.wirefx.platform.linux;

import io.wirefx.platform.PlatformPaths;

import java.nio.file.Path;

/** The Linux locations (FHS): configurations under /etc, runtime state under /run. */
final class LinuxPaths {
    static final Path CONFIG_DIR = Path.of("/etc/wirefx/tunnels");
    static final Path RUNTIME_DIR = Path.of("/run/wirefx");
    static final String IPC_SOCKET = "/run/wirefx/wirefx.sock";
    static final Path UAPI_DIR = Path.of("/var/run/wireguard");

    private LinuxPaths() {
    }

    static PlatformPaths paths() {
        return new PlatformPaths(CONFIG_DIR, RUNTIME_DIR, IPC_SOCKET, UAPI_DIR, RUNTIME_DIR);
    }
}
