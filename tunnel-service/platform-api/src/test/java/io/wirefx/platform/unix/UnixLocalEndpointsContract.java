package io.wirefx.platform.unix;

import io.wirefx.platform.LocalEndpointsContract;
import io.wirefx.platform.LocalServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The endpoint contract for platforms whose endpoints are Unix sockets (Linux, macOS), run as root. */
public abstract class UnixLocalEndpointsContract extends LocalEndpointsContract {
    @TempDir
    Path dir;
    private final AtomicInteger next = new AtomicInteger();

    @BeforeEach
    void root() {
        assumeTrue("root".equals(System.getProperty("user.name")), "the contract expects root's ADMIN role");
    }

    @Override
    protected String freshAddress() {
        // sun_path has 104 bytes on macOS: short names in a fresh subdirectory (created by listen).
        return dir.resolve("run/e" + next.incrementAndGet() + ".sock").toString();
    }

    @Override
    protected ByteChannel connect(String address) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(address));
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    @Test
    void awaitRemovalReturnsWhenTheSocketIsDeletedOrReplaced() throws Exception {
        for (boolean replace : new boolean[]{false, true}) {
            String address = freshAddress();
            try (LocalServer server = endpoints().listen(address, access())) {
                CompletableFuture<Void> removed = CompletableFuture.runAsync(() -> {
                    try {
                        server.awaitRemoval();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(300);
                assertFalse(removed.isDone(), "returned while the socket was still there");
                Path p = Path.of(address);
                Files.delete(p);
                if (replace) {
                    leaveStaleEndpoint(address);
                }
                removed.get(5, TimeUnit.SECONDS);
                assertFalse(server.stillPresent());
            }
        }
    }

    @Test
    void awaitRemovalEndsWhenInterrupted() throws Exception {
        try (LocalServer server = endpoints().listen(freshAddress(), access())) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    server.awaitRemoval();
                    outcome.complete(null);
                } catch (InterruptedException e) {
                    outcome.complete(e);
                }
            });
            Thread.sleep(300);
            t.interrupt();
            assertInstanceOf(InterruptedException.class, outcome.get(5, TimeUnit.SECONDS));
            assertTrue(server.stillPresent());
        }
    }

    /** Bound and closed without unlinking: the socket file of a killed process. */
    @Override
    protected boolean leaveStaleEndpoint(String address) throws IOException {
        Path p = Path.of(address);
        Files.createDirectories(p.getParent());
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(p));
        }
        return Files.exists(p);
    }
}
