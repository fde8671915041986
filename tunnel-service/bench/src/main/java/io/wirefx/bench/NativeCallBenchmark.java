package io.wirefx.bench;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Per-call cost of the libc calls the packet path makes once per batch or packet ({@code read}/{@code write} on a
 * TUN fd, {@code poll}), through JNA direct mapping (what the drivers use) and through the JDK's FFM API
 * ({@code java.lang.foreign}), both reading errno after the call as the drivers must. The fd is an eventfd, so each
 * call is a real, cheap system call: the difference between rows is the binding's own overhead. Linux only.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class NativeCallBenchmark {

    /** JNA direct mapping, as in the drivers' LibC/Sys classes. */
    static final class Jna {
        static {
            Native.register(Jna.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        }

        static native long read(int fd, Pointer buf, long count);

        static native long write(int fd, Pointer buf, long count);

        static native int poll(Pointer fds, long nfds, int timeout);

        static native int eventfd(int initval, int flags);

        static native int close(int fd);
    }

    private static final int EFD_NONBLOCK = 0x800;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle FFM_READ = downcall("read",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG), Linker.Option.captureCallState("errno"));
    private static final MethodHandle FFM_WRITE = downcall("write",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG), Linker.Option.captureCallState("errno"));
    private static final MethodHandle FFM_POLL = downcall("poll",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT), Linker.Option.captureCallState("errno"));
    /** {@code read} with the critical option: no thread-state transition, for calls that never block. */
    private static final MethodHandle FFM_READ_CRITICAL = downcall("read",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG), Linker.Option.captureCallState("errno"), Linker.Option.critical(false));
    private static final MethodHandle FFM_WRITE_CRITICAL = downcall("write",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG), Linker.Option.captureCallState("errno"), Linker.Option.critical(false));

    private static MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, options);
    }

    private int fd;
    private Arena arena;
    private ByteBuffer jnaBuf;
    private Pointer jnaPtr;
    private Pointer jnaPollFd;
    private MemorySegment ffmBuf;
    private MemorySegment ffmPollFd;
    private MemorySegment state;

    @Setup(Level.Trial)
    public void open() {
        fd = Jna.eventfd(0, EFD_NONBLOCK);
        if (fd < 0) {
            throw new IllegalStateException("eventfd failed");
        }
        jnaBuf = ByteBuffer.allocateDirect(8);
        jnaPtr = Native.getDirectBufferPointer(jnaBuf);
        jnaBuf.putLong(0, 1);
        ByteBuffer pfd = ByteBuffer.allocateDirect(8).order(java.nio.ByteOrder.nativeOrder());
        pfd.putInt(0, fd).putShort(4, (short) 1);
        jnaPollFd = Native.getDirectBufferPointer(pfd);
        arena = Arena.ofConfined();
        ffmBuf = arena.allocate(8);
        ffmBuf.set(ValueLayout.JAVA_LONG, 0, 1);
        ffmPollFd = arena.allocate(8);
        ffmPollFd.set(ValueLayout.JAVA_INT, 0, fd);
        ffmPollFd.set(ValueLayout.JAVA_SHORT, 4, (short) 1);
        state = arena.allocate(CALL_STATE);
    }

    @TearDown(Level.Trial)
    public void close() {
        Jna.close(fd);
        arena.close();
    }

    /** A write then a read of the eventfd counter: two system calls, like one TUN write and one TUN read. */
    @Benchmark
    public long jnaWriteRead() {
        long w = Jna.write(fd, jnaPtr, 8);
        int e1 = Native.getLastError();
        long r = Jna.read(fd, jnaPtr, 8);
        return w + r + e1 + Native.getLastError();
    }

    @Benchmark
    public long ffmWriteRead() throws Throwable {
        long w = (long) FFM_WRITE.invokeExact(state, fd, ffmBuf, 8L);
        int e1 = (int) ERRNO.get(state, 0L);
        long r = (long) FFM_READ.invokeExact(state, fd, ffmBuf, 8L);
        return w + r + e1 + (int) ERRNO.get(state, 0L);
    }

    @Benchmark
    public long ffmCriticalWriteRead() throws Throwable {
        long w = (long) FFM_WRITE_CRITICAL.invokeExact(state, fd, ffmBuf, 8L);
        int e1 = (int) ERRNO.get(state, 0L);
        long r = (long) FFM_READ_CRITICAL.invokeExact(state, fd, ffmBuf, 8L);
        return w + r + e1 + (int) ERRNO.get(state, 0L);
    }

    /** poll with a zero timeout: the call the readers make when a drain ends. */
    @Benchmark
    public int jnaPoll() {
        return Jna.poll(jnaPollFd, 1, 0) + Native.getLastError();
    }

    @Benchmark
    public int ffmPoll() throws Throwable {
        return (int) FFM_POLL.invokeExact(state, ffmPollFd, 1L, 0) + (int) ERRNO.get(state, 0L);
    }
}
