package io.wirefx.daemon.run;

import io.wirefx.daemon.netconfig.CommandRunner;
import io.wirefx.daemon.netconfig.NetconfigOptions;
import io.wirefx.daemon.netconfig.ProcessCommandRunner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Process-level glue of {@code wirefx run}: SIGTERM/SIGINT/SIGHUP handlers, a shutdown hook as a safety net,
 * and the environment: {@code WIREFX_STATE_DIR} (default {@value NetconfigOptions#DEFAULT_STATE_DIR}) holds the
 * state journal.
 */
public final class RunCommand {
    /** Environment variable naming the state directory. */
    public static final String STATE_DIR_ENV = "WIREFX_STATE_DIR";
    private static final int CAP_NET_ADMIN = 12;
    private static final long HOOK_WAIT_MILLIS = 60_000;
    private static final String LOG_FORMAT_PROPERTY = "java.util.logging.SimpleFormatter.format";

    private RunCommand() {
    }

    /** Runs {@code file} in the foreground with the given tunnel factory; returns the exit code. */
    public static int run(String file, TunnelFactory factory, PrintStream err) {
        String dir = System.getenv(STATE_DIR_ENV);
        NetconfigOptions options = NetconfigOptions.defaults().withLog(err::println);
        if (dir != null && !dir.isBlank()) {
            options = options.withStateDir(Path.of(dir));
        }
        if (System.getProperty(LOG_FORMAT_PROPERTY) == null) {
            // One line per engine log record, like the [#] lines around them.
            System.setProperty(LOG_FORMAT_PROPERTY, "[%4$s] %5$s%6$s%n");
        }
        CommandRunner runner = new ProcessCommandRunner();
        TunnelRun run = new TunnelRun(factory, runner, options, err);
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

    /** Empty if this process may configure the network (CAP_NET_ADMIN), else why not. */
    public static Optional<String> privilegeProblem() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                    return (caps & (1L << CAP_NET_ADMIN)) != 0 ? Optional.empty()
                            : Optional.of("must be run as root (needs CAP_NET_ADMIN)");
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.of("cannot check privileges: " + e.getMessage());
        }
        return Optional.of("cannot check privileges");
    }
}
