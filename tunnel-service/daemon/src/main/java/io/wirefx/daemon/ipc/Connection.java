package io.wirefx.daemon.ipc;

import io.wirefx.platform.Caller;
import io.wirefx.platform.LocalConnection;

import io.wirefx.ipc.ClientHello;
import io.wirefx.ipc.ErrorCode;
import io.wirefx.ipc.Event;
import io.wirefx.ipc.EventKind;
import io.wirefx.ipc.FrameCodec;
import io.wirefx.ipc.FrameTooLargeException;
import io.wirefx.ipc.IpcJson;
import io.wirefx.ipc.Message;
import io.wirefx.ipc.Protocol;
import io.wirefx.ipc.ProtocolException;
import io.wirefx.ipc.Request;
import io.wirefx.ipc.Response;
import io.wirefx.ipc.Role;
import io.wirefx.ipc.ServerHello;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;

/** One client connection: a reader (this thread) and a writer thread draining a bounded queue of frames. */
final class Connection {
    private static final Object CLOSE = new Object();
    /** Slots an event may never take, so that answers and the close marker always find room. */
    private static final int RESERVED_SLOTS = 4;

    private final IpcServer server;
    private final LocalConnection channel;
    private final long id;
    private final BlockingQueue<Object> queue;
    private final int eventLimit;
    private final Object eventLock = new Object();
    private long lostEvents; // guarded by eventLock
    private volatile Role role;
    private volatile Set<EventKind> kinds = Set.of();
    private volatile boolean closed;
    private volatile Thread reader;
    private volatile Thread writer;
    /** The timer that closes a refused or finishing connection whose client does not go away; cancelled by close. */
    private volatile Future<?> closeDeadline;
    private String user = "?";
    private String clientName = "?";

    Connection(IpcServer server, LocalConnection channel, long id) {
        this.server = server;
        this.channel = channel;
        this.id = id;
        this.queue = new ArrayBlockingQueue<>(server.queueCapacity);
        this.eventLimit = server.queueCapacity - RESERVED_SLOTS;
    }

    Role role() {
        return role;
    }

    boolean wants(EventKind kind) {
        return kinds.contains(kind);
    }

    void setKinds(Set<EventKind> value) {
        kinds = IpcServer.kinds(value);
    }

    void setFollowLog(boolean follow) {
        EnumSet<EventKind> k = kinds.isEmpty() ? EnumSet.noneOf(EventKind.class) : EnumSet.copyOf(kinds);
        if (follow) {
            k.add(EventKind.LOG);
        } else {
            k.remove(EventKind.LOG);
        }
        kinds = IpcServer.kinds(k);
    }

    String describe() {
        return "client '" + clientName + "' (user " + user + ", " + (role == null ? "no role" : role) + ")";
    }

    /** The calling user's name as the OS identified it at accept (the key of the per-user connection limit). */
    String callerName() {
        return channel.caller().name();
    }

    /** Too many connections: read the hello (so the client is sure to see the answer), say so and hang up. */
    void refuseBusy(String message) {
        closeDeadline = server.later(this::close, server.helloTimeout);
        try {
            FrameCodec.readFrame(channel, Protocol.MAX_FRAME_BYTES);
            sendDirect(new Response.Failure(0, ErrorCode.BUSY, message));
        } catch (IOException ignored) {
            // going away anyway
        } finally {
            close();
        }
    }

    /** The connection's life: hello, then requests until the client leaves or breaks the protocol. */
    void run() {
        reader = Thread.currentThread();
        Future<?> helloGuard = server.later(this::close, server.helloTimeout);
        try {
            if (!hello()) {
                return;
            }
            helloGuard.cancel(false);
            writer = Thread.ofVirtual().name("wirefx-ipc-" + id + "-w").start(this::writeLoop);
            server.log.info(null, describe() + " connected");
            serveRequests();
        } catch (InterruptedException e) {
            // closed while waiting for room in the queue
        } finally {
            helloGuard.cancel(false);
            if (writer != null && !closed) {
                finish();
            } else {
                close();
            }
        }
    }

