package io.wirefx.platform.windows;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.Win32Exception;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import io.wirefx.tun.windows.Wide;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link PipeApi} on kernel32/advapi32: overlapped pipe handles (each operation waits on its own event, so one thread
 * can read while another writes), the security descriptor built from SDDL, the client's token read while
 * impersonating it (enabled, non-deny-only groups; elevation). Windows only.
 */
public final class Win32Pipes implements PipeApi {

    static final int ERROR_BROKEN_PIPE = 109;
    static final int ERROR_PIPE_NOT_CONNECTED = 233;
    static final int ERROR_PIPE_CONNECTED = 535;
    static final int ERROR_IO_PENDING = 997;
    static final int PIPE_UNLIMITED_INSTANCES = 255;
    static final int BUFFER = 65536;
    static final int TOKEN_QUERY = 0x8;
    static final int TOKEN_GROUPS = 2;
    static final int TOKEN_ELEVATION = 20;
    static final int SE_GROUP_ENABLED = 0x4;
    static final int SE_GROUP_USE_FOR_DENY_ONLY = 0x10;

    static {
        Map<String, Object> sys32 = Map.of(Library.OPTION_OPEN_FLAGS, 0x800);
        Native.register(Natives.class, NativeLibrary.getInstance("advapi32", sys32));
        Native.register(KernelNatives.class, NativeLibrary.getInstance("kernel32", sys32));
    }

    private static final class Natives {
        static native int ImpersonateNamedPipeClient(Pointer pipe);

        static native int ConvertStringSecurityDescriptorToSecurityDescriptorW(Pointer sddl, int revision,
                                                                                PointerByReference sd,
                                                                                IntByReference size);

        static native int GetTokenInformation(Pointer token, int infoClass, Pointer buffer, int length,
                                              IntByReference returned);
    }

    private static final class KernelNatives {
        static native int CancelIoEx(Pointer handle, Pointer overlapped);

        static native Pointer LocalFree(Pointer p);

        static native int GetOverlappedResult(Pointer handle, Pointer overlapped, IntByReference transferred,
                                              int wait);

        // Native buffers: the kernel fills them after the call returns (a JNA byte[] copy would be gone by then).
        static native int ReadFile(Pointer handle, Pointer buffer, int length, Pointer read, Pointer overlapped);

        static native int WriteFile(Pointer handle, Pointer buffer, int length, Pointer written,
                                    Pointer overlapped);
    }

    private static WinNT.HANDLE h(long pipe) {
        return new WinNT.HANDLE(new Pointer(pipe));
    }

    @Override
    public long create(String name, String sddl, boolean first) throws IOException {
        PointerByReference sd = new PointerByReference();
        try (Memory s = Wide.of(sddl)) {
            if (Natives.ConvertStringSecurityDescriptorToSecurityDescriptorW(s, 1, sd, new IntByReference()) == 0) {
                throw new WindowsException("ConvertStringSecurityDescriptorToSecurityDescriptorW",
                        Native.getLastError());
            }
        }
        try {
            WinBase.SECURITY_ATTRIBUTES sa = new WinBase.SECURITY_ATTRIBUTES();
            sa.lpSecurityDescriptor = sd.getValue();
            int openMode = PipeSecurity.PIPE_ACCESS_DUPLEX | PipeSecurity.FILE_FLAG_OVERLAPPED
                    | (first ? PipeSecurity.FILE_FLAG_FIRST_PIPE_INSTANCE : 0);
            WinNT.HANDLE pipe = Kernel32.INSTANCE.CreateNamedPipe(name, openMode, PipeSecurity.PIPE_MODE,
                    PIPE_UNLIMITED_INSTANCES, BUFFER, BUFFER, 0, sa);
            if (pipe == null || WinBase.INVALID_HANDLE_VALUE.equals(pipe)) {
                throw new WindowsException("CreateNamedPipeW " + name, Native.getLastError());
            }
            return Pointer.nativeValue(pipe.getPointer());
        } finally {
            KernelNatives.LocalFree(sd.getValue());
        }
    }

    /** Runs one overlapped operation to completion; returns the bytes transferred, or -1 if the client is gone. */
    private interface Op {
        boolean start(WinBase.OVERLAPPED ov);
    }

    private static int overlapped(long pipe, String call, Op op) throws IOException {
        WinNT.HANDLE event = Kernel32.INSTANCE.CreateEvent(null, true, false, null);
        try {
            WinBase.OVERLAPPED ov = new WinBase.OVERLAPPED();
            ov.hEvent = event;
            ov.write();
            if (!op.start(ov)) {
                int err = Native.getLastError();
                if (err == ERROR_PIPE_CONNECTED) {
                    return 0;
                }
                if (err == ERROR_BROKEN_PIPE || err == ERROR_PIPE_NOT_CONNECTED) {
                    return -1;
                }
                if (err != ERROR_IO_PENDING) {
                    throw new WindowsException(call, err);
                }
            }
            IntByReference n = new IntByReference();
            if (KernelNatives.GetOverlappedResult(new Pointer(pipe), ov.getPointer(), n, 1) == 0) {
                int err = Native.getLastError();
                if (err == ERROR_BROKEN_PIPE || err == ERROR_PIPE_NOT_CONNECTED) {
                    return -1;
                }
                throw new WindowsException(call, err);
            }
            return n.getValue();
        } finally {
            Kernel32.INSTANCE.CloseHandle(event);
        }
    }

