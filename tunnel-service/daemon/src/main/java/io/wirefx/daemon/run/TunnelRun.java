package io.wirefx.daemon.run;

import io.wirefx.core.config.BadConfigException;
import io.wirefx.core.config.Config;
import io.wirefx.daemon.netconfig.CommandRunner;
import io.wirefx.daemon.netconfig.LinuxNetworkConfigurator;
import io.wirefx.daemon.netconfig.NetconfigException;
import io.wirefx.daemon.netconfig.NetconfigOptions;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code wirefx run FILE.conf}: one tunnel in the foreground, like {@code wg-quick up} followed by
 * {@code wg-quick down} when asked to stop.
 *
 * <ol>
 *   <li>The interface name comes from the file name ({@code wg0.conf} → {@code wg0}); the file is parsed. A bad
 *       name or configuration stops here, with nothing changed.</li>
 *   <li>{@link LinuxNetworkConfigurator#prepare()}: lock, clean up after a killed previous run, refuse an existing
 *       interface, check the tools.</li>
 *   <li>The tunnel is started (TUN interface + engine with the configuration), then the network is configured.</li>
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

    private static final Pattern FILE_NAME = Pattern.compile("(?:^|/)([a-zA-Z0-9_=+.-]{1,15})\\.conf$");

    private final TunnelFactory factory;
    private final CommandRunner runner;
    private final NetconfigOptions options;
    private final PrintStream err;
    private final CountDownLatch finished = new CountDownLatch(1);

    /**
     * @param options state directory, resolvconf order file and log; the config file and pid are filled in here
     */
    public TunnelRun(TunnelFactory factory, CommandRunner runner, NetconfigOptions options, PrintStream err) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.options = Objects.requireNonNull(options, "options");
        this.err = Objects.requireNonNull(err, "err");
    }

    /** The interface name for a configuration file, as wg-quick derives it, or empty if the name is not valid. */
    public static Optional<String> interfaceName(String file) {
        Matcher m = FILE_NAME.matcher(file);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
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
        Optional<String> name = interfaceName(file);
        if (name.isEmpty()) {
            err.println("wirefx: the config file must be a valid interface name ([a-zA-Z0-9_=+.-]{1,15}), followed "
                    + "by .conf: " + file);
            return BAD_INPUT;
        }
        String iface = name.get();
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

        NetconfigOptions o = options.withConfigFile(path.toAbsolutePath()).withPid(ProcessHandle.current().pid());
        try (LinuxNetworkConfigurator net = new LinuxNetworkConfigurator(iface, config, runner, o)) {
            try {
                net.prepare();
            } catch (NetconfigException e) {
                err.println("wirefx: " + e.getMessage());
                return CANNOT_START;
            }
            if (stop.isRequested()) {
                net.down();
                err.println("[-] not starting " + iface + " (" + stop.reason() + ")");
                return OK;
            }
            RunningTunnel tunnel;
            try {
                net.recordInterfaceCreation();
                tunnel = factory.start(iface, config);
            } catch (NetconfigException | IOException | RuntimeException e) {
                err.println("wirefx: cannot start the tunnel on " + iface + ": " + e.getMessage());
                net.down(); // undoes what was recorded (the interface, if it was created)
                return FAILED;
            }
            try {
                tunnel.onStopped(why -> stop.request("tunnel stopped: " + why));
                if (stop.isRequested()) {
                    net.down();
                    err.println("[-] not bringing up " + iface + " (" + stop.reason() + ")");
                    return OK;
                }
                try {
                    net.up(tunnel);
                } catch (NetconfigException e) {
                    err.println("wirefx: " + e.getMessage());
                    err.println("wirefx: " + iface + " was not brought up; everything done was undone");
                    return FAILED;
                }
                err.println("[+] " + iface + " is up" + net.fwmark().stream()
                        .mapToObj(m -> ", fwmark " + m).findFirst().orElse("")
                        + "; SIGTERM or Ctrl-C to stop");
                String why;
                try {
                    why = stop.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    why = "interrupted";
                }
                err.println("[-] stopping " + iface + " (" + why + ")");
                List<String> problems = net.down();
                if (!problems.isEmpty()) {
                    err.println("wirefx: teardown of " + iface + " incomplete; the next run of " + file
                            + " retries from " + net.journalFile());
                    return FAILED;
                }
                return OK;
            } finally {
                tunnel.close();
            }
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
