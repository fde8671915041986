package io.wirefx.tun.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory Wintun with the semantics the device relies on (wintun.h, session.c): a receive ring that signals the
 * read-wait event only after a receive found it empty; a send ring of limited bytes (a record is 4 bytes of size plus
 * the packet padded to 4) that refuses with ERROR_BUFFER_OVERFLOW when full and frees space as the "kernel" consumes
 * packets; ERROR_HANDLE_EOF once the adapter is terminated; manual- and auto-reset events; a per-thread last error.
 * Packet memory is real native memory ({@link Memory}), so the device's copy code is the production code.
 */
final class FakeWintun implements WintunApi, InterfaceMtu {

    final Object lock = new Object();
    private final ThreadLocal<Integer> lastError = ThreadLocal.withInitial(() -> 0);
    private long nextHandle = 0x1000;

    final Map<Long, Object> handles = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    final Map<Long, Integer> mtus = new HashMap<>();
    /** Received packets handed out and not yet released, by address. */
    final Map<Long, Memory> outstanding = new HashMap<>();
    int sendRingBytes = WintunDriver.RING_CAPACITY;
    boolean failCreate;
    boolean failSession;
    WintunLog.Callback logger;

    final class Event {
        final boolean manual;
        boolean signalled;

        Event(boolean manual) {
            this.manual = manual;
        }
    }

    final class Adapter {
        final String name;
        final Guid guid;
        final long luid;
        boolean closed;
        Session session;

        Adapter(String name, Guid guid, long luid) {
            this.name = name;
            this.guid = guid;
            this.luid = luid;
        }
    }

    final class Session {
        final Adapter adapter;
        final int capacity;
        final Deque<byte[]> inbound = new ArrayDeque<>();
        final Event readEvent = new Event(false);
        final LinkedBlockingQueue<byte[]> sent = new LinkedBlockingQueue<>();
        final Map<Long, Integer> allocated = new HashMap<>();
        boolean alertable;
        boolean terminated;
        boolean ended;
        int sendBytesUsed;

        Session(Adapter adapter, int capacity) {
            this.adapter = adapter;
            this.capacity = capacity;
        }
    }

    private Pointer handle(Object o) {
        long h = nextHandle;
        nextHandle += 0x10;
        handles.put(h, o);
        return new Pointer(h);
    }

    @SuppressWarnings("unchecked")
    private <T> T get(Pointer p, Class<T> type) {
        Object o = handles.get(Pointer.nativeValue(p));
        if (!type.isInstance(o)) {
            throw new IllegalStateException("not a live " + type.getSimpleName() + ": " + p);
        }
        return (T) o;
    }

    private <T> T fail(int error) {
        lastError.set(error);
        return null;
    }

    // ---------------------------------------------------------------- test side

    /** The adapter of that name (open or closed). */
    Adapter adapter(String name) {
        synchronized (lock) {
            return handles.values().stream().filter(o -> o instanceof Adapter a && a.name.equals(name))
                    .map(Adapter.class::cast).reduce((a, b) -> b).orElseThrow();
        }
    }

    /** Queues a packet from the "kernel" for the session of adapter {@code name}. */
    boolean inject(String name, byte[] packet) {
        synchronized (lock) {
            Session s = adapter(name).session;
            if (s == null || s.ended || s.terminated) {
                return false;
            }
            s.inbound.add(packet.clone());
            if (s.alertable) {
                s.alertable = false;
                s.readEvent.signalled = true;
                lock.notifyAll();
            }
            return true;
        }
    }

    /** The next packet the device sent, freeing its ring space; null after the timeout. */
    byte[] takeSent(String name, long timeoutMillis) throws InterruptedException {
        Session s;
        synchronized (lock) {
            s = adapter(name).session;
        }
        byte[] p = s.sent.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (p != null) {
            synchronized (lock) {
                s.sendBytesUsed -= record(p.length);
            }
        }
        return p;
    }

    /** The adapter goes away: every later session call fails with ERROR_HANDLE_EOF; the reader is woken. */
    void terminate(String name) {
        synchronized (lock) {
            Session s = adapter(name).session;
            s.terminated = true;
            s.readEvent.signalled = true;
            lock.notifyAll();
        }
    }

    private static int record(int size) {
        return 4 + ((size + 3) & ~3);
    }

    // ---------------------------------------------------------------- WintunApi

    @Override
    public Pointer createAdapter(String name, String tunnelType, Guid requestedGuid) {
        synchronized (lock) {
            calls.add("create " + name + " " + tunnelType + " " + requestedGuid);
            if (failCreate) {
                return fail(ERROR_ALREADY_EXISTS);
            }
            return handle(new Adapter(name, requestedGuid, 0x0006_0000_0100_0000L + nextHandle));
        }
    }

    @Override
    public Pointer openAdapter(String name) {
        synchronized (lock) {
            calls.add("open " + name);
            for (Object o : handles.values()) {
                if (o instanceof Adapter a && a.name.equals(name)) {
                    return handle(new Adapter(name, a.guid, a.luid));
                }
            }
            return fail(ERROR_FILE_NOT_FOUND);
        }
    }

    @Override
    public void closeAdapter(Pointer adapter) {
        synchronized (lock) {
            Adapter a = get(adapter, Adapter.class);
            calls.add("closeAdapter " + a.name);
            a.closed = true;
        }
    }

    @Override
    public long adapterLuid(Pointer adapter) {
        synchronized (lock) {
            return get(adapter, Adapter.class).luid;
        }
    }

