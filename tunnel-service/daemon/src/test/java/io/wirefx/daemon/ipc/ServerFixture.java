package io.wirefx.daemon.ipc;

import io.wirefx.platform.unix.UnixSocketEndpoints;
import io.wirefx.daemon.log.LogRing;
import io.wirefx.daemon.store.ConfigStore;
import io.wirefx.ipc.Role;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/** A server on a temporary socket with a simulated service; the role of the next connection is chosen by tests. */
final class ServerFixture implements AutoCloseable {
    final Path socket;
    final ConfigStore store;
    final LogRing log = new LogRing(1000, Clock.systemUTC());
    final SimulatedTunnelService service;
    final IpcServer server;
    final AtomicReference<Optional<Role>> nextRole = new AtomicReference<>(Optional.of(Role.ADMIN));

    ServerFixture(Path dir) throws Exception {
        this(dir, b -> b);
    }

    ServerFixture(Path dir, UnaryOperator<IpcServer.Builder> config) throws Exception {
        socket = dir.resolve("wirefx.sock");
        store = ConfigStore.open(dir.resolve("tunnels"));
        service = new SimulatedTunnelService(store, log, Duration.ofMillis(20), null, Clock.systemUTC());
        server = config.apply(IpcServer.builder(service, log)
                        .socketPath(socket)
                        .helloTimeout(Duration.ofSeconds(10))
                        .serverVersion("test")
                        .endpoints(new UnixSocketEndpoints((user, group) -> nextRole.get())))
                .build().start();
    }

    void as(Role role) {
        nextRole.set(Optional.ofNullable(role));
    }

    /** Waits (hang guard: the test's @Timeout) until the server has {@code n} connections. */
    void awaitConnections(int n) throws InterruptedException {
        while (server.connectionCount() != n) {
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        server.close();
        service.close();
    }
}
