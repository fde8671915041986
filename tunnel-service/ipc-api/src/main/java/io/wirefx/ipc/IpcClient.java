package io.wirefx.ipc;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A blocking client for the service's endpoint, for the UI and the CLI. It reaches the service through an
 * {@link IpcTransport}: the Unix-domain socket by default, another transport picked by the address
 * ({@link IpcTransports#forAddress}, e.g. the Windows named pipe). Thread-safe: requests may be sent from any
 * thread; each blocks until its answer arrives (or the timeout).
 *
 * <p>Events are delivered to the {@link Listener} on one dedicated thread, in order; the listener may call the
 * client. If it falls more than {@value #EVENT_QUEUE} events behind, further events are dropped and an
 * {@link Event.EventsLost} is delivered in their place. When the connection ends, pending and later requests fail
 * with an {@link IOException} and {@link Listener#onDisconnected} is called once. Subscriptions belong to a
 * connection: after a reconnect ({@link #connect} again) subscribe again and re-read the state.
 */
public final class IpcClient implements AutoCloseable {
    /** Default time to wait for an answer. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final int EVENT_QUEUE = 4096;

    /** Receives server-pushed events and the end of the connection. */
    public interface Listener {
        /** An event arrived (on the client's event thread). */
        void onEvent(Event event);

        /** The connection ended (server gone, protocol error, or {@link #close()}). Called once. */
        default void onDisconnected(Exception cause) {
        }
    }

    private static final Listener NO_LISTENER = event -> {
    };
    private static final Event DISCONNECTED = new Event.EventsLost(-1); // internal end marker for the event queue

    private final ByteChannel channel;
    private final Listener listener;
    private final Duration timeout;
    private final ServerHello hello;
    private final Object writeLock = new Object();
    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<Long, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
    private final BlockingQueue<Event> events = new ArrayBlockingQueue<>(EVENT_QUEUE + 1);
    private final AtomicLong lostEvents = new AtomicLong();
    private volatile Exception closedCause;

    private IpcClient(ByteChannel channel, Listener listener, Duration timeout, ServerHello hello) {
        this.channel = channel;
        this.listener = listener;
        this.timeout = timeout;
        this.hello = hello;
    }

    /** Connects without an event listener, with the default timeout. */
    public static IpcClient connect(Path socket, String clientName) throws IOException, IpcException {
        return connect(socket, clientName, null, DEFAULT_TIMEOUT);
    }

    /**
     * Connects over the Unix-domain socket at {@code socket} and performs the hello exchange.
     *
     * @param listener null for none
     * @throws IpcException  if the service refuses the caller (ACCESS_DENIED, UNSUPPORTED_VERSION, BUSY)
     * @throws IOException   if the socket cannot be reached or the exchange fails
     */
    public static IpcClient connect(Path socket, String clientName, Listener listener, Duration timeout)
            throws IOException, IpcException {
        Objects.requireNonNull(socket, "socket");
        return connect(IpcTransports.UNIX, socket.toString(), clientName, listener, timeout);
    }

    /**
     * Connects to {@code address} through the transport that {@linkplain IpcTransports#forAddress handles} it (a
     * socket path, or e.g. a Windows pipe name), and performs the hello exchange.
     */
    public static IpcClient connect(String address, String clientName, Listener listener, Duration timeout)
            throws IOException, IpcException {
        Objects.requireNonNull(address, "address");
        return connect(IpcTransports.forAddress(address), address, clientName, listener, timeout);
    }

    /** Connects to {@code address} through {@code transport} and performs the hello exchange. */
    public static IpcClient connect(IpcTransport transport, String address, String clientName, Listener listener,
                                    Duration timeout) throws IOException, IpcException {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(clientName, "clientName");
        Objects.requireNonNull(timeout, "timeout");
        ByteChannel ch = transport.open(address);
        boolean ok = false;
        try {
            ServerHello hello = handshake(ch, clientName, timeout);
            IpcClient client = new IpcClient(ch, listener == null ? NO_LISTENER : listener, timeout, hello);
            client.startThreads();
            ok = true;
            return client;
        } finally {
            if (!ok) {
                ch.close();
            }
        }
    }

    private static ServerHello handshake(ByteChannel ch, String clientName, Duration timeout)
            throws IOException, IpcException {
        IOException writeFailure = null;
        try {
            FrameCodec.writeMessage(ch, new ClientHello(Protocol.VERSION, clientName));
        } catch (IOException e) {
            // The server may have refused us (BUSY, ACCESS_DENIED) and closed already: its answer is still readable.
            writeFailure = e;
        }
        // A blocking read has no timeout: a watchdog closes the channel if the server never answers.
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(timeout);
                ch.close();
            } catch (InterruptedException | IOException ignored) {
                // answered in time, or already closed
            }
        });
        Message first;
        try {
            first = FrameCodec.readMessage(ch);
        } catch (ProtocolException e) {
            throw new IOException("invalid hello from server: " + e.getMessage(), e);
        } catch (IOException e) {
            if (writeFailure != null) {
                writeFailure.addSuppressed(e);
                throw writeFailure;
            }
            throw e;
        } finally {
            watchdog.interrupt();
        }
        return switch (first) {
            case ServerHello h when h.version() >= Protocol.MIN_VERSION && h.version() <= Protocol.VERSION -> h;
            case ServerHello h -> throw new IOException("server chose unsupported protocol version " + h.version());
            case Response.Failure f -> throw IpcException.of(f);
            case null -> throw writeFailure != null ? writeFailure
                    : new IOException("server closed the connection during the hello");
            default -> throw new IOException("unexpected first message from server: " + first.getClass().getSimpleName());
        };
    }

    private void startThreads() {
        Thread.ofPlatform().daemon().name("wirefx-ipc-reader").start(this::readLoop);
        Thread.ofPlatform().daemon().name("wirefx-ipc-events").start(this::eventLoop);
    }

    /** The role the service granted. */
    public Role role() {
        return hello.role();
    }

    /** The protocol version in use. */
    public int protocolVersion() {
        return hello.version();
    }

    /** The service's software version. */
    public String serverVersion() {
        return hello.serverVersion();
    }

    /** False once the connection has ended. */
    public boolean isConnected() {
        return closedCause == null;
    }

    // ---- requests ----------------------------------------------------------------------------------------------

    /**
     * Sends a request built with a fresh id and waits for its answer.
     *
     * @throws IpcException if the service answered with an error
     * @throws IOException  if the connection failed or no answer came in time
     */
    public Response call(LongFunction<? extends Request> request) throws IOException, IpcException {
        long id = nextId.getAndIncrement();
        Request r = request.apply(id);
        if (r.id() != id) {
            throw new IllegalArgumentException("the request must carry the id it was given");
        }
        CompletableFuture<Response> future = new CompletableFuture<>();
        pending.put(id, future);
        try {
            checkOpen();
            byte[] payload = IpcJson.encode(r);
            synchronized (writeLock) {
                FrameCodec.writeFrame(channel, payload, Protocol.MAX_FRAME_BYTES);
            }
            Response response = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (response instanceof Response.Failure f) {
                throw IpcException.of(f);
            }
            return response;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the service", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? new IOException(io.getMessage(), io)
                    : new IOException("connection failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no answer from the service within " + timeout.toSeconds() + " s");
        } finally {
            pending.remove(id);
        }
    }

    private <T extends Response> T call(LongFunction<? extends Request> request, Class<T> type)
            throws IOException, IpcException {
        Response r = call(request);
        if (!type.isInstance(r)) {
            throw new IOException("unexpected answer " + r.getClass().getSimpleName());
        }
        return type.cast(r);
    }

    public void ping() throws IOException, IpcException {
        call(Request.Ping::new, Response.Pong.class);
    }

    public java.util.List<TunnelSummary> list() throws IOException, IpcException {
        return call(Request.ListTunnels::new, Response.TunnelList.class).tunnels();
    }

    public Response.TunnelConfig get(String name) throws IOException, IpcException {
        return call(id -> new Request.GetTunnel(id, name), Response.TunnelConfig.class);
    }

    public java.util.List<ImportEntry> importConfig(String name, String text, boolean replace)
            throws IOException, IpcException {
        return call(id -> new Request.ImportTunnels(id, name, text, null, replace), Response.ImportResult.class)
                .entries();
    }

    public java.util.List<ImportEntry> importZip(byte[] zip, boolean replace) throws IOException, IpcException {
        String b64 = Base64.getEncoder().encodeToString(zip);
        return call(id -> new Request.ImportTunnels(id, null, null, b64, replace), Response.ImportResult.class)
                .entries();
    }

    public void create(String name, String text) throws IOException, IpcException {
        call(id -> new Request.CreateTunnel(id, name, text), Response.Ok.class);
    }

    public void update(String name, String text) throws IOException, IpcException {
        call(id -> new Request.UpdateTunnel(id, name, text), Response.Ok.class);
    }

    public void rename(String name, String newName) throws IOException, IpcException {
        call(id -> new Request.RenameTunnel(id, name, newName), Response.Ok.class);
    }

    public void delete(String name) throws IOException, IpcException {
        call(id -> new Request.DeleteTunnel(id, name), Response.Ok.class);
    }

    public void start(String name) throws IOException, IpcException {
        call(id -> new Request.StartTunnel(id, name), Response.Ok.class);
    }

    public void stop(String name) throws IOException, IpcException {
        call(id -> new Request.StopTunnel(id, name), Response.Ok.class);
    }

    /** Counters of one tunnel, or of all running ones if {@code name} is null. */
    public java.util.List<TunnelStats> stats(String name) throws IOException, IpcException {
        return call(id -> new Request.GetStats(id, name), Response.Stats.class).tunnels();
    }

    public Response.LogLines logTail(int lines) throws IOException, IpcException {
        return call(id -> new Request.LogTail(id, lines), Response.LogLines.class);
    }

    public void logFollow(boolean follow) throws IOException, IpcException {
        call(id -> new Request.LogFollow(id, follow), Response.Ok.class);
    }

    public void subscribe(Set<EventKind> kinds) throws IOException, IpcException {
        call(id -> new Request.Subscribe(id, kinds), Response.Ok.class);
    }

    /** A tunnel's settings, and whether the service can apply on-demand rules. */
    public Response.Settings settings(String name) throws IOException, IpcException {
        return call(id -> new Request.GetSettings(id, name), Response.Settings.class);
    }

    /** Replaces a tunnel's settings (admin only). */
    public void setSettings(String name, TunnelSettings settings) throws IOException, IpcException {
        call(id -> new Request.SetSettings(id, name, settings), Response.Ok.class);
    }

    /** The zip of all configurations (admin only). */
    public byte[] exportZip() throws IOException, IpcException {
        String b64 = call(Request.Export::new, Response.ExportResult.class).zipBase64();
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IOException("export answer is not Base64");
        }
    }

    @Override
    public void close() {
        shutdown(new IOException("client closed"));
    }

    // ---- internals ---------------------------------------------------------------------------------------------

    private void checkOpen() throws IOException {
        Exception cause = closedCause;
        if (cause != null) {
            throw new IOException("not connected: " + cause.getMessage(), cause);
        }
    }

    private void readLoop() {
        try {
            while (true) {
                Message m;
                try {
                    m = FrameCodec.readMessage(channel);
                } catch (ProtocolException e) {
                    throw new IOException("unreadable message from server: " + e.getMessage(), e);
                }
                switch (m) {
                    case null -> throw new IOException("the service closed the connection");
                    case Response r -> {
                        CompletableFuture<Response> f = pending.get(r.id());
                        if (f != null) {
                            f.complete(r);
                        } else if (r instanceof Response.Failure failure && r.id() == 0) {
                            throw IpcException.of(failure); // connection-level error: the server closes next
                        }
                    }
                    case Event e -> enqueueEvent(e);
                    default -> throw new IOException("unexpected message " + m.getClass().getSimpleName());
                }
            }
        } catch (Exception e) {
            shutdown(e);
        }
    }

    private void enqueueEvent(Event e) {
        // Only this thread adds (besides the final marker), so the remaining-capacity check is stable.
        if (events.remainingCapacity() <= 1) {
            lostEvents.incrementAndGet();
            return;
        }
        long lost = lostEvents.getAndSet(0);
        if (lost > 0) {
            events.add(new Event.EventsLost(lost));
            if (events.remainingCapacity() <= 1) {
                lostEvents.incrementAndGet();
                return;
            }
        }
        events.add(e);
    }

    private void eventLoop() {
        while (true) {
            Event e;
            try {
                e = events.take();
            } catch (InterruptedException ie) {
                return;
            }
            if (e == DISCONNECTED) {
                listener.onDisconnected(closedCause);
                return;
            }
            try {
                listener.onEvent(e);
            } catch (RuntimeException ignored) {
                // a faulty listener must not stop event delivery
            }
        }
    }

    private void shutdown(Exception cause) {
        synchronized (this) {
            if (closedCause != null) {
                return;
            }
            closedCause = cause;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        IOException failure = cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        pending.values().forEach(f -> f.completeExceptionally(failure));
        // The queue keeps one slot free for this marker (see enqueueEvent); make room if it is somehow full.
        while (!events.offer(DISCONNECTED)) {
            events.poll();
        }
    }
}
