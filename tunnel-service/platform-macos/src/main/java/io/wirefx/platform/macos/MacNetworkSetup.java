package io.wirefx.platform.macos;

import io.wirefx.core.config.Config;
import io.wirefx.core.config.InetEndpoint;
import io.wirefx.core.config.Peer;
import io.wirefx.daemon.netconfig.CommandRunner;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The macOS network configurator: per-tunnel {@link MacTunnelNetwork}s, the clean-up of journals left by killed
 * runs, and the dry-run plan ({@code wirefx run --dry-run --platform macos}), all through one {@link CommandRunner}
 * whose tools are found on the search path.
 */
public final class MacNetworkSetup {

    /** The interface a plan assumes when none is given. */
    public static final String DEFAULT_PLAN_INTERFACE = "utun9";

    private final CommandRunner runner;
    private final MacTunnelNetwork.MonitorFactory monitors;

    public MacNetworkSetup(CommandRunner runner) {
        this(runner, MacTunnelNetwork.ROUTE_MONITOR);
    }

    MacNetworkSetup(CommandRunner runner, MacTunnelNetwork.MonitorFactory monitors) {
        this.runner = runner;
        this.monitors = monitors;
    }

    /** One tunnel's network state, journaled in {@code stateDir}. */
    MacTunnelNetwork forTunnel(Config config, String tunnelName, Path stateDir, Consumer<String> log) {
        return new MacTunnelNetwork(config, tunnelName, stateDir, runner, log, monitors);
    }

    /**
     * Undoes every journal in {@code stateDir} (runs killed before their {@code down}); needs no config.
     *
     * @return the problems met
     */
    public List<String> cleanUpStale(Path stateDir, Consumer<String> log) throws IOException {
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(stateDir)) {
            return problems;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(stateDir, "*.journal")) {
            for (Path f : ds) {
                MacJournal j;
                try {
                    j = MacJournal.load(f);
                } catch (IOException e) {
                    problems.add(e.getMessage());
                    continue;
                }
                log.accept("undoing the network changes of an earlier run of " + j.tunnel() + " (" + j.iface() + ")");
                problems.addAll(MacTunnelNetwork.undo(j, runner, log));
            }
        }
        return problems;
    }

    /**
     * Prints, one per line, the commands bringing {@code config} up on {@code utun} would run, in the order they
     * would run, reading the system's state with the same tools; changes nothing. Endpoint host names are resolved
     * (as {@code wg} does when the config is set).
     *
     * @throws IllegalArgumentException if the config asks for what macOS cannot do (a {@code Table} other than
     *                                  {@code auto}, {@code main}, {@code off})
     */
    public void plan(Config config, String tunnelName, String utun, Consumer<String> out) throws IOException {
        DarwinNetwork network = new DarwinNetwork(config, tunnelName, new DarwinState(runner), new DarwinHost() {
            @Override
            public boolean change(List<String> argv, MacJournal.Entry undo) {
                out.accept(ShellWords.join(argv));
                return true;
            }

            @Override
            public void forget(MacJournal.Entry entry) {
            }

            @Override
            public void hook(String command) {
                out.accept(ShellWords.join(List.of("bash", "-c", command)));
            }
        });
        List<InetAddress> endpoints = endpointAddresses(config);
        network.up(utun, () -> endpoints);
        network.postUp();
    }

    /** The peers' endpoint addresses, host names resolved (an unresolvable one is left out). */
    static List<InetAddress> endpointAddresses(Config config) {
        List<InetAddress> out = new ArrayList<>();
        for (Peer p : config.peers()) {
            Optional<InetEndpoint> e = p.endpoint();
            if (e.isEmpty()) {
                continue;
            }
            Optional<InetAddress> literal = e.get().literalAddress();
            if (literal.isPresent()) {
                out.add(literal.get());
                continue;
            }
            try {
                out.add(InetAddress.getByName(e.get().host()));
            } catch (UnknownHostException ex) {
                // no address, no route: wg would refuse the config anyway
            }
        }
        return out;
    }
}
