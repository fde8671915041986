package io.wirefx.daemon.userspace;

import io.wirefx.daemon.uapi.UapiServer;
import io.wirefx.tun.TunDriver;
import io.wirefx.platform.LocalEndpoints;
import io.wirefx.platform.Platform;
import io.wirefx.platform.PlatformUnavailableException;
import io.wirefx.platform.Platforms;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * {@code wirefx-userspace [-f|--foreground] IFNAME}: WireFX as a drop-in for wireguard-go (reference §7.1), e.g. as
 * {@code WG_QUICK_USERSPACE_IMPLEMENTATION} for wg-quick. Creates the TUN interface and the UAPI socket
 * {@code /var/run/wireguard/IFNAME.sock}, then runs until SIGINT/SIGTERM, removal of the interface or deletion of
 * the socket.
 *
 * <p>A JVM cannot fork, so detaching is done by {@code bin/wirefx-userspace}: it starts this class in the
 * background and waits for the readiness line written to the FIFO named by {@code WIREFX_READY_FIFO}
 * ({@code ok IFNAME}, or {@code error MESSAGE}). This class itself always runs in the foreground.
 *
 * <p>Environment: {@code LOG_LEVEL} = {@code verbose}|{@code error}|{@code silent} (stderr);
 * {@code WIREFX_READY_FIFO} (set by the script); {@code WIREFX_DISCARD_LOG_AFTER_READY=1} (set by the script when a
 * detached daemon's stderr only serves start-up errors); {@code WIREFX_UAPI_DIR} overrides the socket directory
 * (tests only: {@code wg} looks in {@code /var/run/wireguard}); {@code WG_TUN_NAME_FILE} (set by wg-quick on macOS,
 * which runs {@code wirefx-userspace utun}): the file to write the interface name the kernel gave to, as
 * wireguard-go does.
 *
 * <p>Exit codes: 0 after a normal stop, 1 if start-up failed, 2 usage error.
 */
public final class UserspaceMain {

    static final String TUN_NAME_FILE_ENV = "WG_TUN_NAME_FILE";
    static final int OK = 0;
    static final int SETUP_FAILED = 1;
    static final int USAGE = 2;
    private static final String VERSION = "0.1.0-SNAPSHOT";
    /** Held so that its level is not lost to garbage collection. */
    private static final java.util.logging.Logger OWN_LOGGER = java.util.logging.Logger.getLogger("io.wirefx");

    private UserspaceMain() {
    }

    /** Parsed command line. */
    record Args(boolean foreground, String interfaceName) {
        /** Returns null and prints why on a usage error. */
        static Args parse(String[] args, PrintStream err) {
            boolean fg = false;
            String name = null;
            for (String a : args) {
                if (a.equals("-f") || a.equals("--foreground")) {
                    fg = true;
                } else if (a.startsWith("-") || name != null) {
                    usage(err);
                    return null;
                } else {
                    name = a;
                }
            }
            if (name == null) {
                usage(err);
                return null;
            }
            return new Args(fg, name);
        }
    }

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-v"))) {
            System.out.println("wirefx-userspace v" + VERSION + " (WireFX, a drop-in for wireguard-go)");
            System.exit(OK);
        }
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            usage(System.out);
            System.exit(OK);
        }
        Args parsed = Args.parse(args, System.err);
        if (parsed == null) {
            System.exit(USAGE);
        }
        Log log = new Log(Log.Level.fromEnvironment(System.getenv("LOG_LEVEL")), parsed.interfaceName(), System.err);
        routeLibraryLogging(log);
        Platform platform;
        try {
            platform = Platforms.current();
        } catch (PlatformUnavailableException e) {
            log.error(e.getMessage());
            System.exit(SETUP_FAILED);
            return;
        }
        System.exit(run(parsed, System.getenv(), platform.tunDriver(), platform.endpoints(), EngineBackend::start, log));
    }

    /** Runs one daemon until it stops; returns the exit code. Env: see the class comment. */
    static int run(Args args, Map<String, String> env, TunDriver driver, LocalEndpoints endpoints,
            Backend.Factory backends, Log log) {
        String fifo = env.get("WIREFX_READY_FIFO");
        Path uapiDir = env.containsKey("WIREFX_UAPI_DIR") ? Path.of(env.get("WIREFX_UAPI_DIR"))
                : UapiServer.DEFAULT_DIRECTORY;
        log.debug("Starting wirefx-userspace v" + VERSION + " (Java " + Runtime.version() + ")");

        UserspaceDaemon daemon;
        try {
            daemon = UserspaceDaemon.start(args.interfaceName(), UserspaceDaemon.DEFAULT_MTU, uapiDir, driver,
                    endpoints, backends, log);
        } catch (IOException | RuntimeException e) {
            String msg = "Failed to start " + args.interfaceName() + ": " + describe(e);
            log.error(msg);
            signal(fifo, "error " + msg, log);
            return SETUP_FAILED;
        }
        String nameFile = env.get(TUN_NAME_FILE_ENV);
        if (nameFile != null && !nameFile.isEmpty()) {
            // wg-quick on macOS asks for "utun" and learns the unit the kernel chose from this file
            try {
                Files.writeString(Path.of(nameFile), daemon.interfaceName() + "\n", StandardCharsets.US_ASCII);
            } catch (IOException e) {
                String msg = "Failed to write " + TUN_NAME_FILE_ENV + " " + nameFile + ": " + describe(e);
                log.error(msg);
                signal(fifo, "error " + msg, log);
                daemon.close();
                return SETUP_FAILED;
            }
        }
        Thread hook = Thread.ofPlatform().unstarted(() -> {
            daemon.requestStop("signal");
            daemon.close(); // waits for the main thread's close if that one is first
        });
        Runtime.getRuntime().addShutdownHook(hook);

        log.debug("Device started");
        if (fifo != null) {
            // A separate thread: opening a FIFO whose reader is gone would block forever.
            boolean discard = "1".equals(env.get("WIREFX_DISCARD_LOG_AFTER_READY"));
            Thread.ofPlatform().daemon().name("ready-signal").start(() -> {
                if (discard) {
                    log.discard(); // first: once the launcher has the line it deletes the file behind stderr
                }
                signal(fifo, "ok " + daemon.interfaceName(), log);
            });
        }
        String reason;
        try {
            reason = daemon.awaitStop();
        } catch (InterruptedException e) {
            reason = "interrupted";
        }
        log.debug("Shutting down: " + reason);
        daemon.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running (signal): it finds the daemon closed
        }
        return OK;
    }

    /**
     * The engine and drivers log through {@link System.Logger}, i.e. java.util.logging by default: send their records
     * to the daemon log, filtered by its level (warnings and errors as ERROR, the rest as DEBUG when verbose).
     */
    static void routeLibraryLogging(Log log) {
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        for (java.util.logging.Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        // Debug records only from WireFX's own code, not from the JDK or JNA.
        root.setLevel(log.level() == Log.Level.SILENT ? java.util.logging.Level.OFF : java.util.logging.Level.WARNING);
        OWN_LOGGER.setLevel(switch (log.level()) {
            case VERBOSE -> java.util.logging.Level.FINE;
            case ERROR -> java.util.logging.Level.WARNING;
            case SILENT -> java.util.logging.Level.OFF;
        });
        java.util.logging.Formatter format = new java.util.logging.SimpleFormatter();
        root.addHandler(new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                String msg = format.formatMessage(r);
                if (r.getThrown() != null) {
                    msg += ": " + r.getThrown();
                }
                if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    log.error(msg);
                } else {
                    log.debug(msg);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    private static void signal(String fifo, String line, Log log) {
        if (fifo == null) {
            return;
        }
        try (OutputStream out = Files.newOutputStream(Path.of(fifo), StandardOpenOption.WRITE)) {
            out.write((line.replaceAll("[\\r\\n]+", " ") + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            log.error("Cannot signal readiness on " + fifo + ": " + e.getMessage());
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static void usage(PrintStream out) {
        out.println("Usage: wirefx-userspace [-f|--foreground] INTERFACE-NAME");
        out.println("  Runs a WireGuard interface with the WireFX engine; configure it with wg(8) or wg-quick(8).");
        out.println("  Environment: WG_PROCESS_FOREGROUND=1 (stay in the foreground), LOG_LEVEL=verbose|error|silent");
    }
}