    @Override
    public int runningDriverVersion() {
        return 0x000E_0001;
    }

    @Override
    public Pointer startSession(Pointer adapter, int capacity) {
        synchronized (lock) {
            Adapter a = get(adapter, Adapter.class);
            calls.add("startSession " + a.name + " " + Integer.toHexString(capacity));
            if (failSession) {
                return fail(5);
            }
            a.session = new Session(a, capacity);
            return handle(a.session);
        }
    }

    @Override
    public void endSession(Pointer session) {
        synchronized (lock) {
            Session s = get(session, Session.class);
            calls.add("endSession " + s.adapter.name);
            s.ended = true;
            outstanding.clear(); // the ring's memory is gone
        }
    }

    @Override
    public Pointer readWaitEvent(Pointer session) {
        synchronized (lock) {
            Session s = get(session, Session.class);
            for (Map.Entry<Long, Object> e : handles.entrySet()) {
                if (e.getValue() == s.readEvent) {
                    return new Pointer(e.getKey());
                }
            }
            return handle(s.readEvent);
        }
    }

    @Override
    public Pointer receivePacket(Pointer session, Pointer sizeOut) {
        synchronized (lock) {
            Session s = get(session, Session.class);
            if (s.ended) {
                throw new IllegalStateException("receive after WintunEndSession");
            }
            if (s.terminated) {
                return fail(ERROR_HANDLE_EOF);
            }
            byte[] p = s.inbound.poll();
            if (p == null) {
                s.alertable = true;
                return fail(ERROR_NO_MORE_ITEMS);
            }
            Memory m = new Memory(Math.max(1, p.length));
            m.write(0, p, 0, p.length);
            sizeOut.setInt(0, p.length);
            outstanding.put(Pointer.nativeValue(m), m);
            return m;
        }
    }

    @Override
    public void releaseReceivePacket(Pointer session, Pointer packet) {
        synchronized (lock) {
            get(session, Session.class);
            if (outstanding.remove(Pointer.nativeValue(packet)) == null) {
                throw new IllegalStateException("release of a packet not received: " + packet);
            }
        }
    }

    @Override
    public Pointer allocateSendPacket(Pointer session, int size) {
        synchronized (lock) {
            Session s = get(session, Session.class);
            if (s.ended) {
                throw new IllegalStateException("allocate after WintunEndSession");
            }
            if (s.terminated) {
                return fail(ERROR_HANDLE_EOF);
            }
            if (s.sendBytesUsed + record(size) > sendRingBytes) {
                return fail(ERROR_BUFFER_OVERFLOW);
            }
            s.sendBytesUsed += record(size);
            Memory m = new Memory(size);
            s.allocated.put(Pointer.nativeValue(m), size);
            handles.put(Pointer.nativeValue(m), m); // keeps it reachable until sent
            return m;
        }
    }

    @Override
    public void sendPacket(Pointer session, Pointer packet) {
        synchronized (lock) {
            Session s = get(session, Session.class);
            Integer size = s.allocated.remove(Pointer.nativeValue(packet));
            if (size == null) {
                throw new IllegalStateException("send of a packet not allocated");
            }
            handles.remove(Pointer.nativeValue(packet));
            s.sent.add(packet.getByteArray(0, size));
        }
    }

    @Override
    public void setLogger(WintunLog.Callback callback) {
        synchronized (lock) {
            logger = callback;
        }
    }

    @Override
    public Pointer createEvent(boolean manualReset) {
        synchronized (lock) {
            return handle(new Event(manualReset));
        }
    }

    @Override
    public boolean setEvent(Pointer event) {
        synchronized (lock) {
            get(event, Event.class).signalled = true;
            lock.notifyAll();
            return true;
        }
    }

    @Override
    public int waitAny(Pointer first, Pointer second, int timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis & 0xFFFFFFFFL);
        synchronized (lock) {
            Event a = get(first, Event.class);
            Event b = get(second, Event.class);
            while (true) {
                if (a.signalled) {
                    a.signalled = a.manual;
                    return WAIT_OBJECT_0;
                }
                if (b.signalled) {
                    b.signalled = b.manual;
                    return WAIT_OBJECT_0 + 1;
                }
                long left = deadline - System.nanoTime();
                if (timeoutMillis != INFINITE && left <= 0) {
                    return WAIT_TIMEOUT;
                }
                try {
                    if (timeoutMillis == INFINITE) {
                        lock.wait();
                    } else {
                        TimeUnit.NANOSECONDS.timedWait(lock, left);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    lastError.set(1223);
                    return WAIT_FAILED;
                }
            }
        }
    }

    @Override
    public void closeHandle(Pointer handle) {
        synchronized (lock) {
            Object o = handles.remove(Pointer.nativeValue(handle));
            if (!(o instanceof Event e) || !e.manual) {
                throw new IllegalStateException("CloseHandle on something that is not our own event: " + o);
            }
            calls.add("closeHandle event");
        }
    }

    @Override
    public int lastError() {
        return lastError.get();
    }

    // ---------------------------------------------------------------- InterfaceMtu

    @Override
    public int get(long luid) throws IOException {
        synchronized (lock) {
            Integer m = mtus.get(luid);
            if (m == null) {
                throw new IOException("no interface " + luid);
            }
            return m;
        }
    }

    @Override
    public void set(long luid, int mtu) {
        synchronized (lock) {
            mtus.put(luid, mtu);
        }
    }
}
