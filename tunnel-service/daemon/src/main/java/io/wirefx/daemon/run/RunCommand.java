package io.wirefx.daemon.run;

import io.wirefx.core.config.BadConfigException;
import io.wirefx.core.config.Config;
import io.wirefx.platform.NetconfigException;
import io.wirefx.platform.Platform;
import io.wirefx.platform.PlanOptions;
import io.wirefx.platform.TrafficPolicy;
import io.wirefx.platform.Platforms;
import io.wirefx.platform.PlatformUnavailableException;
import io.wirefx.platform.ProcessCommandRunner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Process-level glue of {@code wirefx run}: the platform, SIGTERM/SIGINT/SIGHUP handlers, a shutdown hook as a
 * safety net, and the environment: {@code WIREFX_STATE_DIR} (default: the platform's runtime directory) holds the
 * state journal. Also {@code wirefx run --dry-run}, which prints the plan instead.
 */
public final class RunCommand {
    /** Environment variable naming the state directory. */
    public static final String STATE_DIR_ENV = "WIREFX_STATE_DIR";

    private static final long HOOK_WAIT_MILLIS = 60_000;
    private static final String LOG_FORMAT_PROPERTY = "java.util.logging.SimpleFormatter.format";

    private RunCommand() {
    }

    /** Runs {@code file} in the foreground on this machine's platform; returns the exit code. */
    public static int run(String file, PrintStream err) {
        return run(file, TrafficPolicy.NONE, err);
    }

    /** Runs {@code file} in the foreground on this machine's platform with a kill switch setting. */
    public static int run(String file, TrafficPolicy policy, PrintStream err) {
        Platform platform;
        try {
            platform = Platforms.current();
        } catch (PlatformUnavailableException e) {
            err.println("wirefx: " + e.getMessage());
            return TunnelRun.CANNOT_START;
        }
        return run(file, platform, new EngineTunnelFactory(platform), policy, err);
    }

    /** Runs {@code file} in the foreground with the given tunnel factory; returns the exit code. */
    public static int run(String file, Platform platform, TunnelFactory factory, PrintStream err) {
        return run(file, platform, factory, TrafficPolicy.NONE, err);
    }

    /** The same, with a kill switch setting. */
    public static int run(String file, Platform platform, TunnelFactory factory, TrafficPolicy policy,
                          PrintStream err) {
        String dir = System.getenv(STATE_DIR_ENV);
        Path stateDir = dir != null && !dir.isBlank() ? Path.of(dir) : platform.paths().runtimeDir();
        if (System.getProperty(LOG_FORMAT_PROPERTY) == null) {
            // One line per engine log record, like the [#] lines around them.
            System.setProperty(LOG_FORMAT_PROPERTY, "[%4$s] %5$s%6$s%n");
        }
        TunnelRun run = new TunnelRun(factory, platform.network(), platform::interfaceNameFor, stateDir, err,
                policy);
        StopRequest stop = new StopRequest();
        installSignalHandlers(stop, err);
        Thread hook = new Thread(() -> {
            stop.request("JVM shutdown");
            try {
                run.awaitFinished(HOOK_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "wirefx-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = run.run(file, stop);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running; it returns as soon as it sees run finished
        }
        return code;
    }

    /**
     * {@code wirefx run --dry-run [--platform ID] [--interface NAME] FILE.conf}: prints, one per line, what bringing
     * the tunnel up would do on that platform, reading this system's state with that platform's tools; changes
     * nothing and needs no privilege.
     *
     * @param platformId    null: this machine's platform
     * @param interfaceName null: the platform's choice for the tunnel name
     */
    public static int dryRun(String file, String platformId, String interfaceName, PrintStream out, PrintStream err) {
        return dryRun(file, platformId, interfaceName, TrafficPolicy.NONE, out, err);
    }

    /** The dry run with a kill switch setting ({@code --block-untunneled [--allow-lan]}). */
    public static int dryRun(String file, String platformId, String interfaceName, TrafficPolicy policy,
                             PrintStream out, PrintStream err) {
        Optional<String> name = TunnelRun.tunnelName(file);
        if (name.isEmpty()) {
            err.println("wirefx: the config file must be a valid tunnel name followed by .conf: " + file);
            return TunnelRun.BAD_INPUT;
        }
        Platform platform;
        if (platformId == null) {
            try {
                platform = Platforms.current();
            } catch (PlatformUnavailableException e) {
                err.println("wirefx: " + e.getMessage() + "; name one with --platform");
                return TunnelRun.CANNOT_START;
            }
        } else {
            Optional<Platform> p = Platforms.byId(platformId);
            if (p.isEmpty()) {
                err.println("wirefx: unknown platform `" + platformId + "' (known: "
                        + String.join(", ", Platforms.ids()) + ")");
                return TunnelRun.BAD_INPUT;
            }
            platform = p.get();
        }
        Config config;
        try {
            config = Config.parse(Path.of(file));
        } catch (BadConfigException e) {
            err.println(file + ":" + e.lineNumber() + ": " + e.getMessage());
            return TunnelRun.BAD_INPUT;
        } catch (NoSuchFileException e) {
            err.println("wirefx: `" + file + "' does not exist");
            return TunnelRun.BAD_INPUT;
        } catch (IOException e) {
            err.println("wirefx: cannot read `" + file + "': " + e.getMessage());
            return TunnelRun.BAD_INPUT;
        }
        String iface = interfaceName != null ? interfaceName : platform.interfaceNameFor(name.get());
        try {
            platform.network().plan(config, new PlanOptions(name.get(), iface, new ProcessCommandRunner(), policy),
                    out::println);
        } catch (NetconfigException e) {
            err.println("wirefx: no plan: " + e.getMessage());
            return TunnelRun.CANNOT_START;
        }
        out.flush();
        return TunnelRun.OK;
    }

    /** SIGTERM, SIGINT and SIGHUP request an orderly stop instead of ending the JVM. */
    private static void installSignalHandlers(StopRequest stop, PrintStream err) {
        for (String sig : new String[]{"TERM", "INT", "HUP"}) {
            try {
                Signals.handle(sig, s -> stop.request("SIG" + s));
            } catch (UnsupportedOperationException e) {
                err.println("wirefx: " + e.getMessage() + "; relying on the shutdown hook");
            }
        }
    }
}
