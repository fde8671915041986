package io.wirefx.platform.linux;

import io.wirefx.platform.TrafficPolicy;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Settings of {@link LinuxNetworkConfigurator}.
 *
 * @param stateDir           where {@code IF.state} (the journal) and {@code IF.lock} live; default
 *                           {@value #DEFAULT_STATE_DIR}
 * @param resolvconfOrder    resolvconf's interface-order file, read for the interface name prefix
 *                           ({@code /etc/resolvconf/interface-order})
 * @param configFile         the configuration file, rewritten on down when SaveConfig is true; empty: never saved
 * @param pid                the process id written into the journal
 * @param log                receives one line per host command ({@code [#] ip ...}) and warnings
 * @param policy             the kill switch setting ({@link LinuxKillSwitch}, full tunnels only)
 */
public record NetconfigOptions(Path stateDir, Path resolvconfOrder, Optional<Path> configFile, long pid,
                               Consumer<String> log, TrafficPolicy policy) {
    public static final String DEFAULT_STATE_DIR = "/run/wirefx";
    public static final String DEFAULT_RESOLVCONF_ORDER = "/etc/resolvconf/interface-order";

    public NetconfigOptions {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(resolvconfOrder, "resolvconfOrder");
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(policy, "policy");
    }

    /** Options with {@link TrafficPolicy#NONE}. */
    public NetconfigOptions(Path stateDir, Path resolvconfOrder, Optional<Path> configFile, long pid,
                            Consumer<String> log) {
        this(stateDir, resolvconfOrder, configFile, pid, log, TrafficPolicy.NONE);
    }

    /** Defaults: {@value #DEFAULT_STATE_DIR}, the system resolvconf order file, no SaveConfig, log to stderr. */
    public static NetconfigOptions defaults() {
        return new NetconfigOptions(Path.of(DEFAULT_STATE_DIR), Path.of(DEFAULT_RESOLVCONF_ORDER), Optional.empty(),
                ProcessHandle.current().pid(), System.err::println);
    }

    public NetconfigOptions withStateDir(Path dir) {
        return new NetconfigOptions(dir, resolvconfOrder, configFile, pid, log, policy);
    }

    public NetconfigOptions withResolvconfOrder(Path file) {
        return new NetconfigOptions(stateDir, file, configFile, pid, log, policy);
    }

    public NetconfigOptions withConfigFile(Path file) {
        return new NetconfigOptions(stateDir, resolvconfOrder, Optional.of(file), pid, log, policy);
    }

    public NetconfigOptions withLog(Consumer<String> sink) {
        return new NetconfigOptions(stateDir, resolvconfOrder, configFile, pid, sink, policy);
    }

    public NetconfigOptions withPid(long value) {
        return new NetconfigOptions(stateDir, resolvconfOrder, configFile, value, log, policy);
    }

    public NetconfigOptions withPolicy(TrafficPolicy value) {
        return new NetconfigOptions(stateDir, resolvconfOrder, configFile, pid, log, value);
    }
}
