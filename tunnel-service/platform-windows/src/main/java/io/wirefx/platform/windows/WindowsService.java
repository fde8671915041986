package io.wirefx.platform.windows;

import java.util.List;
import java.util.Objects;

/**
 * The WireFX Windows service: its registration and the status it reports to the Service Control Manager for each
 * step of its life. {@link ScmServiceHost} does the SCM calls; this class is the part that needs no Windows.
 */
public final class WindowsService {

    /** Service name ({@code sc.exe} and the per-service SID use it). */
    public static final String SERVICE_NAME = "WireFX";
    /** Display name. */
    public static final String DISPLAY_NAME = "WireFX Tunnel Service";
    /** Shown in services.msc. */
    public static final String DESCRIPTION = "Runs WireFX WireGuard tunnels for the WireFX app.";
    /** Services that must run first (as wireguard-windows: network store interface and TCP/IP). */
    public static final List<String> DEPENDENCIES = List.of("Nsi", "TcpIp");

    // winsvc.h
    public static final int SERVICE_WIN32_OWN_PROCESS = 0x10;
    public static final int SERVICE_AUTO_START = 2;
    public static final int SERVICE_ERROR_NORMAL = 1;
    public static final int SERVICE_SID_TYPE_UNRESTRICTED = 1;
    public static final int SERVICE_STOPPED = 1;
    public static final int SERVICE_START_PENDING = 2;
    public static final int SERVICE_STOP_PENDING = 3;
    public static final int SERVICE_RUNNING = 4;
    public static final int SERVICE_ACCEPT_STOP = 0x1;
    public static final int SERVICE_ACCEPT_SHUTDOWN = 0x4;
    public static final int SERVICE_CONTROL_STOP = 1;
    public static final int SERVICE_CONTROL_INTERROGATE = 4;
    public static final int SERVICE_CONTROL_SHUTDOWN = 5;
    public static final int NO_ERROR = 0;
    public static final int ERROR_CALL_NOT_IMPLEMENTED = 120;
    public static final int ERROR_SERVICE_SPECIFIC_ERROR = 1066;

    private WindowsService() {
    }

    /**
     * What {@code CreateServiceW} gets: an own-process service started automatically as LocalSystem (null account),
     * with a quoted command line, then {@code ChangeServiceConfig2W} for the description and an unrestricted
     * per-service SID (which the kill switch's permit filter matches).
     *
     * @param commandLine the quoted executable and its arguments
     */
    public record Registration(String name, String displayName, String description, String commandLine,
                               List<String> dependencies) {
        public Registration {
            Objects.requireNonNull(commandLine);
            dependencies = List.copyOf(dependencies);
        }

        /** Dependencies as the double-NUL-terminated list {@code CreateServiceW} takes (JNA adds the last NUL). */
        public String dependencyList() {
            return String.join("\0", dependencies) + "\0";
        }
    }

    /**
     * The registration for a service run by {@code javaExe} with these JVM/launcher arguments. Every element is quoted
     * so paths with spaces ({@code C:\Program Files\...}) cannot be split into another executable.
     */
    public static Registration registration(String javaExe, List<String> arguments) {
        StringBuilder cmd = new StringBuilder(quote(javaExe));
        arguments.forEach(a -> cmd.append(' ').append(quote(a)));
        return new Registration(SERVICE_NAME, DISPLAY_NAME, DESCRIPTION, cmd.toString(), DEPENDENCIES);
    }

    /** Quotes one command-line argument the way {@code CommandLineToArgvW} reads it back. */
    static String quote(String arg) {
        if (arg.contains("\"")) {
            throw new IllegalArgumentException("quote in a service argument: " + arg);
        }
        return "\"" + (arg.endsWith("\\") ? arg + "\\" : arg) + "\"";
    }

    /**
     * A {@code SERVICE_STATUS} report.
     *
     * @param state       SERVICE_* state
     * @param accepted    SERVICE_ACCEPT_* flags
     * @param exitCode    win32 exit code
     * @param specificExitCode service-specific code (with ERROR_SERVICE_SPECIFIC_ERROR)
     * @param checkPoint  progress counter while pending
     * @param waitHintMillis how long until the next report while pending
     */
    public record Status(int state, int accepted, int exitCode, int specificExitCode, int checkPoint,
                         int waitHintMillis) {
    }

    /** The SCM reports of the service's life; one instance per run, driven by the host. */
    public static final class Lifecycle {
        private int checkPoint;
        private int state = SERVICE_STOPPED;
        private boolean stopRequested;

        /** Starting: no controls accepted yet; call again (progress) while start-up takes long. */
        public synchronized Status starting() {
            state = SERVICE_START_PENDING;
            return new Status(state, 0, NO_ERROR, 0, ++checkPoint, 10_000);
        }

        /** Running: stop and shutdown accepted (what wireguard-windows' tunnel service accepts). */
        public synchronized Status running() {
            state = SERVICE_RUNNING;
            checkPoint = 0;
            return new Status(state, SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN, NO_ERROR, 0, 0, 0);
        }

        /** Stopping: tunnels are being taken down. */
        public synchronized Status stopping() {
            state = SERVICE_STOP_PENDING;
            return new Status(state, 0, NO_ERROR, 0, ++checkPoint, 15_000);
        }

        /** Stopped, cleanly ({@code failure == 0}) or with a service-specific failure code. */
        public synchronized Status stopped(int failure) {
            state = SERVICE_STOPPED;
            return failure == 0 ? new Status(state, 0, NO_ERROR, 0, 0, 0)
                    : new Status(state, 0, ERROR_SERVICE_SPECIFIC_ERROR, failure, 0, 0);
        }

        /**
         * Handles a control from {@code HandlerEx}: returns the handler's result, and whether the service must now
         * stop (STOP or SHUTDOWN, once).
         */
        public synchronized ControlResult control(int code) {
            return switch (code) {
                case SERVICE_CONTROL_STOP, SERVICE_CONTROL_SHUTDOWN -> {
                    boolean first = !stopRequested && state == SERVICE_RUNNING;
                    stopRequested = true;
                    yield new ControlResult(NO_ERROR, first);
                }
                case SERVICE_CONTROL_INTERROGATE -> new ControlResult(NO_ERROR, false);
                default -> new ControlResult(ERROR_CALL_NOT_IMPLEMENTED, false);
            };
        }

        /** The state last reported. */
        public synchronized int state() {
            return state;
        }
    }

    /** The result of a control. */
    public record ControlResult(int handlerResult, boolean beginStop) {
    }
}
