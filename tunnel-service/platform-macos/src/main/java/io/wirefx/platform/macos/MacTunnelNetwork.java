package io.wirefx.platform.macos;

import io.wirefx.core.config.Config;
import io.wirefx.platform.CommandRunner;
import io.wirefx.platform.NetconfigException;
import io.wirefx.platform.TunnelControl;
import io.wirefx.platform.TunnelNetwork;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One tunnel's network state on macOS: {@link DarwinNetwork}'s changes run through a {@link CommandRunner}
 * ({@link CommandRunner#change} for the mutating ones, so a dry run's runner prints them) and each undoable one is
 * journaled before it runs ({@code STATE_DIR/TUNNEL.journal}); a route monitor keeps endpoint routes, MTU and DNS right
 * while the tunnel is up; {@link #down()} undoes everything newest first. A journal left by a killed run is undone by
 * {@link #prepare()} or {@link MacNetworkSetup#cleanUpStale}. {@code STATE_DIR/TUNNEL.lock} keeps a second process
 * off the same tunnel.
 *
 * <p>Thread-safe: the monitor's re-application and {@link #down()} never overlap.
 */
final class MacTunnelNetwork implements TunnelNetwork {

    /** The tools darwin.bash uses; all ship with macOS. */
    static final List<String> TOOLS = List.of("ifconfig", "route", "netstat", "networksetup");

    /** Starts the route monitor for a tunnel that is up. */
    interface MonitorFactory {
        AutoCloseable start(RouteMonitor.Target target, Consumer<String> log) throws IOException;
    }

    /** The real one: {@code route -n monitor}. */
    static final MonitorFactory ROUTE_MONITOR = RouteMonitor::start;

    /** For a dry run: no monitor. */
    static final MonitorFactory NO_MONITOR = (target, log) -> () -> { };

    private final Config config;
    private final String tunnelName;
    private final Path stateDir;
    private final Path journalFile;
    private final CommandRunner runner;
    private final Consumer<String> log;
    private final MonitorFactory monitors;

    private FileChannel lockChannel;
    private FileLock lock;
    private MacJournal journal;
    private DarwinNetwork network;
    private AutoCloseable monitor;
    private boolean upDone;
    private boolean down;

    MacTunnelNetwork(Config config, String tunnelName, Path stateDir, CommandRunner runner, Consumer<String> log,
                     MonitorFactory monitors) {
        this.config = Objects.requireNonNull(config);
        this.tunnelName = Objects.requireNonNull(tunnelName);
        this.stateDir = stateDir;
        this.journalFile = stateDir.resolve(tunnelName + ".journal");
        this.runner = runner;
        this.log = log;
        this.monitors = monitors;
    }

    @Override
    public synchronized void prepare() throws NetconfigException {
        for (String tool : TOOLS) {
            if (!runner.hasProgram(tool)) {
                throw new NetconfigException(NetconfigException.Kind.PRECONDITION, tool + " not found on PATH");
            }
        }
        try {
            network = new DarwinNetwork(config, tunnelName, new DarwinState(runner), new Journaled());
        } catch (IllegalArgumentException e) {
            throw new NetconfigException(NetconfigException.Kind.PRECONDITION, e.getMessage(), e);
        }
        try {
            Files.createDirectories(stateDir);
            lockChannel = FileChannel.open(stateDir.resolve(tunnelName + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
            if (lock == null) {
                throw new NetconfigException(NetconfigException.Kind.PRECONDITION,
                        "tunnel " + tunnelName + " is run by another process");
            }
            if (Files.exists(journalFile)) {
                log.accept("undoing the network changes of an earlier run of " + tunnelName);
                undo(MacJournal.load(journalFile), runner, log);
            }
        } catch (IOException e) {
            throw new NetconfigException(NetconfigException.Kind.JOURNAL, "journal of " + tunnelName + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void interfaceOpened(String interfaceName) throws NetconfigException {
        try {
            journal = MacJournal.create(journalFile, tunnelName, interfaceName);
        } catch (IOException e) {
            throw new NetconfigException(NetconfigException.Kind.JOURNAL, "cannot write " + journalFile + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * darwin.bash's {@code cmd_up} from PreUp to PostUp on the interface the driver opened, the route monitor started
     * before PostUp. On failure, everything done so far is undone.
     */
    @Override
    public synchronized void up(TunnelControl tunnel) throws NetconfigException {
        if (network == null || journal == null) {
            throw new IllegalStateException("prepare() and interfaceOpened() first");
        }
        try {
            network.up(tunnel.interfaceName(), tunnel::endpointAddresses);
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
            upDone = true;
        } catch (IOException | RuntimeException e) {
            List<String> problems = down();
            throw new NetconfigException(NetconfigException.Kind.SETUP_FAILED, e.getMessage()
                    + (problems.isEmpty() ? "" : "; and undoing it: " + String.join("; ", problems)), e);
        }
    }

    /** One network change (the route monitor calls this); false once the tunnel is down or its interface gone. */
    synchronized boolean networkChanged() throws IOException {
        return !down && network != null && network.realInterface() != null && network.networkChanged();
    }

    private synchronized void reapplyDns() throws IOException {
        if (!down && network != null && network.hasDns()) {
            network.setDns();
        }
    }

    /**
     * Stops the monitor, runs PreDown, undoes every journaled change (newest first; failures are collected, not
     * thrown), deletes the journal and runs PostDown (the hooks only after a completed {@link #up}).
     */
    @Override
    public synchronized List<String> down() {
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
        boolean wasUp = upDone; // a failed up runs no PreDown/PostDown (as wg-quick's trap on a failed up)
        if (wasUp) {
            try {
                network.preDown();
            } catch (IOException e) {
                problems.add("PreDown: " + e.getMessage());
            }
        }
        if (journal != null) {
            problems.addAll(undo(journal, runner, log));
        }
        if (wasUp) {
            try {
                network.postDown();
            } catch (IOException e) {
                problems.add("PostDown: " + e.getMessage());
            }
        }
        return problems;
    }

    @Override
    public String journalLocation() {
        return journalFile.toString();
    }

    @Override
    public synchronized void close() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            log.accept("releasing the lock of " + tunnelName + ": " + e.getMessage());
        }
        lock = null;
        lockChannel = null;
    }

    /** Undoes {@code journal} newest first and deletes it (kept if an undo command could not even start). */
    static List<String> undo(MacJournal journal, CommandRunner runner, Consumer<String> log) {
        List<String> problems = new ArrayList<>();
        boolean keep = false;
        for (MacJournal.Entry e : journal.entries().reversed()) {
            for (List<String> argv : e.undo()) {
                try {
                    CommandRunner.CommandResult r = runner.change(argv, null);
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

    /** Journals, then runs. */
    private final class Journaled implements DarwinNetwork.Changes {
        @Override
        public boolean change(List<String> argv, MacJournal.Entry undo) throws IOException {
            if (undo != null) {
                journal.record(undo);
            }
            CommandRunner.CommandResult r = runner.change(argv, null);
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
            CommandRunner.CommandResult r = runner.change(List.of("bash", "-c", command), null);
            if (!r.succeeded()) {
                throw new IOException("hook failed (exit " + r.exitCode() + "): " + command);
            }
        }
    }
}
