package io.wirefx.daemon.run;

import io.wirefx.core.config.BadConfigException;
import io.wirefx.core.config.Config;
import io.wirefx.platform.NetconfigException;
import io.wirefx.platform.NetworkSetup;
import io.wirefx.core.config.TunnelNames;
import io.wirefx.platform.TunnelNetwork;
import io.wirefx.platform.TunnelNetworkSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * {@code wirefx run FILE.conf}: one tunnel in the foreground, like {@code wg-quick up} followed by
 * {@code wg-quick down} when asked to stop.
 *
 * <ol>
 *   <li>The tunnel name comes from the file name ({@code wg0.conf} → {@code wg0}, {@link TunnelNames}); the file is
 *       parsed. A bad name or configuration stops here, with nothing changed.</li>
 *   <li>The {@link TunnelLifecycle} of the platform: prepare (lock, clean up after a killed previous run, refuse an
 *       interface in use, check the tools), interface + engine, network configuration.</li>
 *   <li>It waits for a {@link StopRequest} (SIGTERM/SIGINT) or for the tunnel to stop by itself (interface
 *       removed), then tears everything down.</li>
 * </ol>
 *
 * Exit codes: {@link #OK}, {@link #BAD_INPUT}, {@link #CANNOT_START}, {@link #FAILED}.
 */
public final class TunnelRun {
    /** Stopped on request (or the interface was removed) and everything was torn down. */
    public static final int OK = 0;
    /** Bad file name or configuration (the error names the line); nothing was changed. */
    public static final int BAD_INPUT = 1;
    /** A precondition does not hold (not root, interface exists, already running, tool missing); nothing changed. */
    public static final int CANNOT_START = 3;
    /** The bring-up failed and was rolled back, or the teardown left something behind (listed on stderr). */
    public static final int FAILED = 4;

    private final TunnelFactory factory;
    private final NetworkSetup network;
    private final UnaryOperator<String> interfaceNames;
    private final Path stateDir;
    private final PrintStream err;
    private final io.wirefx.platform.TrafficPolicy policy;
    private final CountDownLatch finished = new CountDownLatch(1);

    /**
     * @param network        the platform's network configuration
     * @param interfaceNames the platform's interface name for a tunnel name
     * @param stateDir       where the journal and lock live
     */
    public TunnelRun(TunnelFactory factory, NetworkSetup network, UnaryOperator<String> interfaceNames,
                     Path stateDir, PrintStream err) {
        this(factory, network, interfaceNames, stateDir, err, io.wirefx.platform.TrafficPolicy.NONE);
    }

    /** @param policy the kill switch setting ({@code run --block-untunneled [--allow-lan]}) */
    public TunnelRun(TunnelFactory factory, NetworkSetup network, UnaryOperator<String> interfaceNames,
                     Path stateDir, PrintStream err, io.wirefx.platform.TrafficPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.network = Objects.requireNonNull(network, "network");
        this.interfaceNames = Objects.requireNonNull(interfaceNames, "interfaceNames");
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
        this.err = Objects.requireNonNull(err, "err");
    }

    /** The tunnel name of a configuration file ({@code dir/NAME.conf}), or empty if it is not a valid name. */
    public static Optional<String> tunnelName(String file) {
        return TunnelNames.fromFileName(file);
    }

    /** Waits (bounded) until {@link #run} has finished its teardown; for a shutdown hook. */
    public boolean awaitFinished(long millis) throws InterruptedException {
        return finished.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Runs the tunnel until {@code stop} is requested; returns the exit code. */
    public int run(String file, StopRequest stop) {
        try {
            return doRun(file, stop);
        } finally {
            finished.countDown();
        }
    }

    private int doRun(String file, StopRequest stop) {
        Optional<String> name = tunnelName(file);
        if (name.isEmpty()) {
            err.println("wirefx: the config file must be a valid tunnel name (1 to " + TunnelNames.MAX_LENGTH
                    + " of [a-zA-Z0-9_=+.-]), followed by .conf: " + file);
            return BAD_INPUT;
        }
        String tunnelName = name.get();
        Path path = Path.of(file);
        Config config;
        try {
            config = Config.parse(path);
        } catch (BadConfigException e) {
            err.println(file + ":" + e.lineNumber() + ": " + e.getMessage());
            return BAD_INPUT;
        } catch (NoSuchFileException e) {
            err.println("wirefx: `" + file + "' does not exist");
            return BAD_INPUT;
        } catch (IOException e) {
            err.println("wirefx: cannot read `" + file + "': " + e.getMessage());
            return BAD_INPUT;
        }
        warnIfWorldAccessible(path);
        Optional<String> unavailable = factory.unavailabilityCause();
        if (unavailable.isPresent()) {
            err.println("wirefx: cannot create tunnels here: " + unavailable.get());
            return CANNOT_START;
        }
        String iface = interfaceNames.apply(tunnelName);
        TunnelNetwork net = network.forTunnel(new TunnelNetworkSpec(tunnelName, iface, config, stateDir,
                Optional.of(path.toAbsolutePath()), err::println, policy));
        try (TunnelLifecycle life = new TunnelLifecycle(tunnelName, iface, config, factory, net)) {
            try {
                life.prepare();
            } catch (NetconfigException e) {
                err.println("wirefx: " + e.getMessage());
                return CANNOT_START;
            }
            if (stop.isRequested()) {
                life.down();
                err.println("[-] not starting " + tunnelName + " (" + stop.reason() + ")");
                return OK;
            }
            RunningTunnel tunnel;
            try {
                tunnel = life.startTunnel();
            } catch (NetconfigException e) {
                err.println("wirefx: cannot start the tunnel " + tunnelName + ": " + e.getMessage());
                return FAILED;
            }
            tunnel.onStopped(why -> stop.request("tunnel stopped: " + why));
            if (stop.isRequested()) {
                life.down();
                err.println("[-] not bringing up " + tunnelName + " (" + stop.reason() + ")");
                return OK;
            }
            try {
                life.networkUp();
            } catch (NetconfigException e) {
                err.println("wirefx: " + e.getMessage());
                err.println("wirefx: " + tunnelName + " was not brought up; everything done was undone");
                return FAILED;
            }
            String note = net.upNote();
            String ifNote = tunnel.interfaceName().equals(tunnelName) ? "" : " (interface " + tunnel.interfaceName()
                    + ")";
            err.println("[+] " + tunnelName + ifNote + " is up" + (note.isEmpty() ? "" : ", " + note)
                    + "; SIGTERM or Ctrl-C to stop");
            String why;
            try {
                why = stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                why = "interrupted";
            }
            err.println("[-] stopping " + tunnelName + " (" + why + ")");
            List<String> problems = life.down();
            if (!problems.isEmpty()) {
                err.println("wirefx: teardown of " + tunnelName + " incomplete; the next run of " + file
                        + " retries from " + net.journalLocation());
                return FAILED;
            }
            return OK;
        }
    }

    private void warnIfWorldAccessible(Path path) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(path);
            if (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.OTHERS_WRITE)
                    || p.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                err.println("Warning: `" + path + "' is world accessible");
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // not important enough to fail for
        }
    }
}
