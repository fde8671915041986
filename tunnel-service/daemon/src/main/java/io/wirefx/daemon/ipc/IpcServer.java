package io.wirefx.daemon.ipc;

import io.wirefx.platform.EndpointAccess;
import io.wirefx.platform.LocalConnection;
import io.wirefx.platform.LocalEndpoints;
import io.wirefx.platform.LocalServer;
import io.wirefx.platform.unix.UnixSocketEndpoints;

import io.wirefx.platform.unix.Authorizer;
import io.wirefx.platform.unix.AccountDatabase;
import io.wirefx.platform.unix.GroupAuthorizer;
import io.wirefx.daemon.log.LogRing;
import io.wirefx.ipc.ErrorCode;
import io.wirefx.ipc.Event;
import io.wirefx.ipc.EventKind;
import io.wirefx.ipc.FrameCodec;
import io.wirefx.ipc.IpcJson;
import io.wirefx.ipc.LogEntry;
import io.wirefx.ipc.Message;
import io.wirefx.ipc.Protocol;
import io.wirefx.ipc.Request;
import io.wirefx.ipc.Response;
import io.wirefx.ipc.Role;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's local endpoint (from the platform's {@link LocalEndpoints}: a Unix socket on Linux and macOS)
 * speaking the protocol of {@code docs/ipc.md}.
 *
 * <ul>
 *   <li>Each connection gets a virtual thread that reads and handles its requests one at a time, and one that
 *   writes its outbound queue. The hello must arrive within the hello timeout and be a {@code clientHello};
 *   the caller's role comes from the platform (peer credentials and groups on Unix); a refused caller gets an
 *   ACCESS_DENIED error and is disconnected.</li>
 *   <li>Frames over {@link Protocol#MAX_FRAME_BYTES} are refused from the length prefix alone (TOO_LARGE, then
 *   disconnect: the stream cannot be resynchronized). A frame that is not a valid request gets an error answer and
 *   the connection stays.</li>
 *   <li>Slow clients: answers wait for room in the connection's own queue (only that connection stalls). Events
 *   never wait: when a connection's queue is full they are dropped for it and an {@code eventsLost} marker with
 *   the count follows once there is room again. No client can block the service or other clients.</li>
 *   <li>At most {@link Builder#maxConnections} connections (256), and at most
 *   {@link Builder#maxConnectionsPerUser} (32) of one user, counted from accept, before the hello: beyond either,
 *   the caller gets a BUSY error and is disconnected, so one user holding idle connections cannot lock out
 *   another.</li>
 *   <li>Every outgoing message goes through {@link Redaction#forRole}.</li>
 * </ul>
 */
public final class IpcServer implements AutoCloseable {
    /** Members of this group are admins. */
    public static final String DEFAULT_ADMIN_GROUP = "wirefx-admin";
    /** Members of this group are operators; it owns the socket. */
    public static final String DEFAULT_OPERATOR_GROUP = "wirefx";

    final TunnelService service;
    final LogRing log;
    private final String address;
    private final LocalEndpoints endpoints;
    private final EndpointAccess access;
    final String refusalHint;
    private final int maxConnections;
    private final int maxConnectionsPerUser;
    final int queueCapacity;
    final Duration helloTimeout;
    final String serverVersion;

    final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    final ScheduledExecutorService timer;
    private final AtomicLong connectionIds = new AtomicLong();
    private LocalServer server;
    private AutoCloseable serviceSubscription;
    private AutoCloseable logSubscription;
    private Thread acceptor;
    private volatile boolean closed;

    private IpcServer(Builder b) {
        service = b.service;
        log = b.log;
        address = b.address;
        endpoints = b.endpoints != null ? b.endpoints : new UnixSocketEndpoints(new AccountDatabase());
        access = new EndpointAccess(b.adminGroup, b.operatorGroup);
        refusalHint = " (an administrator, or a member of group " + b.adminGroup + " or " + b.operatorGroup + ")";
        maxConnections = b.maxConnections;
        maxConnectionsPerUser = b.maxConnectionsPerUser;
        queueCapacity = b.queueCapacity;
        helloTimeout = b.helloTimeout;
        serverVersion = b.serverVersion;
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("wirefx-ipc-timer").factory());
        t.setRemoveOnCancelPolicy(true); // a cancelled deadline does not keep its connection reachable until it is due
        timer = t;
    }

    public static Builder builder(TunnelService service, LogRing log) {
        return new Builder(service, log);
    }

    /** Configuration of an {@link IpcServer}. */
    public static final class Builder {
        private final TunnelService service;
        private final LogRing log;
        private String address = Protocol.DEFAULT_SOCKET.toString();
        private LocalEndpoints endpoints;
        private String adminGroup = DEFAULT_ADMIN_GROUP;
        private String operatorGroup = DEFAULT_OPERATOR_GROUP;
        private int maxConnections = 256;
        private int maxConnectionsPerUser = 32;
        private int queueCapacity = 512;
        private Duration helloTimeout = Duration.ofSeconds(10);
        private String serverVersion = "wirefx";

        private Builder(TunnelService service, LogRing log) {
            this.service = Objects.requireNonNull(service, "service");
            this.log = Objects.requireNonNull(log, "log");
        }

        /** The endpoint's address (a socket path or pipe name); default {@code /run/wirefx/wirefx.sock}. */
        public Builder address(String value) {
            address = Objects.requireNonNull(value);
            return this;
        }

        /** A Unix socket path: {@link #address} of its absolute path. */
        public Builder socketPath(Path value) {
            return address(value.toAbsolutePath().toString());
        }

        /** The platform's endpoints; default Unix sockets with the system's account database. */
        public Builder endpoints(LocalEndpoints value) {
            endpoints = Objects.requireNonNull(value);
            return this;
        }

        /**
         * The groups whose members are admins and operators (defaults {@code wirefx-admin} and {@code wirefx}); the
         * operator group also owns the socket.
         */
        public Builder groups(String admin, String operator) {
            adminGroup = Objects.requireNonNull(admin);
            operatorGroup = Objects.requireNonNull(operator);
            return this;
        }

        /** Connections beyond this are answered BUSY and closed. Default 256. */
        public Builder maxConnections(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxConnections < 1");
            }
            maxConnections = value;
            return this;
        }

        /**
         * Connections of one user (as the OS identified the caller) beyond this are answered BUSY and closed, so
         * that one local user cannot take every slot of {@link #maxConnections}. Default 32.
         */
        public Builder maxConnectionsPerUser(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxConnectionsPerUser < 1");
            }
            maxConnectionsPerUser = value;
            return this;
        }

        /** Frames a connection may have waiting to be written. Default 512. */
        public Builder queueCapacity(int value) {
            if (value < 8) {
                throw new IllegalArgumentException("queueCapacity < 8");
            }
            queueCapacity = value;
            return this;
        }

        /** Time allowed between accept and a complete client hello. Default 10 s. */
        public Builder helloTimeout(Duration value) {
            helloTimeout = Objects.requireNonNull(value);
            return this;
        }

        /** Free text sent in the server hello. */
        public Builder serverVersion(String value) {
            serverVersion = Objects.requireNonNull(value);
            return this;
        }

        public IpcServer build() {
            return new IpcServer(this);
        }
    }

    /** Opens the endpoint and starts accepting. */
    public synchronized IpcServer start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("started already");
        }
        server = endpoints.listen(address, access);
        serviceSubscription = service.subscribe(this::broadcast, this::statsWanted);
        logSubscription = log.follow(e -> broadcast(new Event.LogLine(e)));
        acceptor = Thread.ofPlatform().daemon().name("wirefx-ipc-accept").start(this::acceptLoop);
        log.info(null, "listening on " + address);
        return this;
    }

    /** The endpoint's address. */
    public String address() {
        return address;
    }

    /** The endpoint as a path (Unix sockets). */
    public Path socketPath() {
        return Path.of(address);
    }

    /** Connections currently open (including those still in the hello). */
    public int connectionCount() {
        return connections.size();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closeQuietly(serviceSubscription);
        closeQuietly(logSubscription);
        if (server != null) {
            server.close();
        }
        for (Connection c : connections) {
            c.close();
        }
        timer.shutdownNow();
        if (acceptor != null) {
            try {
                acceptor.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs {@code task} after {@code delay}; if the server is closing, runs it now. */
    java.util.concurrent.Future<?> later(Runnable task, Duration delay) {
        try {
            return timer.schedule(task, delay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            task.run();
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // nothing to do
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            LocalConnection ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                log.error(null, "accept failed: " + e.getMessage());
                try {
                    Thread.sleep(100); // e.g. EMFILE: do not spin
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            long id = connectionIds.incrementAndGet();
            Connection c = new Connection(this, ch, id);
            String busy = null;
            if (connections.size() >= maxConnections) {
                busy = "too many connections; try again later";
            } else if (connectionsOf(c.callerName()) >= maxConnectionsPerUser) {
                busy = "too many connections from user " + c.callerName() + " (at most " + maxConnectionsPerUser
                        + "); try again later";
            } else {
                connections.add(c);
            }
            String refusal = busy;
            Thread.ofVirtual().name("wirefx-ipc-" + id)
                    .start(refusal == null ? c::run : () -> c.refuseBusy(refusal));
        }
    }

    /** Connections (admitted, not yet closed) of the user called {@code name}; only the acceptor adds any. */
    private int connectionsOf(String name) {
        int n = 0;
        for (Connection c : connections) {
            if (c.callerName().equals(name)) {
                n++;
            }
        }
        return n;
    }

    // ---- requests ----------------------------------------------------------------------------------------------

    /** Handles one authorized-or-not request for a connection; never throws. */
    Response handle(Request request, Connection c) {
        long id = request.id();
        if (!io.wirefx.ipc.Permissions.allows(c.role(), request)) {
            return new Response.Failure(id, ErrorCode.FORBIDDEN, "only admins may do this");
        }
        try {
            return switch (request) {
                case Request.Ping p -> new Response.Pong(id);
                case Request.ListTunnels l -> new Response.TunnelList(id, service.list());
                case Request.GetTunnel g -> {
                    TunnelView v = service.get(g.name());
                    io.wirefx.ipc.TunnelSettings settings;
                    try {
                        settings = service.settings(g.name());
                    } catch (TunnelServiceException e) {
                        settings = null; // the configuration is still shown; getSettings tells what is wrong
                    }
                    yield new Response.TunnelConfig(id, v.name(), v.state(), v.text(), false, v.details(),
                            settings);
                }
                case Request.ImportTunnels i -> {
                    audit(c, "import " + (i.text() != null ? i.name() : "zip"));
                    if (i.text() != null) {
                        yield new Response.ImportResult(id, service.importText(i.name(), i.text(), i.replace()));
                    }
                    byte[] zip;
                    try {
                        zip = Base64.getDecoder().decode(i.zipBase64());
                    } catch (IllegalArgumentException e) {
                        yield new Response.Failure(id, ErrorCode.BAD_REQUEST, "zipBase64 is not Base64");
                    }
                    yield new Response.ImportResult(id, service.importZip(zip, i.replace()));
                }
                case Request.CreateTunnel r -> {
                    audit(c, "create " + r.name());
                    service.create(r.name(), r.text());
                    yield new Response.Ok(id);
                }
                case Request.UpdateTunnel r -> {
                    audit(c, "update " + r.name());
                    service.update(r.name(), r.text());
                    yield new Response.Ok(id);
                }
                case Request.RenameTunnel r -> {
                    audit(c, "rename " + r.name() + " to " + r.newName());
                    service.rename(r.name(), r.newName());
                    yield new Response.Ok(id);
                }
                case Request.DeleteTunnel r -> {
                    audit(c, "delete " + r.name());
                    service.delete(r.name());
                    yield new Response.Ok(id);
                }
                case Request.StartTunnel r -> {
                    audit(c, "start " + r.name());
                    service.start(r.name());
                    yield new Response.Ok(id);
                }
                case Request.StopTunnel r -> {
                    audit(c, "stop " + r.name());
                    service.stop(r.name());
                    yield new Response.Ok(id);
                }
                case Request.GetStats s -> new Response.Stats(id, service.stats(s.name()));
                case Request.LogTail t -> new Response.LogLines(id,
                        log.tail(Math.max(0, Math.min(t.lines(), log.capacity()))), false);
                // Set before the Ok is queued: every event that happens after the client reads the Ok reaches it
                // (events may also come just before the Ok).
                case Request.LogFollow f -> {
                    c.setFollowLog(f.follow());
                    yield new Response.Ok(id);
                }
                case Request.Subscribe s -> {
                    c.setKinds(s.kinds());
                    yield new Response.Ok(id);
                }
                case Request.GetSettings g -> new Response.Settings(id, g.name(), service.settings(g.name()),
                        service.onDemandAvailable());
                case Request.SetSettings r -> {
                    audit(c, "settings of " + r.name() + ": " + r.settings());
                    service.setSettings(r.name(), r.settings());
                    yield new Response.Ok(id);
                }
                case Request.Export e -> {
                    audit(c, "export");
                    byte[] zip = service.exportZip();
                    yield new Response.ExportResult(id, Base64.getEncoder().encodeToString(zip),
                            service.list().size());
                }
            };
        } catch (TunnelServiceException e) {
            return new Response.Failure(id, e.code(), e.getMessage(), e.configError());
        } catch (RuntimeException e) {
            log.error(null, "internal error handling " + request.getClass().getSimpleName() + ": " + e);
            return new Response.Failure(id, ErrorCode.INTERNAL, null);
        }
    }

    private void audit(Connection c, String what) {
        log.info(null, c.describe() + ": " + what);
    }

    /**
     * The frame (header included) for a message to a caller with {@code role}: redacted, encoded, and kept within
     * the frame limit (log tails are shortened, other oversized answers become TOO_LARGE).
     */
    static byte[] frameFor(Role role, Message message) {
        Message m = Redaction.forRole(role, message);
        byte[] json = IpcJson.encode(m);
        while (json.length > Protocol.MAX_FRAME_BYTES && m instanceof Response.LogLines l && !l.lines().isEmpty()) {
            List<LogEntry> lines = l.lines();
            m = new Response.LogLines(l.id(), lines.subList(Math.max(1, lines.size() / 2), lines.size()), true);
            json = IpcJson.encode(m);
        }
        if (json.length > Protocol.MAX_FRAME_BYTES) {
            if (!(m instanceof Response r)) {
                return null; // an event that cannot be sent; dropped
            }
            json = IpcJson.encode(new Response.Failure(r.id(), ErrorCode.TOO_LARGE,
                    "the answer exceeds the frame limit of " + Protocol.MAX_FRAME_BYTES + " bytes"));
        }
        return FrameCodec.frame(json);
    }

    // ---- events ------------------------------------------------------------------------------------------------

    /** Whether any connection is subscribed to the stats events. */
    private boolean statsWanted() {
        for (Connection c : connections) {
            if (c.role() != null && c.wants(EventKind.STATS)) {
                return true;
            }
        }
        return false;
    }

    /** Fans an event out to every connection subscribed to its kind, encoding it at most once per role. */
    private void broadcast(Event event) {
        EventKind kind = event.kind();
        if (kind == null) {
            return;
        }
        byte[][] perRole = new byte[Role.values().length][];
        boolean[] done = new boolean[Role.values().length];
        for (Connection c : connections) {
            Role role = c.role();
            if (role == null || !c.wants(kind)) {
                continue;
            }
            int r = role.ordinal();
            if (!done[r]) {
                perRole[r] = frameFor(role, event);
                done[r] = true;
            }
            if (perRole[r] != null) {
                c.offerEvent(perRole[r]);
            }
        }
    }

    static Set<EventKind> kinds(Set<EventKind> kinds) {
        return kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
    }
}
