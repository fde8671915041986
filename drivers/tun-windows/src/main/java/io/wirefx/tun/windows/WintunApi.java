package io.wirefx.tun.windows;

import com.sun.jna.Pointer;

/**
 * The native calls the Wintun driver makes: the Wintun API (wintun.h) plus the few kernel32 event calls around it.
 * {@link WintunLibrary} binds them to {@code wintun.dll} and {@code kernel32.dll}; tests supply an in-memory ring with
 * the same semantics, so {@link WintunDevice}'s batching, waiting, ring-full and close logic runs on any OS.
 *
 * <p>Handles are opaque {@link Pointer}s. Packet pointers point at native memory the caller copies from or into.
 * Calls that can fail return {@code null} (or {@code false}) and leave the Win32 error for {@link #lastError()}, which
 * must be read on the same thread right after the failing call.
 */
public interface WintunApi {

    /** {@code ERROR_HANDLE_EOF}: the adapter is terminating. */
    int ERROR_HANDLE_EOF = 38;
    /** {@code ERROR_INVALID_DATA}: the ring is corrupt. */
    int ERROR_INVALID_DATA = 13;
    /** {@code ERROR_BUFFER_OVERFLOW}: the send ring is full. */
    int ERROR_BUFFER_OVERFLOW = 111;
    /** {@code ERROR_NO_MORE_ITEMS}: the receive ring is empty. */
    int ERROR_NO_MORE_ITEMS = 259;
    /** {@code ERROR_ALREADY_EXISTS}. */
    int ERROR_ALREADY_EXISTS = 183;
    /** {@code ERROR_FILE_NOT_FOUND}. */
    int ERROR_FILE_NOT_FOUND = 2;

    /** {@code WAIT_OBJECT_0}: the first handle of {@link #waitAny} was signalled (+1 for the second). */
    int WAIT_OBJECT_0 = 0;
    /** {@code WAIT_TIMEOUT}. */
    int WAIT_TIMEOUT = 0x102;
    /** {@code WAIT_FAILED}. */
    int WAIT_FAILED = 0xFFFFFFFF;
    /** {@code INFINITE} timeout. */
    int INFINITE = 0xFFFFFFFF;

    /** {@code WintunCreateAdapter(name, tunnelType, &guid)}; null on failure. */
    Pointer createAdapter(String name, String tunnelType, Guid requestedGuid);

    /** {@code WintunOpenAdapter(name)}; null on failure (ERROR_FILE_NOT_FOUND if there is none of that name). */
    Pointer openAdapter(String name);

    /** {@code WintunCloseAdapter}: releases the handle; removes the adapter if this handle created it. */
    void closeAdapter(Pointer adapter);

    /** {@code WintunGetAdapterLUID}, as the 64-bit value of the {@code NET_LUID}. */
    long adapterLuid(Pointer adapter);

    /** {@code WintunGetRunningDriverVersion}; 0 if the driver is not loaded. */
    int runningDriverVersion();

    /** {@code WintunStartSession(adapter, capacity)}; null on failure. */
    Pointer startSession(Pointer adapter, int capacity);

    /** {@code WintunEndSession}: frees the rings; no thread may be inside a session call. */
    void endSession(Pointer session);

    /** {@code WintunGetReadWaitEvent}: signalled when the receive ring gets data after a receive found it empty. */
    Pointer readWaitEvent(Pointer session);

    /**
     * {@code WintunReceivePacket(session, &size)}: the next packet, its size stored as a DWORD at {@code sizeOut};
     * null with ERROR_NO_MORE_ITEMS, ERROR_HANDLE_EOF or ERROR_INVALID_DATA.
     */
    Pointer receivePacket(Pointer session, Pointer sizeOut);

    /** {@code WintunReleaseReceivePacket}. */
    void releaseReceivePacket(Pointer session, Pointer packet);

    /** {@code WintunAllocateSendPacket}: room for a packet; null with ERROR_BUFFER_OVERFLOW (full) or HANDLE_EOF. */
    Pointer allocateSendPacket(Pointer session, int size);

    /** {@code WintunSendPacket}: hands an allocated packet to the driver. */
    void sendPacket(Pointer session, Pointer packet);

    /** {@code WintunSetLogger}; null turns logging off. Process-wide. */
    void setLogger(WintunLog.Callback callback);

    /** {@code CreateEventW(NULL, manualReset, FALSE, NULL)}; null on failure. */
    Pointer createEvent(boolean manualReset);

    /** {@code SetEvent}. */
    boolean setEvent(Pointer event);

    /**
     * {@code WaitForMultipleObjects(2, {first, second}, FALSE, timeoutMillis)}: {@link #WAIT_OBJECT_0} or
     * {@code WAIT_OBJECT_0 + 1}, {@link #WAIT_TIMEOUT}, or {@link #WAIT_FAILED}.
     */
    int waitAny(Pointer first, Pointer second, int timeoutMillis);

    /** {@code CloseHandle}. */
    void closeHandle(Pointer handle);

    /** The Win32 error of this thread's last failed call. */
    int lastError();
}
