package io.wirefx.tun.windows;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@link WintunApi} bound to {@code wintun.dll} and {@code kernel32.dll} with JNA direct mapping (no proxies, no
 * varargs: the receive and send calls are on the packet path). The DLL is loaded by absolute path with
 * {@code LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR | LOAD_LIBRARY_SEARCH_SYSTEM32}, so its own imports resolve only from its
 * directory and System32. Works on Windows only; {@link #load} fails elsewhere.
 */
final class WintunLibrary implements WintunApi {

    static final int LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR = 0x100;
    static final int LOAD_LIBRARY_SEARCH_SYSTEM32 = 0x800;

    private static WintunLibrary instance; // direct mapping registers the natives once per process

    private WintunLibrary() {
    }

    /** Binds the verified DLL at {@code dll} (absolute); later calls return the same binding. */
    static synchronized WintunLibrary load(Path dll) {
        if (instance == null) {
            if (!dll.isAbsolute()) {
                throw new IllegalArgumentException("wintun.dll must be loaded by absolute path: " + dll);
            }
            NativeLibrary wintun = NativeLibrary.getInstance(dll.toString(), Map.of(Library.OPTION_OPEN_FLAGS,
                    LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR | LOAD_LIBRARY_SEARCH_SYSTEM32));
            Native.register(Wintun.class, wintun);
            Native.register(Kernel32.class, NativeLibrary.getInstance("kernel32",
                    Map.of(Library.OPTION_OPEN_FLAGS, LOAD_LIBRARY_SEARCH_SYSTEM32)));
            instance = new WintunLibrary();
        }
        return instance;
    }

    /** wintun.h, direct-mapped. */
    private static final class Wintun {
        static native Pointer WintunCreateAdapter(Pointer name, Pointer tunnelType, Pointer requestedGuid);

        static native Pointer WintunOpenAdapter(Pointer name);

        static native void WintunCloseAdapter(Pointer adapter);

        static native void WintunGetAdapterLUID(Pointer adapter, Pointer luid);

        static native int WintunGetRunningDriverVersion();

        static native void WintunSetLogger(WintunLog.Callback callback);

        static native Pointer WintunStartSession(Pointer adapter, int capacity);

        static native void WintunEndSession(Pointer session);

        static native Pointer WintunGetReadWaitEvent(Pointer session);

        static native Pointer WintunReceivePacket(Pointer session, Pointer packetSize);

        static native void WintunReleaseReceivePacket(Pointer session, Pointer packet);

        static native Pointer WintunAllocateSendPacket(Pointer session, int packetSize);

        static native void WintunSendPacket(Pointer session, Pointer packet);
    }

    /** The kernel32 event calls, direct-mapped ({@code BOOL} as int). */
    private static final class Kernel32 {
        static native Pointer CreateEventW(Pointer attributes, int manualReset, int initialState, Pointer name);

        static native int SetEvent(Pointer event);

        static native int WaitForMultipleObjects(int count, Pointer handles, int waitAll, int milliseconds);

        static native int CloseHandle(Pointer handle);
    }

    @Override
    public Pointer createAdapter(String name, String tunnelType, Guid requestedGuid) {
        try (Memory n = Wide.of(name); Memory t = Wide.of(tunnelType); Memory g = new Memory(16)) {
            g.write(0, requestedGuid.toBytes(), 0, 16);
            return Wintun.WintunCreateAdapter(n, t, g);
        }
    }

    @Override
    public Pointer openAdapter(String name) {
        try (Memory n = Wide.of(name)) {
            return Wintun.WintunOpenAdapter(n);
        }
    }

    @Override
    public void closeAdapter(Pointer adapter) {
        Wintun.WintunCloseAdapter(adapter);
    }

    @Override
    public long adapterLuid(Pointer adapter) {
        try (Memory luid = new Memory(8)) {
            Wintun.WintunGetAdapterLUID(adapter, luid);
            return luid.getLong(0);
        }
    }

    @Override
    public int runningDriverVersion() {
        return Wintun.WintunGetRunningDriverVersion();
    }

    @Override
    public Pointer startSession(Pointer adapter, int capacity) {
        return Wintun.WintunStartSession(adapter, capacity);
    }

    @Override
    public void endSession(Pointer session) {
        Wintun.WintunEndSession(session);
    }

    @Override
    public Pointer readWaitEvent(Pointer session) {
        return Wintun.WintunGetReadWaitEvent(session);
    }

    @Override
    public Pointer receivePacket(Pointer session, Pointer sizeOut) {
        return Wintun.WintunReceivePacket(session, sizeOut);
    }

    @Override
    public void releaseReceivePacket(Pointer session, Pointer packet) {
        Wintun.WintunReleaseReceivePacket(session, packet);
    }

    @Override
    public Pointer allocateSendPacket(Pointer session, int size) {
        return Wintun.WintunAllocateSendPacket(session, size);
    }

    @Override
    public void sendPacket(Pointer session, Pointer packet) {
        Wintun.WintunSendPacket(session, packet);
    }

    @Override
    public void setLogger(WintunLog.Callback callback) {
        Wintun.WintunSetLogger(callback);
    }

    @Override
    public Pointer createEvent(boolean manualReset) {
        return Kernel32.CreateEventW(null, manualReset ? 1 : 0, 0, null);
    }

    @Override
    public boolean setEvent(Pointer event) {
        return Kernel32.SetEvent(event) != 0;
    }

    @Override
    public int waitAny(Pointer first, Pointer second, int timeoutMillis) {
        try (Memory handles = new Memory(2L * Native.POINTER_SIZE)) {
            handles.setPointer(0, first);
            handles.setPointer(Native.POINTER_SIZE, second);
            return Kernel32.WaitForMultipleObjects(2, handles, 0, timeoutMillis);
        }
    }

    @Override
    public void closeHandle(Pointer handle) {
        Kernel32.CloseHandle(handle);
    }

    @Override
    public int lastError() {
        return Native.getLastError();
    }
}