    private boolean hello() {
        Caller caller = channel.caller();
        user = caller.name();
        Optional<Role> granted = caller.role();
        try {
            byte[] frame = FrameCodec.readFrame(channel, Protocol.MAX_FRAME_BYTES);
            if (frame == null) {
                return false;
            }
            Message m = IpcJson.decode(frame);
            if (!(m instanceof ClientHello hello)) {
                sendDirect(new Response.Failure(m instanceof Request r ? r.id() : 0, ErrorCode.HELLO_REQUIRED, null));
                return false;
            }
            clientName = hello.clientName().length() <= 100 ? hello.clientName()
                    : hello.clientName().substring(0, 100);
            if (granted.isEmpty()) {
                server.log.warn(null, "refused " + describe() + ": not authorized");
                sendDirect(new Response.Failure(0, ErrorCode.ACCESS_DENIED, "access denied for user " + user
                        + server.refusalHint));
                return false;
            }
            int version = Protocol.negotiate(hello.version());
            if (version < 0) {
                sendDirect(new Response.Failure(0, ErrorCode.UNSUPPORTED_VERSION, "this service speaks protocol "
                        + "versions " + Protocol.MIN_VERSION + " to " + Protocol.VERSION));
                return false;
            }
            role = granted.get();
            sendDirect(new ServerHello(version, server.serverVersion, role));
            return true;
        } catch (FrameTooLargeException e) {
            sendQuietly(new Response.Failure(0, ErrorCode.TOO_LARGE, "frame exceeds " + e.limit() + " bytes"));
            return false;
        } catch (ProtocolException e) {
            sendQuietly(new Response.Failure(e.requestId(), e.code(), e.getMessage()));
            return false;
        } catch (IOException e) {
            return false; // gone, or closed by the hello timeout
        }
    }

    private void serveRequests() throws InterruptedException {
        while (!closed) {
            byte[] frame;
            try {
                frame = FrameCodec.readFrame(channel, Protocol.MAX_FRAME_BYTES);
            } catch (FrameTooLargeException e) {
                answer(new Response.Failure(0, ErrorCode.TOO_LARGE, "frame exceeds " + e.limit() + " bytes"));
                return;
            } catch (IOException e) {
                return;
            }
            if (frame == null) {
                return;
            }
            Response response;
            try {
                Message m = IpcJson.decode(frame);
                response = m instanceof Request r ? server.handle(r, this)
                        : new Response.Failure(0, ErrorCode.BAD_REQUEST, "expected a request");
            } catch (ProtocolException e) {
                response = new Response.Failure(e.requestId(), e.code(), e.getMessage());
            }
            answer(response);
        }
    }

    private void answer(Response response) throws InterruptedException {
        byte[] frame = IpcServer.frameFor(role, response);
        queue.put(frame);
    }

    /** Queues an event frame without ever blocking; counts it as lost when the queue is full. */
    void offerEvent(byte[] frame) {
        synchronized (eventLock) {
            if (closed) {
                return;
            }
            if (lostEvents > 0) {
                if (queue.size() + 2 > eventLimit || !queue.offer(lostMarker())) {
                    lostEvents++;
                    return;
                }
                lostEvents = 0;
            }
            if (queue.size() >= eventLimit || !queue.offer(frame)) {
                lostEvents++;
            }
        }
    }

    private byte[] lostMarker() {
        return FrameCodec.frame(IpcJson.encode(new Event.EventsLost(lostEvents)));
    }

    /** After the writer has drained the queue: if events were lost and nothing else came, say so now. */
    private void flushLostMarker() {
        synchronized (eventLock) {
            if (lostEvents > 0 && queue.isEmpty() && queue.offer(lostMarker())) {
                lostEvents = 0;
            }
        }
    }

    private void writeLoop() {
        try {
            while (true) {
                Object item = queue.take();
                if (item == CLOSE) {
                    return;
                }
                ByteBuffer buf = ByteBuffer.wrap((byte[]) item);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
                if (queue.isEmpty()) {
                    flushLostMarker();
                }
            }
        } catch (InterruptedException | IOException e) {
            // closed, or the client is gone
        } finally {
            close();
        }
    }

    /** Let the writer send what is queued, then close; forced after a grace period if the client does not read. */
    private void finish() {
        if (!queue.offer(CLOSE)) {
            close();
            return;
        }
        closeDeadline = server.later(this::close, Duration.ofSeconds(5));
    }

    private void sendDirect(Message m) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(IpcServer.frameFor(role == null ? Role.OPERATOR : role, m));
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    private void sendQuietly(Message m) {
        try {
            sendDirect(m);
        } catch (IOException ignored) {
            // the client is gone
        }
    }

    void close() {
        synchronized (eventLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        Future<?> deadline = closeDeadline;
        if (deadline != null) {
            deadline.cancel(false);
        }
        Thread w = writer;
        if (w != null) {
            w.interrupt();
        }
        Thread r = reader;
        if (r != null && r != Thread.currentThread()) {
            r.interrupt();
        }
        server.connections.remove(this);
        if (role != null) {
            server.log.info(null, describe() + " disconnected");
        }
    }
}
