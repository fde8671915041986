package io.wirefx.platform.macos;

import io.wirefx.core.config.Config;
import io.wirefx.daemon.netconfig.CommandRunner;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One tunnel's network state on macOS, for real: {@link DarwinNetwork}'s changes run through a {@link CommandRunner}
 * and each is journaled before it runs ({@code STATE_DIR/TUNNEL.journal}); a route monitor keeps endpoint routes, MTU
 * and DNS right while the tunnel is up; {@link #down()} undoes everything in reverse order, and a journal left by a
 * killed run is undone by {@link #prepare()} or {@link MacNetworkSetup#cleanUpStale}.
 *
 * <p>Thread-safe: the monitor's re-application and {@link #down()} never overlap.
 */
final class MacTunnelNetwork implements AutoCloseable {

    /** Starts the route monitor for a tunnel that is up. */
    interface MonitorFactory {
        AutoCloseable start(RouteMonitor.Target target, Consumer<String> log) throws IOException;
    }

    /** The real one: {@code route -n monitor}. */
    static final MonitorFactory ROUTE_MONITOR = RouteMonitor::start;

    private final Config config;
    private final String tunnelName;
    private final Path journalFile;
    private final CommandRunner runner;
    private final Consumer<String> log;
    private final MonitorFactory monitors;

    private MacJournal journal;
    private DarwinNetwork network;
    private AutoCloseable monitor;
    private boolean down;

    MacTunnelNetwork(Config config, String tunnelName, Path stateDir, CommandRunner runner, Consumer<String> log,
                     MonitorFactory monitors) {
        this.config = Objects.requireNonNull(config);
        this.tunnelName = Objects.requireNonNull(tunnelName);
        this.journalFile = stateDir.resolve(tunnelName + ".journal");
        this.runner = runner;
        this.log = log;
        this.monitors = monitors;
    }

    /** Undoes what a killed earlier run of this tunnel left behind. Returns the problems met (also logged). */
    synchronized List<String> prepare() throws IOException {
        if (!Files.exists(journalFile)) {
            return List.of();
        }
        log.accept("undoing the network changes of an earlier run of " + tunnelName);
        return undo(MacJournal.load(journalFile), runner, log);
    }

    /**
     * Configures {@code utun} (the interface the driver opened) for the tunnel: darwin.bash's {@code cmd_up} from
     * PreUp to PostUp, with the route monitor started before PostUp.
     *
     * @param endpoints the peers' current endpoint addresses (asked again on every network change)
     */
    synchronized void up(String utun, Supplier<List<InetAddress>> endpoints) throws IOException {
        if (journal != null) {
            throw new IllegalStateException("already up");
        }
        journal = MacJournal.create(journalFile, tunnelName, utun);
        network = new DarwinNetwork(config, tunnelName, new DarwinState(runner), new LiveHost());
        network.up(utun, endpoints);
        monitor = monitors.start(new RouteMonitor.Target() {
            @Override
            public boolean networkChanged() throws IOException {
                return MacTunnelNetwork.this.networkChanged();
            }

            @Override
            public void reapplyDns() throws IOException {
                MacTunnelNetwork.this.reapplyDns();
            }

            @Override
            public boolean hasDns() {
                return network.hasDns();
            }
        }, log);
        network.postUp();
    }

    /** One network change (the route monitor calls this); false once the tunnel is down or its interface gone. */
    synchronized boolean networkChanged() throws IOException {
        return !down && network != null && network.networkChanged();
    }

    private synchronized void reapplyDns() throws IOException {
        if (!down && network != null && network.hasDns()) {
            network.setDns();
        }
    }

    /**
     * Stops the monitor, runs PreDown, undoes every journaled change (newest first; failures are collected, not
     * thrown), deletes the journal and runs PostDown.
     *
     * @return the problems met (empty when everything was undone)
     */
    synchronized List<String> down() {
        if (down) {
            return List.of();
        }
        down = true;
        List<String> problems = new ArrayList<>();
        if (monitor != null) {
            try {
                monitor.close();
            } catch (Exception e) {
                problems.add("stopping the route monitor: " + e.getMessage());
            }
        }
        if (network != null) {
            try {
                network.preDown();
            } catch (IOException e) {
                problems.add("PreDown: " + e.getMessage());
            }
        }
        if (journal != null) {
            problems.addAll(undo(journal, runner, log));
        }
        if (network != null) {
            try {
                network.postDown();
            } catch (IOException e) {
                problems.add("PostDown: " + e.getMessage());
            }
        }
        return problems;
    }

    /** Undoes {@code journal} newest first and deletes it (kept if an undo command could not even start). */
    static List<String> undo(MacJournal journal, CommandRunner runner, Consumer<String> log) {
        List<String> problems = new ArrayList<>();
        List<MacJournal.Entry> entries = new ArrayList<>(journal.entries());
        boolean keep = false;
        for (MacJournal.Entry e : entries.reversed()) {
            for (List<String> argv : e.undo()) {
                try {
                    CommandRunner.CommandResult r = runner.run(argv);
                    if (!r.succeeded() && !(e instanceof MacJournal.Route)) {
                        // a route through the interface is gone with the interface; anything else is worth saying
                        problems.add(ShellWords.join(argv) + ": exit " + r.exitCode() + " " + r.stderr().strip());
                    }
                } catch (IOException ex) {
                    keep = true;
                    problems.add(ShellWords.join(argv) + ": " + ex.getMessage());
                }
            }
        }
        try {
            if (!keep) {
                journal.delete();
            }
        } catch (IOException ex) {
            problems.add("deleting " + journal.file() + ": " + ex.getMessage());
        }
        problems.forEach(log);
        return problems;
    }

    @Override
    public void close() {
        down();
    }

    /** Runs and journals. */
    private final class LiveHost implements DarwinHost {
        @Override
        public boolean change(List<String> argv, MacJournal.Entry undo) throws IOException {
            if (undo != null) {
                journal.record(undo);
            }
            CommandRunner.CommandResult r = runner.run(argv);
            (r.stdout() + "\n" + r.stderr()).lines().filter(l -> l.contains("Error")).forEach(log);
            if (!r.succeeded()) {
                log.accept(ShellWords.join(argv) + ": exit " + r.exitCode() + " " + r.stderr().strip());
            }
            return r.succeeded();
        }

        @Override
        public void forget(MacJournal.Entry entry) throws IOException {
            journal.forget(entry);
        }

        @Override
        public void hook(String command) throws IOException {
            CommandRunner.CommandResult r = runner.run(List.of("bash", "-c", command));
            if (!r.succeeded()) {
                throw new IOException("hook failed (exit " + r.exitCode() + "): " + command);
            }
        }
    }
}
