package io.wirefx.platform;

import io.wirefx.core.config.Config;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * One OS's network configuration of tunnels, with wg-quick's semantics on that OS: addresses, MTU, routes for the
 * allowed IPs, a full tunnel without routing loops, DNS, hooks. Every change is journaled before it is made, so that
 * what a killed process left behind is undone by {@link #cleanUpStale} or by the next {@link TunnelNetwork#prepare()}
 * of the same tunnel.
 */
public interface NetworkSetup {

    /** The configurator of one tunnel; nothing is changed until {@link TunnelNetwork#prepare()}. */
    TunnelNetwork forTunnel(TunnelNetworkSpec spec);

    /**
     * Undoes what the journals in {@code stateDir} list (tunnels of a process that was killed), without needing their
     * configurations. Called by the service before it starts any tunnel.
     *
     * @return one line per journal: what was cleaned up, or why it could not be
     */
    List<String> cleanUpStale(Path stateDir, Consumer<String> log);

    /**
     * Prints, one per line, the commands (or system calls) that bringing {@code config} up would make on this
     * platform, reading the system's current state through the same means the real configuration reads it, and
     * changing nothing. On the platform's own OS the plan is what {@code wirefx run} executes.
     *
     * @throws NetconfigException PRECONDITION if the plan cannot be made (a tool to read the state is missing, ...)
     */
    void plan(Config config, PlanOptions options, Consumer<String> out) throws NetconfigException;
}
