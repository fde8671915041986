package io.wirefx.daemon.service;

import io.wirefx.ipc.Event;
import io.wirefx.platform.NetworkMonitor;
import io.wirefx.platform.Platform;
import io.wirefx.platform.PlatformPaths;
import io.wirefx.platform.ServiceHost;
import io.wirefx.platform.PlatformUnavailableException;
import io.wirefx.platform.Platforms;

import io.wirefx.daemon.ipc.IpcServer;
import io.wirefx.daemon.log.LibraryLogBridge;
import io.wirefx.daemon.log.LogRing;
import io.wirefx.daemon.log.RotatingLogFile;
import io.wirefx.daemon.run.EngineTunnelFactory;
import io.wirefx.daemon.run.Signals;
import io.wirefx.daemon.run.TunnelFactory;
import io.wirefx.daemon.store.ConfigStore;
import io.wirefx.daemon.uapi.UapiServer;
import io.wirefx.ipc.LogEntry;
import io.wirefx.ipc.Protocol;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code wirefx-service}: the privileged daemon, in the foreground, logging to stderr (for journald). It owns every
 * tunnel ({@link TunnelManager}) and serves the local socket ({@link IpcServer}); on start it restores the tunnels
 * that were up when it last stopped; SIGTERM/SIGINT stop all tunnels (remembering them) and end it.
 *
 * <p>Exit codes: 0 stopped cleanly, 2 usage error, 3 cannot start (not root / no CAP_NET_ADMIN, socket or
 * directories unusable).
 */
public final class ServiceMain {
    static final int OK = 0;
    static final int USAGE = 2;
    static final int CANNOT_START = 3;

    /**
     * Parsed command line.
     *
     * @param uapi    whether tunnels serve the wg(8) endpoint ({@code --uapi-dir none} turns it off)
     * @param uapiDir where, on platforms whose UAPI endpoints are sockets in a directory (else null)
     */
    record Options(Path stateDir, String socket, Path runtimeDir, String adminGroup, String operatorGroup,
                   boolean allowScripts, Path uapiDir, boolean uapi) {
        static Options defaults(PlatformPaths paths) {
            return new Options(paths.configDir(), paths.ipcAddress(), paths.runtimeDir(),
                    IpcServer.DEFAULT_ADMIN_GROUP, IpcServer.DEFAULT_OPERATOR_GROUP, false, paths.uapiDir(), true);
        }
    }

    private ServiceMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    static int run(String[] args, PrintStream err) {
        return run(args, System.out, err);
    }

    /** Parses {@code args} ({@link ServiceCommandLine}) and does what they ask: help goes to {@code out}. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Platform platform;
        try {
            platform = Platforms.current();
        } catch (PlatformUnavailableException e) {
            err.println("wirefx-service: cannot start: " + e.getMessage());
            return CANNOT_START;
        }
        ServiceCommandLine.Parsed parsed = ServiceCommandLine.parse(args, platform.paths(), out, err);
        ServiceHost host = platform.serviceHost();
        return switch (parsed) {
            case ServiceCommandLine.Done done -> done.exitCode();
            case ServiceCommandLine.Install install -> manage(install, host, err);
            case ServiceCommandLine.Uninstall uninstall -> manage(uninstall, host, err);
            case ServiceCommandLine.Run r -> host.run(() -> serve(r.options(), platform, host, err));
        };
    }

    /**
     * {@code install [options]}: registers this JVM, class path and main class with the (checked) options as the
     * service; {@code uninstall}: stops and unregisters it. Where the package registers the service, says so.
     */
    static int manage(ServiceCommandLine.Parsed action, ServiceHost host, PrintStream err) {
        String verb = action instanceof ServiceCommandLine.Install ? "install" : "uninstall";
        try {
            if (action instanceof ServiceCommandLine.Install install) {
                host.install(serviceCommand(install.arguments().toArray(String[]::new)));
            } else {
                host.uninstall();
            }
            err.println("wirefx-service: " + verb + "ed (" + host.describe() + ")");
            return OK;
        } catch (UnsupportedOperationException e) {
            err.println("wirefx-service: " + e.getMessage());
            return USAGE;
        } catch (IOException | RuntimeException e) {
            err.println("wirefx-service: " + verb + " failed: " + e.getMessage());
            return CANNOT_START;
        }
    }

