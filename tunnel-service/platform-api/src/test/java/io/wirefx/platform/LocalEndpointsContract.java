package io.wirefx.platform;

import io.wirefx.ipc.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every platform's {@link LocalEndpoints} must do, run by each implementation on its own OS: bytes both ways, the
 * caller identified with the role its identity grants, one live server per address, a stale endpoint replaced,
 * close removing the endpoint and waking a blocked accept.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class LocalEndpointsContract {

    /** The endpoints under test. */
    protected abstract LocalEndpoints endpoints();

    /** An address nobody uses yet. */
    protected abstract String freshAddress() throws IOException;

    /** Connects as a client, as the test process's own user. */
    protected abstract ByteChannel connect(String address) throws IOException;

    /** The role the test process's user gets at an endpoint of {@link #access()} (the tests run privileged). */
    protected Role expectedRole() {
        return Role.ADMIN;
    }

    /** The access of the endpoints the contract opens. */
    protected EndpointAccess access() {
        return new EndpointAccess("wirefx-admin", "wirefx");
    }

    /** Leaves a dead endpoint at {@code address}, as a crashed process would; false if the OS has no such thing. */
    protected abstract boolean leaveStaleEndpoint(String address) throws IOException;

    @Test
    void bytesFlowBothWaysAndTheCallerIsIdentified() throws Exception {
        String address = freshAddress();
        try (LocalServer server = endpoints().listen(address, access())) {
            assertEquals(address, server.address());
            CompletableFuture<LocalConnection> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.accept();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (ByteChannel client = connect(address); LocalConnection conn = accepted.get(10, TimeUnit.SECONDS)) {
                assertEquals(expectedRole(), conn.caller().role().orElseThrow());
                assertFalse(conn.caller().name().isEmpty());
                client.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
                assertEquals("ping", read(conn, 4));
                conn.write(ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII)));
                assertEquals("pong", read(client, 4));
                assertTrue(server.stillPresent());
            }
        }
    }

    @Test
    void aLiveServerKeepsItsAddressAndCloseRemovesIt() throws Exception {
        String address = freshAddress();
        LocalServer first = endpoints().listen(address, access());
        try {
            assertThrows(IOException.class, () -> endpoints().listen(address, access()).close());
        } finally {
            first.close();
        }
        assertThrows(IOException.class, () -> connect(address).close(), "nothing listens after close");
        endpoints().listen(address, access()).close(); // and the address is free again
    }

    @Test
    void aStaleEndpointIsReplaced() throws Exception {
        String address = freshAddress();
        if (!leaveStaleEndpoint(address)) {
            return; // nothing can be left behind on this OS
        }
        try (LocalServer server = endpoints().listen(address, access())) {
            assertTrue(server.stillPresent());
        }
    }

    @Test
    void closeWakesABlockedAccept() throws Exception {
        LocalServer server = endpoints().listen(freshAddress(), access());
        CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                server.accept().close();
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        Thread.sleep(200);
        server.close();
        Throwable t = blocked.get(10, TimeUnit.SECONDS);
        assertTrue(t instanceof ClosedChannelException || t instanceof IOException, String.valueOf(t));
    }

    private static String read(ByteChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                break;
            }
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
    }
}
