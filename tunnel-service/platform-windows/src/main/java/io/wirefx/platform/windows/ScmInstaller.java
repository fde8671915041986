package io.wirefx.platform.windows;

import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Winsvc;

/**
 * {@code wirefx-service install|uninstall}: registers the service from a {@link WindowsService.Registration}
 * ({@code CreateServiceW} as LocalSystem, automatic start, then description and unrestricted service SID through
 * {@code ChangeServiceConfig2W}) or stops and deletes it. Windows only; run elevated (the installer does).
 */
public final class ScmInstaller {

    static final int SC_MANAGER_ALL_ACCESS = 0xF003F;
    static final int SERVICE_ALL_ACCESS = 0xF01FF;
    static final int SERVICE_CONFIG_DESCRIPTION = 1;
    static final int SERVICE_CONFIG_SERVICE_SID_INFO = 5;

    private ScmInstaller() {
    }

    /** Creates the service. */
    public static void install(WindowsService.Registration r) throws WindowsException {
        Winsvc.SC_HANDLE scm = Advapi32.INSTANCE.OpenSCManager(null, null, SC_MANAGER_ALL_ACCESS);
        if (scm == null) {
            throw new WindowsException("OpenSCManagerW", com.sun.jna.Native.getLastError());
        }
        try {
            Winsvc.SC_HANDLE svc = Advapi32.INSTANCE.CreateService(scm, r.name(), r.displayName(), SERVICE_ALL_ACCESS,
                    WindowsService.SERVICE_WIN32_OWN_PROCESS, WindowsService.SERVICE_AUTO_START,
                    WindowsService.SERVICE_ERROR_NORMAL, r.commandLine(), null, null, r.dependencyList(), null, null);
            if (svc == null) {
                throw new WindowsException("CreateServiceW", com.sun.jna.Native.getLastError());
            }
            try {
                Winsvc.SERVICE_DESCRIPTION d = new Winsvc.SERVICE_DESCRIPTION();
                d.lpDescription = r.description();
                Advapi32.INSTANCE.ChangeServiceConfig2(svc, SERVICE_CONFIG_DESCRIPTION, d);
                SidInfo sid = new SidInfo();
                sid.dwServiceSidType = WindowsService.SERVICE_SID_TYPE_UNRESTRICTED;
                if (!Advapi32.INSTANCE.ChangeServiceConfig2(svc, SERVICE_CONFIG_SERVICE_SID_INFO, sid)) {
                    throw new WindowsException("ChangeServiceConfig2W(SERVICE_SID_INFO)",
                            com.sun.jna.Native.getLastError());
                }
            } finally {
                Advapi32.INSTANCE.CloseServiceHandle(svc);
            }
        } finally {
            Advapi32.INSTANCE.CloseServiceHandle(scm);
        }
    }

    /** Stops (if running) and deletes the service. */
    public static void uninstall(String name) throws WindowsException {
        Winsvc.SC_HANDLE scm = Advapi32.INSTANCE.OpenSCManager(null, null, SC_MANAGER_ALL_ACCESS);
        if (scm == null) {
            throw new WindowsException("OpenSCManagerW", com.sun.jna.Native.getLastError());
        }
        try {
            Winsvc.SC_HANDLE svc = Advapi32.INSTANCE.OpenService(scm, name, SERVICE_ALL_ACCESS);
            if (svc == null) {
                throw new WindowsException("OpenServiceW " + name, com.sun.jna.Native.getLastError());
            }
            try {
                Advapi32.INSTANCE.ControlService(svc, Winsvc.SERVICE_CONTROL_STOP, new Winsvc.SERVICE_STATUS());
                if (!Advapi32.INSTANCE.DeleteService(svc)) {
                    throw new WindowsException("DeleteService", com.sun.jna.Native.getLastError());
                }
            } finally {
                Advapi32.INSTANCE.CloseServiceHandle(svc);
            }
        } finally {
            Advapi32.INSTANCE.CloseServiceHandle(scm);
        }
    }

    /** {@code SERVICE_SID_INFO} (one DWORD; jna-platform has no mapping). */
    @com.sun.jna.Structure.FieldOrder({"dwServiceSidType"})
    public static class SidInfo extends Winsvc.ChangeServiceConfig2Info {
        public int dwServiceSidType;
    }
}
