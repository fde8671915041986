package io.wirefx.platform.windows;

import com.sun.jna.Native;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.Winsvc;

import java.util.function.IntUnaryOperator;

/**
 * {@link ScmServiceHost.Scm} through advapi32 (jna-platform's mappings). One instance serves one service: it keeps the
 * callbacks the SCM holds for the life of the process and the status handle. Windows only.
 */
final class NativeScm implements ScmServiceHost.Scm {

    // Native code calls these for the life of the process: strong references in fields.
    private Winsvc.SERVICE_MAIN_FUNCTION serviceMain;
    private Winsvc.HandlerEx handler;
    private volatile Winsvc.SERVICE_STATUS_HANDLE statusHandle;

    @Override
    public void dispatch(String serviceName, Runnable main) throws WindowsException {
        serviceMain = (argc, argv) -> main.run();
        Winsvc.SERVICE_TABLE_ENTRY entry = new Winsvc.SERVICE_TABLE_ENTRY();
        entry.lpServiceName = serviceName;
        entry.lpServiceProc = serviceMain;
        Winsvc.SERVICE_TABLE_ENTRY[] table = (Winsvc.SERVICE_TABLE_ENTRY[]) entry.toArray(2);
        if (!Advapi32.INSTANCE.StartServiceCtrlDispatcher(table)) {
            throw new WindowsException("StartServiceCtrlDispatcherW", Native.getLastError());
        }
    }

    @Override
    public void registerHandler(String serviceName, IntUnaryOperator control) throws WindowsException {
        handler = (code, eventType, eventData, context) -> control.applyAsInt(code);
        Winsvc.SERVICE_STATUS_HANDLE h = Advapi32.INSTANCE.RegisterServiceCtrlHandlerEx(serviceName, handler, null);
        if (h == null) {
            throw new WindowsException("RegisterServiceCtrlHandlerExW", Native.getLastError());
        }
        statusHandle = h;
    }

    @Override
    public void report(WindowsService.Status s) throws WindowsException {
        Winsvc.SERVICE_STATUS st = new Winsvc.SERVICE_STATUS();
        st.dwServiceType = WinNT.SERVICE_WIN32_OWN_PROCESS;
        st.dwCurrentState = s.state();
        st.dwControlsAccepted = s.accepted();
        st.dwWin32ExitCode = s.exitCode();
        st.dwServiceSpecificExitCode = s.specificExitCode();
        st.dwCheckPoint = s.checkPoint();
        st.dwWaitHint = s.waitHintMillis();
        Winsvc.SERVICE_STATUS_HANDLE h = statusHandle;
        if (h != null && !Advapi32.INSTANCE.SetServiceStatus(h, st)) {
            throw new WindowsException("SetServiceStatus", Native.getLastError());
        }
    }

    @Override
    public void install(WindowsService.Registration registration) throws WindowsException {
        ScmInstaller.install(registration);
    }

    @Override
    public void uninstall(String serviceName) throws WindowsException {
        ScmInstaller.uninstall(serviceName);
    }
}
