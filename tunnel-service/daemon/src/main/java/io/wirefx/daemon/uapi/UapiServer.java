package io.wirefx.daemon.uapi;

import io.wirefx.core.uapi.UapiDevice;
import io.wirefx.core.uapi.UapiProtocol;
import io.wirefx.core.uapi.UapiSession;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serves the cross-platform UAPI (reference §7) on a UNIX stream socket {@code DIR/IFNAME.sock}, the way wireguard-go
 * does, so that stock {@code wg} and {@code wg-quick} can configure the device.
 *
 * <ul>
 *   <li>The directory is created with mode 0755 if missing; the socket is made mode 0600 right after bind, which is
 *       what wireguard-go's umask 077 achieves. A JVM cannot set its umask, so connections are also checked by their
 *       peer credentials: only the socket's owner and root are served.</li>
 *   <li>If the path is taken: when a {@code connect()} to it succeeds another daemon owns it and
 *       {@link #open} fails; otherwise the stale file is replaced.</li>
 *   <li>Each connection is served by its own virtual thread feeding a {@link UapiSession}. Operations of different
 *       connections do not interleave: a connection holds the server's lock from the first line of an operation to
 *       its reply (wireguard-go holds its IPC mutex the same way).</li>
 *   <li>The socket file is watched (inotify via {@link WatchService}, plus a periodic check): if it is deleted or
 *       replaced, {@link Listener#socketDeleted} is called once. wg-quick on macOS stops a tunnel that way.</li>
 *   <li>{@link #close()} stops accepting, closes the open connections and removes the socket file if it is still
 *       ours.</li>
 * </ul>
 */
public final class UapiServer implements AutoCloseable {

    /** Where wireguard-go and {@code wg} put the sockets ({@code RUNSTATEDIR/wireguard}). */
    public static final Path DEFAULT_DIRECTORY = Path.of("/var/run/wireguard");

    /** Longest line a client may send, without its {@code \n}. */
    public static final int MAX_LINE_LENGTH = UapiProtocol.MAX_LINE_LENGTH;

    /** At most this many connections are served at once; more are closed right after accept. */
    public static final int MAX_CONNECTIONS = 64;

    /** How often the socket file is checked besides inotify events (missed events, overflow). */
    private static final long RECHECK_MILLIS = 1000;

    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> SOCKET_MODE = PosixFilePermissions.fromString("rw-------");

    /** Receives what happens to the server. Called from the server's threads; must not block for long. */
    public interface Listener {
        /** The socket file was deleted or replaced by someone else. Called at most once, never after close. */
        default void socketDeleted(Path socket) {
        }

        /** A diagnostic line for a verbose log (never contains key material). */
        default void debug(String message) {
        }

        /** Something went wrong that the server survived (e.g. a failed accept). */
        default void error(String message) {
        }
    }

    private final Path socketPath;
    private final ServerSocketChannel server;
    private final Object socketFileKey;
    private final UserPrincipal owner;
    private final UapiDevice device;
    private final Listener listener;
    private final ReentrantLock operationLock = new ReentrantLock();
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean deletionReported = new AtomicBoolean();
    private final AtomicLong connectionIds = new AtomicLong();
    private final WatchService watcher;
    private final Thread acceptThread;
    private final Thread watchThread;

    private UapiServer(Path socketPath, ServerSocketChannel server, Object socketFileKey, UserPrincipal owner,
            WatchService watcher, UapiDevice device, Listener listener) {
        this.socketPath = socketPath;
        this.server = server;
        this.socketFileKey = socketFileKey;
        this.owner = owner;
        this.watcher = watcher;
        this.device = device;
        this.listener = listener;
        String name = socketPath.getFileName().toString();
        this.acceptThread = Thread.ofPlatform().daemon().name("uapi-accept-" + name).unstarted(this::acceptLoop);
        this.watchThread = Thread.ofPlatform().daemon().name("uapi-watch-" + name).unstarted(this::watchLoop);
    }

    /**
     * Creates {@code directory/interfaceName.sock} and starts serving {@code device} on it.
     *
     * @param directory     the socket directory, normally {@link #DEFAULT_DIRECTORY}; created 0755 if missing
     * @param interfaceName the interface name, as {@code wg} will name it (1-15 characters, no {@code /})
     * @throws IOException if the socket is in use by a live server, or cannot be created
     */
    public static UapiServer open(Path directory, String interfaceName, UapiDevice device, Listener listener)
            throws IOException {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(listener, "listener");
        if (interfaceName == null || !interfaceName.matches("[^/\\x00\\s]{1,15}")
                || interfaceName.equals(".") || interfaceName.equals("..")) {
            throw new IllegalArgumentException("bad interface name: " + interfaceName);
        }
        createDirectory(directory);
        Path socket = directory.resolve(interfaceName + ".sock");
        removeIfStale(socket);

        ServerSocketChannel server = null;
        WatchService watcher = null;
        boolean bound = false;
        boolean ok = false;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket), 16); // fails if another server took the path meanwhile
            bound = true;
            // Until this chmod the mode is 0777 & ~umask; clients of another user that connect in that instant are
            // turned away at accept by their credentials (see serve), so 0600 holds from the start.
            Files.setPosixFilePermissions(socket, SOCKET_MODE);
            BasicFileAttributes attrs = Files.readAttributes(socket, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            UserPrincipal owner = Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS);
            watcher = FileSystems.getDefault().newWatchService();
            directory.register(watcher, StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_CREATE);
            UapiServer s = new UapiServer(socket, server, attrs.fileKey(), owner, watcher, device, listener);
            s.acceptThread.start();
            s.watchThread.start();
            if (!s.stillOurs()) { // deleted or replaced before the watch was in place
                s.watchThread.interrupt();
                s.reportDeleted();
            }
            ok = true;
            return s;
        } finally {
            if (!ok) {
                if (server != null) {
                    server.close();
                }
                if (bound) {
                    Files.deleteIfExists(socket);
                }
                if (watcher != null) {
                    watcher.close();
                }
            }
        }
    }

    /** The socket file, {@code DIR/IFNAME.sock}. */
    public Path socketPath() {
        return socketPath;
    }

    /** True until {@link #close()}. */
    public boolean isOpen() {
        return !closed.get();
    }

    /**
     * Stops accepting, closes every open connection and removes the socket file if it is still the one this server
     * created. Idempotent; never throws.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            listener.error("closing the UAPI socket: " + e.getMessage());
        }
        try {
            watcher.close();
        } catch (IOException e) {
            listener.error("closing the socket watcher: " + e.getMessage());
        }
        for (SocketChannel c : connections) {
            closeQuietly(c);
        }
        try {
            if (stillOurs()) {
                Files.deleteIfExists(socketPath);
            }
        } catch (IOException e) {
            listener.error("removing " + socketPath + ": " + e.getMessage());
        }
        acceptThread.interrupt();
        watchThread.interrupt();
    }

    // ------------------------------------------------------------------ socket file

    private static void createDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        Path parent = directory.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(DIR_MODE));
            Files.setPosixFilePermissions(directory, DIR_MODE); // not reduced by the umask
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            if (!Files.isDirectory(directory)) {
                throw raced;
            }
        }
    }

    /**
     * If {@code socket} exists: a live server behind it is an error; anything that refuses a connection (a stale
     * socket left by a crash, or a non-socket file) is removed, as wireguard-go does.
     */
    private static void removeIfStale(Path socket) throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(socket, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(socket + " exists and is a directory");
        }
        if (acceptsConnections(socket)) {
            throw new IOException("UAPI socket " + socket + " is in use by another process");
        }
        Files.deleteIfExists(socket);
    }

    /** True if a server accepts connections on {@code socket}; false if refused, missing or not a socket. */
    static boolean acceptsConnections(Path socket) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private boolean stillOurs() {
        try {
            Object key = Files.readAttributes(socketPath, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            return socketFileKey == null || socketFileKey.equals(key);
        } catch (IOException gone) {
            return false;
        }
    }

    private void watchLoop() {
        String name = socketPath.getFileName().toString();
        while (!closed.get()) {
            WatchKey key;
            try {
                key = watcher.poll(RECHECK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            boolean relevant = key == null; // periodic check
            if (key != null) {
                for (WatchEvent<?> ev : key.pollEvents()) {
                    if (ev.kind() == StandardWatchEventKinds.OVERFLOW
                            || (ev.context() instanceof Path p && p.toString().equals(name))) {
                        relevant = true;
                    }
                }
                if (!key.reset()) {
                    relevant = true; // the directory itself is gone
                }
            }
            if (relevant && !closed.get() && !stillOurs()) {
                reportDeleted();
                return;
            }
        }
    }

    private void reportDeleted() {
        if (!closed.get() && deletionReported.compareAndSet(false, true)) {
            listener.debug("UAPI socket " + socketPath + " was deleted");
            listener.socketDeleted(socketPath);
        }
    }

    // ------------------------------------------------------------------ connections

    /** Only the socket's owner (the daemon's user) and root may talk to the daemon, as with a 0600 socket. */
    private boolean authorized(SocketChannel c, long id) {
        try {
            UnixDomainPrincipal peer = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
            if (peer.user().equals(owner) || peer.user().getName().equals("root")) {
                return true;
            }
            listener.error("UAPI: refused a connection from user " + peer.user().getName());
        } catch (IOException | UnsupportedOperationException e) {
            listener.error("UAPI: cannot check the credentials of connection " + id + ": " + e.getMessage());
        }
        return false;
    }

    private void acceptLoop() {
        while (!closed.get()) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed.get()) {
                    return;
                }
                listener.error("UAPI accept failed: " + e.getMessage());
                try {
                    Thread.sleep(50); // e.g. EMFILE: do not spin
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            if (connections.size() >= MAX_CONNECTIONS) {
                listener.error("UAPI: too many connections, refusing one");
                closeQuietly(c);
                continue;
            }
            connections.add(c);
            if (closed.get()) { // close() may have missed it
                closeQuietly(c);
                return;
            }
            long id = connectionIds.incrementAndGet();
            Thread.ofVirtual().name("uapi-conn-" + id).start(() -> serve(c, id));
        }
    }

    private void serve(SocketChannel channel, long id) {
        if (!authorized(channel, id)) {
            closeQuietly(channel);
            connections.remove(channel);
            return;
        }
        UapiSession session = new UapiSession(device, MAX_LINE_LENGTH);
        ByteBuffer in = ByteBuffer.allocate(4096);
        boolean locked = false;
        try (channel) {
            while (!session.isClosed()) {
                in.clear();
                int n = channel.read(in);
                if (!locked) {
                    operationLock.lock();
                    locked = true;
                }
                List<String> replies = n < 0 ? session.endOfInput() : session.feedBytes(in.array(), 0, n);
                for (String reply : replies) {
                    writeFully(channel, reply);
                }
                if (n < 0) {
                    break;
                }
                if (session.isIdle() || session.isClosed()) {
                    operationLock.unlock();
                    locked = false;
                }
            }
            session.lastError().ifPresent(e -> listener.debug("UAPI connection " + id + ": " + e));
        } catch (ClosedChannelException e) {
            // server closing, or the peer went away
        } catch (IOException e) {
            listener.debug("UAPI connection " + id + ": " + e.getMessage());
        } catch (RuntimeException e) {
            listener.error("UAPI connection " + id + " failed: " + e);
        } finally {
            if (locked) {
                operationLock.unlock();
            }
            connections.remove(channel);
        }
    }

    private static void writeFully(SocketChannel channel, String text) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public String toString() {
        return "UapiServer[" + socketPath + "]";
    }
}
