package io.wirefx.platform.linux;

import io.wirefx.platform.LocalEndpoints;
import io.wirefx.platform.LocalEndpointsContract;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The Linux platform's endpoints (Unix sockets, SO_PEERCRED, the group database) pass the endpoint contract. */
class LinuxLocalEndpointsTest extends LocalEndpointsContract {
    @TempDir
    Path dir;
    private final AtomicInteger next = new AtomicInteger();

    @BeforeEach
    void root() {
        assumeTrue("root".equals(System.getProperty("user.name")), "the contract expects root's ADMIN role");
    }

    @Override
    protected LocalEndpoints endpoints() {
        return new LinuxPlatform().endpoints();
    }

    @Override
    protected String freshAddress() {
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

    @Override
    protected boolean leaveStaleEndpoint(String address) throws IOException {
        Path p = Path.of(address);
        java.nio.file.Files.createDirectories(p.getParent());
        // Bound and closed without unlinking: the socket file of a killed process.
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(p));
        }
        return java.nio.file.Files.exists(p);
    }
}
