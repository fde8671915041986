package io.wirefx.daemon.service;

import io.wirefx.platform.Platform;
import io.wirefx.platform.PlatformPaths;
import io.wirefx.platform.ServiceHost;
import io.wirefx.platform.PlatformUnavailableException;
import io.wirefx.platform.Platforms;

import io.wirefx.daemon.ipc.IpcServer;
import io.wirefx.daemon.log.LibraryLogBridge;
import io.wirefx.daemon.log.LogRing;
import io.wirefx.daemon.run.EngineTunnelFactory;
import io.wirefx.daemon.run.Signals;
import io.wirefx.daemon.run.TunnelFactory;
import io.wirefx.daemon.store.ConfigStore;
import io.wirefx.daemon.uapi.UapiServer;
import io.wirefx.ipc.LogEntry;
import io.wirefx.ipc.Protocol;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

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

    /** Parsed command line. */
    record Options(Path stateDir, Path socket, Path runtimeDir, String adminGroup, String operatorGroup,
                   boolean allowScripts, Path uapiDir) {
        static Options defaults(PlatformPaths paths) {
            return new Options(paths.configDir(), Path.of(paths.ipcAddress()), paths.runtimeDir(),
                    IpcServer.DEFAULT_ADMIN_GROUP, IpcServer.DEFAULT_OPERATOR_GROUP, false, paths.uapiDir());
        }
    }

    private ServiceMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    static final String USAGE_TEXT = """
            Usage: wirefx-service [options]

              --state-dir DIR       tunnel configurations and the set of running tunnels (default /etc/wirefx/tunnels)
              --socket PATH         the control socket (default /run/wirefx/wirefx.sock)
              --runtime-dir DIR     network journals and locks (default /run/wirefx)
              --admin-group NAME    members may do everything (default wirefx-admin)
              --operator-group NAME members may list, start and stop tunnels (default wirefx)
              --allow-scripts       run the PreUp/PostUp/PreDown/PostDown commands of configurations (as root!)
              --uapi-dir DIR|none   where each tunnel serves its wg(8) socket (default /var/run/wireguard)

            Runs in the foreground and logs to stderr; SIGTERM stops all tunnels (they are restored at the next
            start). Needs root (CAP_NET_ADMIN). Exit codes: 0 stopped, 2 usage error, 3 cannot start.""";

    private static final java.util.Set<String> VALUED = java.util.Set.of("--state-dir", "--socket", "--runtime-dir",
            "--admin-group", "--operator-group", "--uapi-dir");

    /** Parses {@code args}; empty (after printing why) on a usage error. */
    static Optional<Options> parse(String[] args, PlatformPaths paths, PrintStream err) {
        Options o = Options.defaults(paths);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--allow-scripts")) {
                o = new Options(o.stateDir(), o.socket(), o.runtimeDir(), o.adminGroup(), o.operatorGroup(), true,
                        o.uapiDir());
                continue;
            }
            if (a.equals("--help") || a.equals("-h")) {
                err.println(USAGE_TEXT);
                return Optional.empty();
            }
            if (!VALUED.contains(a)) {
                err.println("wirefx-service: unknown " + (a.startsWith("-") ? "option " : "argument ") + a);
                err.println(USAGE_TEXT);
                return Optional.empty();
            }
            if (i + 1 >= args.length || args[i + 1].isBlank()) {
                err.println("wirefx-service: " + a + " needs a value");
                err.println(USAGE_TEXT);
                return Optional.empty();
            }
            String v = args[++i];
            switch (a) {
                case "--state-dir" -> o = new Options(Path.of(v), o.socket(), o.runtimeDir(), o.adminGroup(),
                        o.operatorGroup(), o.allowScripts(), o.uapiDir());
                case "--socket" -> o = new Options(o.stateDir(), Path.of(v), o.runtimeDir(), o.adminGroup(),
                        o.operatorGroup(), o.allowScripts(), o.uapiDir());
                case "--runtime-dir" -> o = new Options(o.stateDir(), o.socket(), Path.of(v), o.adminGroup(),
                        o.operatorGroup(), o.allowScripts(), o.uapiDir());
                case "--admin-group" -> o = new Options(o.stateDir(), o.socket(), o.runtimeDir(), v,
                        o.operatorGroup(), o.allowScripts(), o.uapiDir());
                case "--operator-group" -> o = new Options(o.stateDir(), o.socket(), o.runtimeDir(), o.adminGroup(),
                        v, o.allowScripts(), o.uapiDir());
                case "--uapi-dir" -> o = new Options(o.stateDir(), o.socket(), o.runtimeDir(), o.adminGroup(),
                        o.operatorGroup(), o.allowScripts(), v.equals("none") ? null : Path.of(v));
                default -> {
                    err.println("wirefx-service: unknown option " + a);
                    err.println(USAGE_TEXT);
                    return Optional.empty();
                }
            }
        }
        return Optional.of(o);
    }

    static int run(String[] args, PrintStream err) {
        Platform platform;
        try {
            platform = Platforms.current();
        } catch (PlatformUnavailableException e) {
            err.println("wirefx-service: cannot start: " + e.getMessage());
            return CANNOT_START;
        }
        Optional<Options> parsed = parse(args, platform.paths(), err);
        if (parsed.isEmpty()) {
            return args.length == 1 && (args[0].equals("--help") || args[0].equals("-h")) ? OK : USAGE;
        }
        Options o = parsed.get();
        ServiceHost host = platform.serviceHost();
        Optional<String> privilege = platform.privilegeProblem();
        if (privilege.isPresent()) {
            err.println("wirefx-service: cannot start: " + privilege.get()
                    + "; run it as root or through the systemd unit");
            return CANNOT_START;
        }
        LogRing log = new LogRing();
        log.follow(e -> err.println(format(e)));
        LibraryLogBridge.install(log); // engine and driver failures reach `wirefx log` and the UI
        ConfigStore store;
        try {
            store = ConfigStore.open(o.stateDir());
        } catch (IOException e) {
            err.println("wirefx-service: cannot open the state directory " + o.stateDir() + ": " + e.getMessage());
            return CANNOT_START;
        }
        if (store.staleTempFilesRemoved() > 0) {
            log.info(null, "removed " + store.staleTempFilesRemoved() + " temporary file(s) left by a crash");
        }
        ServiceSettings settings = ServiceSettings.defaults().withRuntimeDir(o.runtimeDir())
                .withAllowScripts(o.allowScripts());
        TunnelFactory factory = new EngineTunnelFactory(platform, o.uapiDir());
        TunnelManager manager = new TunnelManager(store, log, factory, platform.network(), platform::interfaceNameFor,
                settings);
        IpcServer server = IpcServer.builder(manager, log).socketPath(o.socket())
                .endpoints(platform.endpoints()).groups(o.adminGroup(), o.operatorGroup())
                .serverVersion("wirefx-service").build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            err.println("wirefx-service: cannot listen on " + o.socket() + ": " + e.getMessage());
            manager.close();
            return CANNOT_START;
        }
        CountDownLatch stopRequested = new CountDownLatch(1);
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
