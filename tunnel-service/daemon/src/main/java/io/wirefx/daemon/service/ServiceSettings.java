package io.wirefx.daemon.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The service's own settings (never taken from a tunnel configuration).
 *
 * @param runtimeDir    where the per-interface network journals and locks live (default {@code /run/wirefx})
 * @param allowScripts  run PreUp/PostUp/PreDown/PostDown commands of configurations; off by default, because the
 *                      service runs them as root and an operator may start any tunnel
 * @param statsInterval period of the stats events while tunnels run
 * @param stopTimeout   how long {@link TunnelManager#close()} waits for all tunnels to go down
 */
public record ServiceSettings(Path runtimeDir, boolean allowScripts, Duration statsInterval, Duration stopTimeout) {
    public static final Path DEFAULT_RUNTIME_DIR = Path.of("/run/wirefx");

    public ServiceSettings {
        Objects.requireNonNull(runtimeDir, "runtimeDir");
        Objects.requireNonNull(statsInterval, "statsInterval");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        if (statsInterval.isNegative() || statsInterval.isZero()) {
            throw new IllegalArgumentException("statsInterval must be positive");
        }
    }

    /** Production defaults: {@code /run/wirefx}, scripts off, stats every second, 60 s to stop. */
    public static ServiceSettings defaults() {
        return new ServiceSettings(DEFAULT_RUNTIME_DIR, false, Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    public ServiceSettings withRuntimeDir(Path dir) {
        return new ServiceSettings(dir, allowScripts, statsInterval, stopTimeout);
    }

    public ServiceSettings withAllowScripts(boolean value) {
        return new ServiceSettings(runtimeDir, value, statsInterval, stopTimeout);
    }
}
