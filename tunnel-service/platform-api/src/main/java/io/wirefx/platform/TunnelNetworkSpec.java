package io.wirefx.platform;

import io.wirefx.core.config.Config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a {@link TunnelNetwork} configures.
 *
 * @param tunnelName    the tunnel's portable name ({@link io.wirefx.core.config.TunnelNames})
 * @param interfaceName the interface the driver is asked for ({@link Platform#interfaceNameFor}); platforms whose
 *                      kernel picks the name learn the real one from {@link TunnelControl#interfaceName()}
 * @param config        the parsed configuration (scripts already removed where they are not allowed)
 * @param stateDir      where the journal and lock of this tunnel live
 * @param configFile    the file to rewrite on down when SaveConfig is set; empty: never saved
 * @param log           one line per host change and warning
 * @param policy        the kill switch setting of this tunnel
 */
public record TunnelNetworkSpec(String tunnelName, String interfaceName, Config config, Path stateDir,
                                Optional<Path> configFile, Consumer<String> log, TrafficPolicy policy) {
    public TunnelNetworkSpec {
        Objects.requireNonNull(tunnelName, "tunnelName");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(policy, "policy");
    }

    /** A spec with {@link TrafficPolicy#NONE}. */
    public TunnelNetworkSpec(String tunnelName, String interfaceName, Config config, Path stateDir,
                             Optional<Path> configFile, Consumer<String> log) {
        this(tunnelName, interfaceName, config, stateDir, configFile, log, TrafficPolicy.NONE);
    }
}