    @Override
    public void connect(long pipe) throws IOException {
        if (overlapped(pipe, "ConnectNamedPipe", ov -> Kernel32.INSTANCE.ConnectNamedPipe(h(pipe), ov)) < 0) {
            throw new IOException("client left before the connection completed");
        }
    }

    @Override
    public void cancel(long pipe) {
        KernelNatives.CancelIoEx(new Pointer(pipe), null);
    }

    @Override
    public int read(long pipe, ByteBuffer dst) throws IOException {
        int len = Math.min(dst.remaining(), BUFFER);
        try (Memory buf = new Memory(Math.max(len, 1))) {
            int n = overlapped(pipe, "ReadFile",
                    ov -> KernelNatives.ReadFile(new Pointer(pipe), buf, len, null, ov.getPointer()) != 0);
            if (n > 0) {
                dst.put(buf.getByteArray(0, n));
            }
            return n == 0 && len > 0 ? -1 : n;
        }
    }

    @Override
    public int write(long pipe, ByteBuffer src) throws IOException {
        int total = 0;
        while (src.hasRemaining()) {
            int len = Math.min(src.remaining(), BUFFER);
            byte[] chunk = new byte[len];
            src.get(chunk);
            try (Memory buf = new Memory(len)) {
                buf.write(0, chunk, 0, len);
                int n = overlapped(pipe, "WriteFile",
                        ov -> KernelNatives.WriteFile(new Pointer(pipe), buf, len, null, ov.getPointer()) != 0);
                if (n < 0) {
                    throw new IOException("the client closed the pipe");
                }
                total += n;
            }
        }
        return total;
    }

    @Override
    public TokenView clientToken(long pipe) throws IOException {
        if (Natives.ImpersonateNamedPipeClient(new Pointer(pipe)) == 0) {
            throw new WindowsException("ImpersonateNamedPipeClient", Native.getLastError());
        }
        WinNT.HANDLEByReference token = new WinNT.HANDLEByReference();
        try {
            if (!Advapi32.INSTANCE.OpenThreadToken(Kernel32.INSTANCE.GetCurrentThread(), TOKEN_QUERY, true, token)) {
                throw new WindowsException("OpenThreadToken", Native.getLastError());
            }
        } finally {
            Advapi32.INSTANCE.RevertToSelf();
        }
        try {
            return read(token.getValue());
        } finally {
            Kernel32.INSTANCE.CloseHandle(token.getValue());
        }
    }

    private static TokenView read(WinNT.HANDLE token) throws WindowsException {
        Advapi32Util.Account user = Advapi32Util.getTokenAccount(token);
        Memory elevation = new Memory(4);
        IntByReference len = new IntByReference();
        if (Natives.GetTokenInformation(token.getPointer(), TOKEN_ELEVATION, elevation, 4, len) == 0) {
            throw new WindowsException("GetTokenInformation(TokenElevation)", Native.getLastError());
        }
        Natives.GetTokenInformation(token.getPointer(), TOKEN_GROUPS, null, 0, len);
        Memory groups = new Memory(Math.max(len.getValue(), 8));
        if (Natives.GetTokenInformation(token.getPointer(), TOKEN_GROUPS, groups, (int) groups.size(), len) == 0) {
            throw new WindowsException("GetTokenInformation(TokenGroups)", Native.getLastError());
        }
        Set<String> enabled = new HashSet<>();
        int count = groups.getInt(0);
        for (int i = 0; i < count; i++) {
            long entry = 8L + 16L * i; // SID_AND_ATTRIBUTES { PSID Sid; DWORD Attributes; } on x64
            int attributes = groups.getInt(entry + 8);
            if ((attributes & SE_GROUP_ENABLED) != 0 && (attributes & SE_GROUP_USE_FOR_DENY_ONLY) == 0) {
                enabled.add(Advapi32Util.convertSidToStringSid(new WinNT.PSID(groups.getPointer(entry))));
            }
        }
        String name = user.domain == null || user.domain.isEmpty() ? user.name : user.domain + "\\" + user.name;
        boolean elevated = elevation.getInt(0) != 0;
        String sid = user.sidString;
        return new TokenView() {
            @Override
            public String userName() {
                return name;
            }

            @Override
            public String userSid() {
                return sid;
            }

            @Override
            public boolean elevated() {
                return elevated;
            }

            @Override
            public Set<String> enabledGroupSids() {
                return Set.copyOf(enabled);
            }
        };
    }

    @Override
    public void close(long pipe) {
        Kernel32.INSTANCE.DisconnectNamedPipe(h(pipe));
        Kernel32.INSTANCE.CloseHandle(h(pipe));
    }

    @Override
    public Optional<String> groupSid(String name) {
        try {
            return Optional.of(Advapi32Util.getAccountByName(name).sidString);
        } catch (Win32Exception e) {
            return Optional.empty();
        }
    }
}
