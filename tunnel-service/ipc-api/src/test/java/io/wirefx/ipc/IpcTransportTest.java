package io.wirefx.ipc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client's transport seam: selection by address through ServiceLoader, the fake transport end to end, Unix. */
class IpcTransportTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void addressPicksTheTransport() {
        assertInstanceOf(FakeTransport.class, IpcTransports.forAddress("fake:x"));
        assertSame(IpcTransports.UNIX, IpcTransports.forAddress("/run/wirefx/wirefx.sock"));
        assertEquals(1, IpcTransports.installed().size(), "the fake registered in META-INF/services");
    }

    @Test
    void defaultAddressIsTheSocketWhenNoTransportClaimsThisMachine() {
        assertEquals(Protocol.DEFAULT_SOCKET.toString(), IpcTransports.defaultAddress());
    }

    @Test
    void requestsGoThroughTheTransportFoundForTheAddress() throws Exception {
        try (IpcClient c = IpcClient.connect("fake:admin", "seam-test", null, TIMEOUT)) {
            assertEquals(Role.ADMIN, c.role());
            assertEquals("fake 1", c.serverVersion());
            c.ping();
            assertEquals(List.of(), c.list());
        }
        assertTrue(FakeTransport.HELLOS.stream().anyMatch(h -> h.clientName().equals("seam-test")));
        assertTrue(FakeTransport.REQUESTS.stream().anyMatch(r -> r instanceof Request.Ping));
        awaitClosed("fake:admin");
    }

    @Test
    void anExplicitTransportIsUsedAsGiven() throws Exception {
        try (IpcClient c = IpcClient.connect(new FakeTransport(), "fake:operator", "explicit", null, TIMEOUT)) {
            assertEquals(Role.OPERATOR, c.role());
            IpcException e = assertThrows(IpcException.class, () -> c.exportZip());
            assertEquals(ErrorCode.UNKNOWN_REQUEST, e.code());
            assertTrue(c.isConnected(), "an error answer keeps the connection");
        }
    }

    @Test
    void theServiceClosingEndsTheClient() throws Exception {
        CompletableFuture<Exception> gone = new CompletableFuture<>();
        IpcClient c = IpcClient.connect("fake:drop", "drop", new IpcClient.Listener() {
            @Override
            public void onEvent(Event event) {
            }

            @Override
            public void onDisconnected(Exception cause) {
                gone.complete(cause);
            }
        }, TIMEOUT);
        Exception cause = gone.get(10, TimeUnit.SECONDS);
        assertInstanceOf(IOException.class, cause);
        assertFalse(c.isConnected());
        assertThrows(IOException.class, c::ping);
        c.close();
    }

    @Test
    void aTransportFailureIsTheConnectFailure() {
        assertThrows(NoSuchFileException.class, () -> IpcClient.connect("fake:absent", "x", null, TIMEOUT));
    }

    @Test
    void theUnixDefaultStillConnectsToASocketPath(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            CompletableFuture<ClientHello> seen = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel s = server.accept()) {
                    ClientHello h = (ClientHello) FrameCodec.readMessage(s);
                    FrameCodec.writeMessage(s, new ServerHello(Protocol.VERSION, "unix 1", Role.OPERATOR));
                    FrameCodec.readMessage(s); // until the client closes
                    return h;
                } catch (IOException | ProtocolException e) {
                    throw new RuntimeException(e);
                }
            });
            try (IpcClient c = IpcClient.connect(sock.toString(), "by-string", null, TIMEOUT)) {
                assertEquals(Role.OPERATOR, c.role());
            }
            assertEquals("by-string", seen.get(10, TimeUnit.SECONDS).clientName());
        }
    }

    private static void awaitClosed(String address) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!FakeTransport.CLOSED.contains(address) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertTrue(FakeTransport.CLOSED.contains(address), "the fake service saw the client close");
    }

    @Test
    void theDefaultSocketIsWhereTheServiceOfThisOsListens() {
        assertEquals(java.nio.file.Path.of("/var/run/wirefx/wirefx.sock"), IpcTransports.defaultSocket("Mac OS X"));
        assertEquals(java.nio.file.Path.of("/run/wirefx/wirefx.sock"), IpcTransports.defaultSocket("Linux"));
    }
}