    /**
     * The command the supervisor runs: this Java runtime, the JVM options the launcher passes (native access for JNA,
     * the socket handle for the UDP pin of a full tunnel), this class path made absolute, this class and the
     * service's options.
     */
    static List<String> serviceCommand(String[] options) {
        String javaExe = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.isEmpty()).map(e -> Path.of(e).toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = new ArrayList<>(List.of(javaExe,
                "--enable-native-access=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                "-XX:+UseSerialGC", "-cp", cp, ServiceMain.class.getName()));
        cmd.addAll(List.of(options));
        return cmd;
    }

    /** The log file's name in the platform's log directory. */
    static final String LOG_FILE = "wirefx-service.log";

    /**
     * Where the host keeps no stderr (a Windows service under the SCM), the log also goes to {@value #LOG_FILE} in the
     * platform's log directory, rotated by size ({@link RotatingLogFile}). Empty where stderr is kept, or if the file
     * cannot be opened (said on stderr, and the service runs on).
     */
    static Optional<RotatingLogFile> logToFile(PlatformPaths paths, ServiceHost host, LogRing log, PrintStream err) {
        if (host.keepsOutput() || paths.logDir() == null) {
            return Optional.empty();
        }
        try {
            RotatingLogFile file = RotatingLogFile.open(paths.logDir().resolve(LOG_FILE),
                    RotatingLogFile.DEFAULT_MAX_BYTES, RotatingLogFile.DEFAULT_KEEP);
            log.follow(e -> file.append(java.time.Instant.ofEpochMilli(e.epochMillis()) + " " + format(e)));
            log.info(null, "service log file: " + file.path());
            return Optional.of(file);
        } catch (IOException | RuntimeException e) {
            err.println("wirefx-service: cannot write the log file in " + paths.logDir() + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The service's life under its host: returns the exit code. */
    private static int serve(Options o, Platform platform, ServiceHost host, PrintStream err) {
        Optional<String> privilege = platform.privilegeProblem();
        if (privilege.isPresent()) {
            err.println("wirefx-service: cannot start: " + privilege.get()
                    + "; run it as root or through the systemd unit");
            return CANNOT_START;
        }
        LogRing log = new LogRing();
        log.follow(e -> err.println(format(e)));
        logToFile(platform.paths(), host, log, err);
        LibraryLogBridge.install(log); // engine and driver failures reach `wirefx log` and the UI
        ConfigStore store;
        try {
            store = ConfigStore.open(o.stateDir(), platform.configProtection());
        } catch (IOException e) {
            err.println("wirefx-service: cannot open the state directory " + o.stateDir() + ": " + e.getMessage());
            return CANNOT_START;
        }
        if (store.staleTempFilesRemoved() > 0) {
            log.info(null, "removed " + store.staleTempFilesRemoved() + " temporary file(s) left by a crash");
        }
        ServiceSettings settings = ServiceSettings.defaults().withRuntimeDir(o.runtimeDir())
                .withAllowScripts(o.allowScripts());
        TunnelFactory factory = new EngineTunnelFactory(platform, o.uapi(), o.uapiDir());
        TunnelManager manager = new TunnelManager(store, log, factory, platform.network(), platform::interfaceNameFor,
                settings);
        NetworkMonitor networkMonitor = platform.networkMonitor();
        OnDemandController onDemand = new OnDemandController(networkMonitor, manager::onDemandRules,
                OnDemandController.Tunnels.of(manager), log);
        manager.setOnDemandAvailability(onDemand::available);
        // A saved rule change applies at once; off the thread that emits (it may hold the manager's lock).
        ExecutorService onDemandUpdates = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("on-demand").factory());
        manager.subscribe(event -> {
            if (event instanceof Event.SettingsChanged changed) {
                onDemandUpdates.execute(() -> onDemand.rulesChanged(changed.name()));
            }
        }, () -> false);
        IpcServer server = IpcServer.builder(manager, log).address(o.socket())
                .endpoints(platform.endpoints()).groups(o.adminGroup(), o.operatorGroup())
                .serverVersion("wirefx-service").build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            err.println("wirefx-service: cannot listen on " + o.socket() + ": " + e.getMessage());
            onDemand.close();
            onDemandUpdates.shutdownNow();
            networkMonitor.close();
            manager.close();
            return CANNOT_START;
        }
        CountDownLatch stopRequested = new CountDownLatch(1);
        host.onStopRequest(() -> {
            log.info(null, "stop requested by " + host.describe());
            stopRequested.countDown();
        });
        Runnable shutdown = new Runnable() {
            private boolean done;

            @Override
            public synchronized void run() {
                if (done) {
                    return;
                }
                done = true;
                host.stopping();
                log.info(null, "stopping: all tunnels go down and are restored at the next start");
                onDemand.close();
                onDemandUpdates.shutdownNow();
                networkMonitor.close();
                manager.close();
                server.close();
                log.info(null, "stopped");
            }
        };
        // SIGTERM/SIGINT: an orderly stop and exit code 0; the hook is the safety net for other ways out.
        for (String sig : new String[]{"TERM", "INT"}) {
            try {
                Signals.handle(sig, s -> {
                    log.info(null, "SIG" + s + " received");
                    stopRequested.countDown();
                });
            } catch (UnsupportedOperationException e) {
                log.warn(null, e.getMessage() + "; relying on the shutdown hook");
            }
        }
        Thread hook = new Thread(shutdown, "wirefx-service-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        log.info(null, "scripts are " + (o.allowScripts() ? "ENABLED (--allow-scripts)" : "disabled"));
        manager.restore();
        onDemand.start();
        onDemand.unavailableReason().ifPresent(why -> log.info(null, "on-demand rules are not enforced: " + why));
        host.ready();
        log.info(null, "ready on " + platform.id() + ", " + host.describe());
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutdown.run();
        return OK;
    }

    private static String format(LogEntry e) {
        return "[" + e.level() + "]" + (e.tunnel() == null ? "" : " " + e.tunnel() + ":") + " " + e.message();
    }
}
