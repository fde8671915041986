package io.wirefx.daemon.run;

import io.wirefx.core.config.Config;

import java.io.IOException;
import java.util.Optional;

/** Creates the interface and starts the tunnel on it with a configuration. */
public interface TunnelFactory {

    /** Why tunnels cannot be created here (no TUN driver, ...), or empty. */
    Optional<String> unavailabilityCause();

    /**
     * Creates interface {@code iface}, applies {@code config} to a new engine on it and starts it.
     *
     * @throws IOException if any of it fails (nothing is left behind)
     */
    RunningTunnel start(String iface, Config config) throws IOException;
}
