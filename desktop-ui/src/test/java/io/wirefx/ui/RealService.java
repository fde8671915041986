package io.wirefx.ui;

import io.wirefx.platform.unix.UnixSocketEndpoints;
import io.wirefx.daemon.ipc.IpcServer;
import io.wirefx.daemon.ipc.SimulatedTunnelService;
import io.wirefx.daemon.log.LogRing;
import io.wirefx.daemon.store.ConfigStore;
import io.wirefx.ipc.Role;
import io.wirefx.ui.service.IpcServiceClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real thing minus the tunnels: the daemon's {@link IpcServer} on a socket in a temporary directory, a real
 * {@link ConfigStore} there, and the daemon's {@link SimulatedTunnelService} (state changes and counters, no TUN),
 * with an {@link IpcServiceClient} connected to it as the app would be.
 */
public final class RealService implements AutoCloseable {
    public final Path dir;
    public final Path socket;
    public final ConfigStore store;
    public final LogRing log = new LogRing(1000, Clock.systemUTC());
    public final SimulatedTunnelService tunnels;
    public volatile IpcServer server;
    public final IpcServiceClient client;
    private final AtomicReference<Optional<Role>> role = new AtomicReference<>(Optional.of(Role.ADMIN));

    /**
     * @param transition time a tunnel spends STARTING/STOPPING
     * @param stats      period of stats events, or null for none
     */
    public RealService(Path dir, Duration transition, Duration stats) throws Exception {
        this(dir, transition, stats, Clock.systemUTC());
    }

    /** @param clock the simulated tunnels' clock (their handshake times) */
    public RealService(Path dir, Duration transition, Duration stats, Clock clock) throws Exception {
        this.dir = dir;
        this.socket = dir.resolve("wirefx.sock");
        this.store = ConfigStore.open(Files.createDirectories(dir.resolve("tunnels")));
        this.tunnels = new SimulatedTunnelService(store, log, transition, stats, clock);
        this.server = newServer();
        this.client = new IpcServiceClient(socket, "wirefx-ui-test", Duration.ofSeconds(10));
    }

    private IpcServer newServer() throws java.io.IOException {
        return IpcServer.builder(tunnels, log)
                .socketPath(socket)
                .serverVersion("test")
                .endpoints(new UnixSocketEndpoints((user, group) -> role.get()))
                .build().start();
    }

    /** Stops the server (clients see the service go away) and starts a new one on the same socket and store. */
    public void restartServer() throws java.io.IOException {
        server.close();
        server = newServer();
    }

    /** The role the next connection gets (empty: refused). */
    public void grant(Role next) {
        role.set(Optional.ofNullable(next));
    }

    @Override
    public void close() {
        client.close();
        server.close();
        tunnels.close();
    }
}
