package io.wirefx.platform.windows;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Winsvc;
import com.sun.jna.platform.win32.WinNT;

import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Runs the service under the Service Control Manager: {@code StartServiceCtrlDispatcherW} on the calling (main)
 * thread, which blocks until the service has stopped; {@code ServiceMain} registers the control handler, reports
 * START_PENDING, runs {@code body} on its own thread and reports RUNNING once it called {@link #ready()}; STOP and
 * SHUTDOWN set the stop signal ({@link #awaitStop()}); when {@code body} returns, STOP_PENDING then STOPPED. The
 * status values come from {@link WindowsService.Lifecycle}. Windows only.
 */
public final class ScmServiceHost {

    /** The service's work; it calls {@link #ready()} when serving and returns after {@link #awaitStop()}. */
    public interface Body {
        void run(ScmServiceHost host) throws Exception;
    }

    // Native code calls these for the life of the process: strong references in fields.
    private final Winsvc.SERVICE_MAIN_FUNCTION serviceMain = this::serviceMain;
    private final Winsvc.HandlerEx handler = this::control;
    private final WindowsService.Lifecycle lifecycle = new WindowsService.Lifecycle();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Body body;
    private final Consumer<String> log;
    private volatile Winsvc.SERVICE_STATUS_HANDLE statusHandle;

    public ScmServiceHost(Body body, Consumer<String> log) {
        this.body = body;
        this.log = log;
    }

    /**
     * Connects to the SCM and serves; returns when the service stopped. Fails with error 1063
     * (ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) when started from a console instead of by the SCM.
     */
    public void run() throws WindowsException {
        Winsvc.SERVICE_TABLE_ENTRY entry = new Winsvc.SERVICE_TABLE_ENTRY();
        entry.lpServiceName = WindowsService.SERVICE_NAME;
        entry.lpServiceProc = serviceMain;
        Winsvc.SERVICE_TABLE_ENTRY[] table = (Winsvc.SERVICE_TABLE_ENTRY[]) entry.toArray(2);
        if (!Advapi32.INSTANCE.StartServiceCtrlDispatcher(table)) {
            throw new WindowsException("StartServiceCtrlDispatcherW", com.sun.jna.Native.getLastError());
        }
    }

    private void serviceMain(int argc, Pointer argv) {
        statusHandle = Advapi32.INSTANCE.RegisterServiceCtrlHandlerEx(WindowsService.SERVICE_NAME, handler, null);
        report(lifecycle.starting());
        int failure = 0;
        try {
            body.run(this);
        } catch (Exception | Error e) {
            log.accept("service failed: " + e);
            failure = 1;
        }
        report(lifecycle.stopping());
        report(lifecycle.stopped(failure));
    }

    private int control(int code, int eventType, Pointer eventData, Pointer context) {
        WindowsService.ControlResult r = lifecycle.control(code);
        if (r.beginStop()) {
            report(lifecycle.stopping());
            stop.countDown();
        } else if (code == WindowsService.SERVICE_CONTROL_INTERROGATE) {
            return WindowsService.NO_ERROR;
        }
        return r.handlerResult();
    }

    /** Reports RUNNING: tunnels restored, IPC listening. */
    public void ready() {
        report(lifecycle.running());
    }

    /** Blocks until the SCM asked the service to stop (STOP or SHUTDOWN). */
    public void awaitStop() throws InterruptedException {
        stop.await();
    }

    private void report(WindowsService.Status s) {
        Winsvc.SERVICE_STATUS st = new Winsvc.SERVICE_STATUS();
        st.dwServiceType = WinNT.SERVICE_WIN32_OWN_PROCESS;
        st.dwCurrentState = s.state();
        st.dwControlsAccepted = s.accepted();
        st.dwWin32ExitCode = s.exitCode();
        st.dwServiceSpecificExitCode = s.specificExitCode();
        st.dwCheckPoint = s.checkPoint();
        st.dwWaitHint = s.waitHintMillis();
        if (statusHandle != null && !Advapi32.INSTANCE.SetServiceStatus(statusHandle, st)) {
            log.accept("SetServiceStatus failed: error " + com.sun.jna.Native.getLastError());
        }
    }
}
