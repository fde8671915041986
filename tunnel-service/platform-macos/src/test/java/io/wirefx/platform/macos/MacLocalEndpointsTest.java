package io.wirefx.platform.macos;

import io.wirefx.platform.LocalEndpoints;
import io.wirefx.platform.LocalEndpointsContract;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The macOS platform's endpoints (Unix sockets, the JDK's peer credentials through LOCAL_PEERCRED, groups from
 * {@code id}/{@code dscl}) pass the endpoint contract: on a Mac only (the macOS CI job runs it with sudo).
 */
@Tag("macos")
@EnabledOnOs(OS.MAC)
class MacLocalEndpointsTest extends LocalEndpointsContract {
    @TempDir
    Path dir;
    private final AtomicInteger next = new AtomicInteger();

    @BeforeEach
    void root() {
        assumeTrue("root".equals(System.getProperty("user.name")), "the contract expects root's ADMIN role");
    }

    @Override
    protected LocalEndpoints endpoints() {
        return new MacPlatform().endpoints();
    }

    @Override
    protected String freshAddress() {
        // sun_path is 104 bytes on macOS: keep the socket name short.
        return dir.resolve("e" + next.incrementAndGet() + ".sock").toString();
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
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(p));
        }
        return Files.exists(p);
    }
}
