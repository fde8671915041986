package io.wirefx.platform.windows;

import io.wirefx.platform.ServiceHost;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;

/**
 * The service's host under the Windows Service Control Manager. {@link #run} calls {@code StartServiceCtrlDispatcherW}
 * on the calling (main) thread, which blocks until the service has stopped; the SCM then calls the service-main
 * callback on a thread of its own, which registers the control handler, reports START_PENDING and runs the service.
 * {@link #ready()} reports RUNNING, {@link #stopping()} STOP_PENDING, and when the service returns its exit code the
 * host reports STOPPED (a non-zero code as a service-specific error). STOP and SHUTDOWN report STOP_PENDING and call
 * the runnable given to {@link #onStopRequest}. The status values come from {@link WindowsService.Lifecycle}.
 *
 * <p>Started from a console rather than by the SCM, the dispatcher fails with
 * {@value #ERROR_FAILED_SERVICE_CONTROLLER_CONNECT}; then the service runs directly on this thread and reports
 * nothing (Ctrl+C ends it through the service's own signal handling).
 */
public final class ScmServiceHost implements ServiceHost {

    /** {@code ERROR_FAILED_SERVICE_CONTROLLER_CONNECT}: the process was not started by the SCM. */
    public static final int ERROR_FAILED_SERVICE_CONTROLLER_CONNECT = 1063;

    /** The SCM calls the host makes ({@link NativeScm} on Windows, a fake in tests). */
    public interface Scm {
        /**
         * {@code StartServiceCtrlDispatcherW}: blocks until the service stopped; {@code serviceMain} is called on
         * another thread in between.
         *
         * @throws WindowsException with {@link #ERROR_FAILED_SERVICE_CONTROLLER_CONNECT} when not started by the SCM
         */
        void dispatch(String serviceName, Runnable serviceMain) throws WindowsException;

        /** {@code RegisterServiceCtrlHandlerExW}: {@code handler} maps a control code to the handler's result. */
        void registerHandler(String serviceName, IntUnaryOperator handler) throws WindowsException;

        /** {@code SetServiceStatus}. */
        void report(WindowsService.Status status) throws WindowsException;

        /** {@code CreateServiceW} + {@code ChangeServiceConfig2W} ({@link ScmInstaller#install}). */
        void install(WindowsService.Registration registration) throws WindowsException;

        /** Stops and deletes the service ({@link ScmInstaller#uninstall}). */
        void uninstall(String serviceName) throws WindowsException;
    }

    private final Scm scm;
    private final String serviceName;
    private final Consumer<String> log;
    private final WindowsService.Lifecycle lifecycle = new WindowsService.Lifecycle();
    private volatile boolean underScm;
    private volatile Runnable stopAction;
    private volatile boolean stopRequested;

    public ScmServiceHost(Scm scm, String serviceName, Consumer<String> log) {
        this.scm = Objects.requireNonNull(scm, "scm");
        this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The WireFX service under the real SCM, logging to stderr. */
    public static ScmServiceHost forWireFx() {
        return new ScmServiceHost(new NativeScm(), WindowsService.SERVICE_NAME, System.err::println);
    }

    @Override
    public int run(IntSupplier service) {
        int[] exit = {0};
        try {
            scm.dispatch(serviceName, () -> exit[0] = serviceMain(service));
        } catch (WindowsException e) {
            if (e.code() == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) {
                return service.getAsInt();
            }
            throw new IllegalStateException("cannot connect to the service control manager: " + e.getMessage(), e);
        }
        return exit[0];
    }

    private int serviceMain(IntSupplier service) {
        try {
            scm.registerHandler(serviceName, this::control);
        } catch (WindowsException e) {
            log.accept("cannot register the service control handler: " + e.getMessage());
            return 1;
        }
        underScm = true;
        report(lifecycle.starting());
        int code;
        try {
            code = service.getAsInt();
        } catch (RuntimeException | Error e) {
            log.accept("service failed: " + e);
            code = 1;
        }
        report(lifecycle.stopping());
        report(lifecycle.stopped(code));
        return code;
    }

    /** The control handler: STOP and SHUTDOWN (once) report STOP_PENDING and ask the service to stop. */
    int control(int code) {
        WindowsService.ControlResult r = lifecycle.control(code);
        if (r.beginStop()) {
            report(lifecycle.stopping());
            requestStop();
        }
        return r.handlerResult();
    }

    private void requestStop() {
        Runnable action;
        synchronized (this) {
            stopRequested = true;
            action = stopAction;
        }
        if (action != null) {
            action.run();
        }
    }

    @Override
    public void onStopRequest(Runnable stop) {
        boolean already;
        synchronized (this) {
            stopAction = Objects.requireNonNull(stop);
            already = stopRequested;
        }
        if (already) {
            stop.run();
        }
    }

    /** Reports RUNNING: tunnels restored, IPC listening. */
    @Override
    public void ready() {
        if (underScm) {
            report(lifecycle.running());
        }
    }

    /** Reports STOP_PENDING: tunnels are being taken down. */
    @Override
    public void stopping() {
        if (underScm && lifecycle.state() != WindowsService.SERVICE_STOPPED) {
            report(lifecycle.stopping());
        }
    }

    /** Under the SCM a service has no console: its stderr goes nowhere. */
    @Override
    public boolean keepsOutput() {
        return !underScm;
    }

    @Override
    public String describe() {
        return underScm ? "Windows service " + serviceName + " (SCM)" : "console (not started by the SCM)";
    }

    /**
     * Registers the service to run {@code command} (the executable and its arguments, each quoted in the
     * registration), started automatically as LocalSystem.
     */
    @Override
    public void install(List<String> command) throws java.io.IOException {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command to register");
        }
        WindowsService.Registration r = WindowsService.registration(command.get(0), command.subList(1,
                command.size()));
        scm.install(r);
        log.accept("installed service " + r.name() + ": " + r.commandLine());
    }

    /** Stops (if running) and deletes the service. */
    @Override
    public void uninstall() throws java.io.IOException {
        scm.uninstall(serviceName);
        log.accept("uninstalled service " + serviceName);
    }

    private void report(WindowsService.Status s) {
        try {
            scm.report(s);
        } catch (WindowsException e) {
            log.accept("SetServiceStatus failed: " + e.getMessage());
        }
    }
}
