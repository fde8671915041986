package io.wirefx.platform.macos;

import io.wirefx.core.config.Config;
import io.wirefx.core.config.InetEndpoint;
import io.wirefx.core.config.PeerConfig;
import io.wirefx.platform.CommandRunner;
import io.wirefx.platform.NetconfigException;
import io.wirefx.platform.NetworkSetup;
import io.wirefx.platform.PlanOptions;
import io.wirefx.platform.PlanRunner;
import io.wirefx.platform.PlanWorkspace;
import io.wirefx.platform.PlannedTunnel;
import io.wirefx.platform.TunnelControl;
import io.wirefx.platform.TunnelNetwork;
import io.wirefx.platform.TunnelNetworkSpec;
import io.wirefx.tun.macos.UtunDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The macOS network configurator ({@link DarwinNetwork}: wg-quick darwin.bash semantics): per-tunnel
 * {@link MacTunnelNetwork}s, the clean-up of journals left by killed runs, and the dry-run plan, all through one
 * {@link CommandRunner} whose tools are found on the search path.
 */
public final class MacNetworkSetup implements NetworkSetup {

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

    @Override
    public TunnelNetwork forTunnel(TunnelNetworkSpec spec) {
        return new MacTunnelNetwork(spec.config(), spec.tunnelName(), spec.stateDir(), runner, spec.log(), monitors);
    }

    /** Undoes the journals in {@code stateDir} whose tunnel lock nobody holds (a running tunnel's is left alone). */
    @Override
    public List<String> cleanUpStale(Path stateDir, Consumer<String> log) {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(stateDir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(stateDir, "*.journal")) {
            for (Path f : ds) {
                String tunnel = f.getFileName().toString().replaceFirst("\\.journal$", "");
                try (FileChannel lockFile = FileChannel.open(stateDir.resolve(tunnel + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock lock = tryLock(lockFile)) {
                    if (lock == null) {
                        out.add(tunnel + ": in use by a running process, left alone");
                        continue;
                    }
                    MacJournal j = MacJournal.load(f);
                    log.accept("undoing the network changes of an earlier run of " + j.tunnel() + " (" + j.iface()
                            + ")");
                    List<String> problems = MacTunnelNetwork.undo(j, runner, log);
                    out.add(j.tunnel() + ": " + (problems.isEmpty() ? "cleaned up after an unclean shutdown"
                            : "stale state partly cleaned up: " + String.join("; ", problems)));
                } catch (IOException e) {
                    out.add(f.getFileName() + ": stale state not cleaned up: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            out.add("cannot list " + stateDir + ": " + e.getMessage());
        }
        return out;
    }

    /** The lock of a tunnel, or null if a process (this one included) holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    /**
     * Runs the real configurator with a {@link PlanRunner} (state is read for real, every change printed) and no
     * route monitor; its journal goes to a temporary directory. The first line says how the utun would be opened.
     * The interface {@code utun} (what {@link MacPlatform#interfaceNameFor} gives) is planned as
     * {@value #DEFAULT_PLAN_INTERFACE}.
     */
    @Override
    public void plan(Config config, PlanOptions options, Consumer<String> out) throws NetconfigException {
        // the platform's template (the kernel would pick the unit): plan with a concrete name
        String utun = options.interfaceName().equals(UtunDriver.ANY_UNIT) ? DEFAULT_PLAN_INTERFACE
                : options.interfaceName();
        try (PlanWorkspace tmp = PlanWorkspace.create();
             MacTunnelNetwork net = new MacTunnelNetwork(config, options.tunnelName(), tmp.dir(),
                     new PlanRunner(options.runner(), out), line -> { }, MacTunnelNetwork.NO_MONITOR)) {
            net.prepare();
            out.accept("# open utun: socket(PF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL), connect to "
                    + "com.apple.net.utun_control unit 0 (the kernel picks utunN; this plan assumes " + utun + ")");
            net.interfaceOpened(utun);
            net.up(PlannedTunnel.of(utun, config, out));
        }
    }

}
