package io.wirefx.daemon.userspace;

import io.wirefx.daemon.uapi.UapiServer;
import io.wirefx.platform.LocalEndpoints;
import io.wirefx.tun.TunDevice;
import io.wirefx.tun.TunDriver;
import io.wirefx.tun.TunEvent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One running interface, as wireguard-go runs one: a TUN device, a {@link Backend} on it and the UAPI socket
 * {@code DIR/IFNAME.sock}. It asks to stop (see {@link #awaitStop()}) when the TUN interface disappears, when the
 * socket file is deleted, when the backend fails, or when {@link #requestStop} is called (signals).
 */
public final class UserspaceDaemon implements AutoCloseable {

    /** wireguard-go's default MTU for a new interface. */
    public static final int DEFAULT_MTU = 1420;

    private final Log log;
    private final TunDevice tun;
    private final CompletableFuture<String> stop = new CompletableFuture<>();
    private volatile Backend backend;
    private volatile UapiServer uapi;
    private boolean closed;

    private UserspaceDaemon(TunDevice tun, Log log) {
        this.tun = tun;
        this.log = log;
    }

    /**
     * Creates the TUN interface, starts the backend and then the UAPI socket; on failure everything created so far
     * is torn down again.
     *
     * @param name     the interface name (or a driver template such as {@code wg%d})
     * @param uapiDir  the socket directory, normally {@link UapiServer#DEFAULT_DIRECTORY}
     * @throws IOException if the TUN device, the backend or the socket cannot be created
     */
    public static UserspaceDaemon start(String name, int mtu, Path uapiDir, TunDriver driver,
            LocalEndpoints endpoints, Backend.Factory backends, Log log) throws IOException {
        Objects.requireNonNull(uapiDir, "uapiDir");
        TunDevice tun = driver.open(name, mtu);
        UserspaceDaemon d = new UserspaceDaemon(tun, log);
        boolean ok = false;
        try {
            tun.addListener((dev, ev) -> {
                if (ev instanceof TunEvent.DeviceRemoved r) {
                    d.requestStop("interface " + dev.name() + " was removed (" + r.detail() + ")");
                }
            });
            log.debug("Interface " + tun.name() + " created (" + driver.id() + ", MTU " + mtu + ")");
            d.backend = backends.start(tun, log, reason -> d.requestStop("fatal: " + reason));
            UapiServer.Listener events = new UapiServer.Listener() {
                @Override
                public void socketDeleted(Path socket) {
                    d.requestStop("UAPI socket " + socket + " was deleted");
                }

                @Override
                public void debug(String message) {
                    log.debug(message);
                }

                @Override
                public void error(String message) {
                    log.error(message);
                }
            };
            d.uapi = UapiServer.open(endpoints, endpoints.uapiAddress(uapiDir, tun.name()), d.backend.uapi(), events);
            log.debug("UAPI listener started on " + d.uapi.socketPath());
            if (!tun.isOpen()) {
                d.requestStop("interface " + tun.name() + " was removed during start-up");
            }
            ok = true;
            return d;
        } finally {
            if (!ok) {
                d.close();
            }
        }
    }

    /** The interface name the OS reports. */
    public String interfaceName() {
        return tun.name();
    }

    /** The UAPI socket path. */
    public Path socketPath() {
        return uapi.socketPath();
    }

    /** Asks the daemon to stop; the first reason wins. */
    public void requestStop(String reason) {
        stop.complete(reason);
    }

    /** True once a stop was requested. */
    public boolean stopRequested() {
        return stop.isDone();
    }

    /** Blocks until a stop is requested and returns the reason. */
    public String awaitStop() throws InterruptedException {
        try {
            return stop.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // never completed exceptionally
        }
    }

    /**
     * Removes the UAPI socket, stops the backend and closes the TUN device (which deletes the interface). Safe to
     * call from several threads (a shutdown hook and the main thread): later callers wait for the first to finish.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop.complete("closed");
        UapiServer u = uapi;
        if (u != null) {
            u.close();
        }
        Backend b = backend;
        if (b != null) {
            try {
                b.close();
            } catch (RuntimeException e) {
                log.error("Stopping the engine failed: " + e);
            }
        }
        tun.close();
    }
}
