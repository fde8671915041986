package io.wirefx.daemon.uapi;

import io.wirefx.core.uapi.UapiDevice;
import io.wirefx.core.uapi.UapiProtocol;
import io.wirefx.core.uapi.UapiSession;
import io.wirefx.platform.EndpointAccess;
import io.wirefx.platform.LocalConnection;
import io.wirefx.platform.LocalEndpoints;
import io.wirefx.platform.LocalServer;
import io.wirefx.platform.unix.AccountDatabase;
import io.wirefx.platform.unix.UnixSocketEndpoints;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serves the cross-platform UAPI (reference §7) on a local endpoint of the platform, the way wireguard-go does, so
 * that stock {@code wg} and {@code wg-quick} can configure the device: on Linux and macOS the UNIX stream socket
 * {@code DIR/IFNAME.sock}.
 *
 * <ul>
 *   <li>The endpoint admits administrators only (on Unix a socket of mode 0600 plus a check of the peer credentials:
 *       only the socket's owner and root are served, as wireguard-go's umask 077 achieves); a live server already on
 *       the address makes {@link #open} fail, a stale one is replaced.</li>
 *   <li>Each connection is served by its own virtual thread feeding a {@link UapiSession}. Operations of different
 *       connections do not interleave: a connection holds the server's lock from the first line of an operation to
 *       its reply (wireguard-go holds its IPC mutex the same way).</li>
 *   <li>The endpoint is watched ({@link LocalServer#awaitRemoval}): if it was deleted or replaced,
 *       {@link Listener#socketDeleted} is called once. wg-quick on macOS stops a tunnel that way.</li>
 *   <li>{@link #close()} stops accepting, closes the open connections and removes the endpoint if it is still
 *       ours.</li>
 * </ul>
 */
public final class UapiServer implements AutoCloseable {
    /** Where wireguard-go and {@code wg} put the sockets on Linux and macOS ({@code RUNSTATEDIR/wireguard}). */
    public static final Path DEFAULT_DIRECTORY = Path.of("/var/run/wireguard");

    /** Longest line a client may send, without its {@code \n}. */
    public static final int MAX_LINE_LENGTH = UapiProtocol.MAX_LINE_LENGTH;

    /** At most this many connections are served at once; more are closed right after accept. */
    public static final int MAX_CONNECTIONS = 64;

    /** Receives what happens to the server. Called from the server's threads; must not block for long. */
    public interface Listener {
        /** The endpoint was deleted or replaced by someone else. Called at most once, never after close. */
        default void socketDeleted(Path socket) {
        }

        /** A diagnostic line for a verbose log (never contains key material). */
        default void debug(String message) {
        }

        /** Something went wrong that the server survived (e.g. a failed accept). */
        default void error(String message) {
        }
    }

    private final LocalServer server;
    private final UapiDevice device;
    private final Listener listener;
    private final ReentrantLock operationLock = new ReentrantLock();
    private final Set<LocalConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean deletionReported = new AtomicBoolean();
    private final AtomicLong connectionIds = new AtomicLong();
    private final Thread acceptThread;
    private final Thread watchThread;

    private UapiServer(LocalServer server, UapiDevice device, Listener listener) {
        this.server = server;
        this.device = device;
        this.listener = listener;
        String address = server.address();
        String name = address.substring(Math.max(address.lastIndexOf('/'), address.lastIndexOf('\\')) + 1);
        this.acceptThread = Thread.ofPlatform().daemon().name("uapi-accept-" + name).unstarted(this::acceptLoop);
        this.watchThread = Thread.ofPlatform().daemon().name("uapi-watch-" + name).unstarted(this::watchLoop);
    }

    /**
     * Creates {@code directory/interfaceName.sock} (a Unix socket; the directory is created 0755 if missing) and
     * starts serving {@code device} on it.
     *
     * @param interfaceName the interface name, as {@code wg} will name it (1-15 characters, no {@code /})
     * @throws IOException if the socket is in use by a live server, or cannot be created
     */
    public static UapiServer open(Path directory, String interfaceName, UapiDevice device, Listener listener)
            throws IOException {
        if (interfaceName == null || !interfaceName.matches("[^/\\x00\\s]{1,15}")
                || interfaceName.equals(".") || interfaceName.equals("..")) {
            throw new IllegalArgumentException("bad interface name: " + interfaceName);
        }
        return open(new UnixSocketEndpoints(new AccountDatabase()), directory.resolve(interfaceName + ".sock")
                .toString(), device, listener);
    }

    /**
     * Serves {@code device} on {@code address} of the platform's endpoints ({@link LocalEndpoints#uapiAddress}),
     * administrators only.
     */
    public static UapiServer open(LocalEndpoints endpoints, String address, UapiDevice device, Listener listener)
            throws IOException {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(listener, "listener");
        LocalServer server = endpoints.listen(address, EndpointAccess.adminsOnly("root"));
        UapiServer s = new UapiServer(server, device, listener);
        s.acceptThread.start();
        s.watchThread.start();
        return s;
    }

    /** The endpoint, {@code DIR/IFNAME.sock}. */
    public Path socketPath() {
        return Path.of(server.address());
    }

    /** True until {@link #close()}. */
    public boolean isOpen() {
        return !closed.get();
    }

    /**
     * Stops accepting, closes every open connection and removes the endpoint if it is still the one this server
     * created. Idempotent; never throws.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.close();
        for (LocalConnection c : connections) {
            closeQuietly(c);
        }
        acceptThread.interrupt();
        watchThread.interrupt();
    }

    private void watchLoop() {
        try {
            server.awaitRemoval();
        } catch (InterruptedException e) {
            return;
        }
        reportDeleted();
    }

    private void reportDeleted() {
        if (!closed.get() && deletionReported.compareAndSet(false, true)) {
            listener.debug("UAPI socket " + server.address() + " was deleted");
            listener.socketDeleted(socketPath());
        }
    }

    // ------------------------------------------------------------------ connections

    private void acceptLoop() {
        while (!closed.get()) {
            LocalConnection c;
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

    private void serve(LocalConnection channel, long id) {
        if (channel.caller().role().isEmpty()) {
            listener.error("UAPI: refused a connection from user " + channel.caller().name());
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

    private static void writeFully(LocalConnection channel, String text) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    private static void closeQuietly(LocalConnection c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public String toString() {
        return "UapiServer[" + server.address() + "]";
    }
}
