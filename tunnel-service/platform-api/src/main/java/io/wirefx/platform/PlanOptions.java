package io.wirefx.platform;

import java.util.Objects;

/**
 * Settings of a {@link NetworkSetup#plan dry-run plan}.
 *
 * @param tunnelName    the tunnel's name (from the file name)
 * @param interfaceName the interface the plan assumes (Linux: the tunnel's interface name; macOS: {@code utun9}
 *                      unless told; Windows: the adapter name)
 * @param runner        reads the system's state (its read-only commands run for real); mutations are printed
 * @param policy        the kill switch setting the plan assumes
 */
public record PlanOptions(String tunnelName, String interfaceName, CommandRunner runner, TrafficPolicy policy) {
    public PlanOptions {
        Objects.requireNonNull(tunnelName, "tunnelName");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(policy, "policy");
    }

    /** Options with {@link TrafficPolicy#NONE}. */
    public PlanOptions(String tunnelName, String interfaceName, CommandRunner runner) {
        this(tunnelName, interfaceName, runner, TrafficPolicy.NONE);
    }
}
