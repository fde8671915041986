package io.wirefx.ipc.windows;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client end of a named pipe as a {@link ByteChannel}, opened with {@code FILE_FLAG_OVERLAPPED}: a read and a write
 * each run as an overlapped operation with its own event and {@code OVERLAPPED}, so a thread blocked reading does not
 * hold up another thread writing (a synchronous handle, as {@code FileChannel} opens, serializes them). {@link #close}
 * cancels what is in flight ({@code CancelIoEx}), so a blocked reader returns with {@link AsynchronousCloseException}.
 *
 * <p>The pipe is opened with {@code SECURITY_IDENTIFICATION}: the service may read the caller's token to decide its
 * role, but cannot act as the caller. Windows only.
 */
final class PipeChannel implements ByteChannel {

    // winnt.h / winbase.h / fileapi.h (checked against the mingw-w64 headers by IpcWindowsLayoutTest)
    static final int GENERIC_READ = 0x80000000;
    static final int GENERIC_WRITE = 0x40000000;
    static final int OPEN_EXISTING = 3;
    static final int FILE_FLAG_OVERLAPPED = 0x40000000;
    static final int SECURITY_SQOS_PRESENT = 0x00100000;
    static final int SECURITY_IDENTIFICATION = 0x00010000;
    // winerror.h
    static final int ERROR_FILE_NOT_FOUND = 2;
    static final int ERROR_ACCESS_DENIED = 5;
    static final int ERROR_BROKEN_PIPE = 109;
    static final int ERROR_SEM_TIMEOUT = 121;
    static final int ERROR_PIPE_BUSY = 231;
    static final int ERROR_NO_DATA = 232;
    static final int ERROR_PIPE_NOT_CONNECTED = 233;
    static final int ERROR_MORE_DATA = 234;
    static final int ERROR_OPERATION_ABORTED = 995;
    static final int ERROR_IO_PENDING = 997;
    // OVERLAPPED on x64: Internal @0, InternalHigh @8, Offset/OffsetHigh (or Pointer) @16, hEvent @24; 32 bytes
    static final int OVERLAPPED_SIZE = 32;
    static final int OVERLAPPED_HEVENT = 24;
    /** Bytes moved per native call. */
    static final int CHUNK = 65536;

    /** kernel32, from System32 only ({@code LOAD_LIBRARY_SEARCH_SYSTEM32}). Registered on first use. */
    private static final class Kernel {
        static {
            Native.register(Kernel.class, NativeLibrary.getInstance("kernel32", Map.of(Library.OPTION_OPEN_FLAGS, 0x800)));
        }

        static native Pointer CreateFileW(Pointer name, int access, int share, Pointer security, int disposition,
                                          int flags, Pointer template);

        static native int WaitNamedPipeW(Pointer name, int timeoutMillis);

        static native Pointer CreateEventW(Pointer security, int manualReset, int initialState, Pointer name);

        // Native buffers and OVERLAPPEDs: the kernel uses them after the call returns.
        static native int ReadFile(Pointer handle, Pointer buffer, int length, Pointer read, Pointer overlapped);

        static native int WriteFile(Pointer handle, Pointer buffer, int length, Pointer written, Pointer overlapped);

        static native int GetOverlappedResult(Pointer handle, Pointer overlapped, IntByReference transferred, int wait);

        static native int CancelIoEx(Pointer handle, Pointer overlapped);

        static native int CloseHandle(Pointer handle);
    }

    /** One direction: its lock, event, OVERLAPPED and buffer. */
    private static final class Side {
        final ReentrantLock lock = new ReentrantLock();
        final Pointer event;
        final Memory overlapped = new Memory(OVERLAPPED_SIZE);
        final Memory buffer = new Memory(CHUNK);

        Side(Pointer event) {
            this.event = event;
        }
    }

    private final String name;
    private final Pointer handle;
    private final Side reading;
    private final Side writing;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PipeChannel(String name, Pointer handle, Pointer readEvent, Pointer writeEvent) {
        this.name = name;
        this.handle = handle;
        this.reading = new Side(readEvent);
        this.writing = new Side(writeEvent);
    }

    /** Opens {@code name}; while all its instances are busy, waits up to {@code busyWait} for one. */
    static PipeChannel open(String name, Duration busyWait) throws IOException {
        Memory wide = new Memory((name.length() + 1) * 2L);
        wide.setWideString(0, name);
        long deadline = System.nanoTime() + busyWait.toNanos();
        Pointer h;
        while (true) {
            h = Kernel.CreateFileW(wide, GENERIC_READ | GENERIC_WRITE, 0, null, OPEN_EXISTING,
                    FILE_FLAG_OVERLAPPED | SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION, null);
            if (valid(h)) {
                break;
            }
            int err = Native.getLastError();
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (err == ERROR_PIPE_BUSY && left > 0) {
                if (Kernel.WaitNamedPipeW(wide, (int) Math.min(left, Integer.MAX_VALUE)) == 0
                        && Native.getLastError() == ERROR_FILE_NOT_FOUND) {
                    throw new NoSuchFileException(name, null, "the pipe went away (is wirefx-service running?)");
                }
                continue;
            }
            throw openFailure(name, err);
        }
        Pointer readEvent = Kernel.CreateEventW(null, 1, 0, null);
        Pointer writeEvent = Kernel.CreateEventW(null, 1, 0, null);
        if (readEvent == null || writeEvent == null) {
            int err = Native.getLastError();
            for (Pointer p : new Pointer[]{readEvent, writeEvent, h}) {
                if (p != null) {
                    Kernel.CloseHandle(p);
                }
            }
            throw new IOException("CreateEventW for " + name + ": Windows error " + err);
        }
        return new PipeChannel(name, h, readEvent, writeEvent);
    }

    /** The exception for a failed {@code CreateFileW} of the pipe: what it means for the caller. */
    static IOException openFailure(String name, int err) {
        return switch (err) {
            case ERROR_FILE_NOT_FOUND -> new NoSuchFileException(name, null,
                    "no such pipe (is wirefx-service running?)");
            case ERROR_ACCESS_DENIED -> new AccessDeniedException(name, null,
                    "the pipe refuses this account (an elevated administrator or a member of WireFX Operators)");
            case ERROR_PIPE_BUSY, ERROR_SEM_TIMEOUT -> new IOException(name + ": every instance of the pipe is busy");
            default -> new IOException("CreateFileW " + name + ": Windows error " + err);
        };
    }

    private static boolean valid(Pointer h) {
        return h != null && Pointer.nativeValue(h) != -1L;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        reading.lock.lock();
        try {
            int n = transfer(reading, true, Math.min(dst.remaining(), CHUNK));
            if (n > 0) {
                byte[] b = reading.buffer.getByteArray(0, n);
                dst.put(b);
            }
            return n;
        } finally {
            reading.lock.unlock();
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        writing.lock.lock();
        try {
            int total = 0;
            while (src.hasRemaining()) {
                int len = Math.min(src.remaining(), CHUNK);
                byte[] b = new byte[len];
                src.get(src.position(), b);
                writing.buffer.write(0, b, 0, len);
                int n = transfer(writing, false, len);
                if (n < 0) {
                    throw new IOException(name + ": the service closed the pipe");
                }
                src.position(src.position() + n);
                total += n;
            }
            return total;
        } finally {
            writing.lock.unlock();
        }
    }

    /** One overlapped ReadFile or WriteFile to completion: bytes moved, or -1 when the other end has gone. */
    private int transfer(Side side, boolean read, int len) throws IOException {
        if (closed.get()) {
            throw new ClosedChannelException();
        }
        side.overlapped.clear();
        side.overlapped.setPointer(OVERLAPPED_HEVENT, side.event);
        int ok = read ? Kernel.ReadFile(handle, side.buffer, len, null, side.overlapped)
                : Kernel.WriteFile(handle, side.buffer, len, null, side.overlapped);
        if (ok == 0) {
            int err = Native.getLastError();
            if (err != ERROR_IO_PENDING && err != ERROR_MORE_DATA) {
                return failed(read, err);
            }
        }
        IntByReference n = new IntByReference();
        if (Kernel.GetOverlappedResult(handle, side.overlapped, n, 1) == 0) {
            int err = Native.getLastError();
            if (err == ERROR_MORE_DATA) {
                return n.getValue(); // a message-mode pipe: the rest comes with the next read
            }
            return failed(read, err);
        }
        return n.getValue();
    }

    private int failed(boolean read, int err) throws IOException {
        if (err == ERROR_OPERATION_ABORTED && closed.get()) {
            throw new AsynchronousCloseException();
        }
        if (err == ERROR_BROKEN_PIPE || err == ERROR_PIPE_NOT_CONNECTED || err == ERROR_NO_DATA) {
            return -1;
        }
        throw new IOException((read ? "ReadFile " : "WriteFile ") + name + ": Windows error " + err);
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    /**
     * Cancels the I/O in flight, waits until the reading and writing threads have left their operation (the kernel
     * writes into their OVERLAPPED and buffer until then), and closes the handles.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean interrupted = false;
        for (Side side : new Side[]{reading, writing}) {
            while (true) {
                Kernel.CancelIoEx(handle, null);
                try {
                    if (side.lock.tryLock(50, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        try {
            Kernel.CloseHandle(handle);
            Kernel.CloseHandle(reading.event);
            Kernel.CloseHandle(writing.event);
        } finally {
            writing.lock.unlock();
            reading.lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
