package io.wirefx.platform.windows;

import io.wirefx.ipc.Role;
import io.wirefx.platform.EndpointAccess;
import io.wirefx.platform.LocalConnection;
import io.wirefx.platform.LocalServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamedPipeEndpointsTest {

    static final String OPERATORS_SID = "S-1-5-21-9-9-9-1010";
    static final CallerAuthorizerTest.Token ADMIN = CallerAuthorizerTest.user("S-1-5-21-1-2-3-500", true,
            CallerAuthorizer.ADMINISTRATORS_SID);
    static final CallerAuthorizerTest.Token OPERATOR = CallerAuthorizerTest.user("S-1-5-21-1-2-3-1002", false,
            OPERATORS_SID);
    static final CallerAuthorizerTest.Token OUTSIDER = CallerAuthorizerTest.user("S-1-5-21-1-2-3-1003", false);

    /** Pipe instances in memory; a client "dials" a waiting instance with a token. */
    static final class FakePipes implements PipeApi {
        final List<String> creates = new ArrayList<>();
        final Map<Long, Instance> instances = new HashMap<>();
        long next = 1;

        static final class Instance {
            final LinkedBlockingQueue<Object> connected = new LinkedBlockingQueue<>();
            final LinkedBlockingQueue<Integer> toServer = new LinkedBlockingQueue<>();
            final LinkedBlockingQueue<Integer> toClient = new LinkedBlockingQueue<>();
            TokenView token;
            boolean taken;
            boolean closed;
        }

        @Override
        public synchronized long create(String name, String sddl, boolean first) {
            creates.add((first ? "first " : "next ") + sddl);
            instances.put(next, new Instance());
            return next++;
        }

        synchronized Instance dial(TokenView token) {
            for (Instance i : instances.values()) {
                if (!i.taken && !i.closed) {
                    i.taken = true;
                    i.token = token;
                    i.connected.add(token);
                    return i;
                }
            }
            throw new IllegalStateException("no pipe instance waiting: a client would get ERROR_FILE_NOT_FOUND");
        }

        private synchronized Instance get(long pipe) {
            return instances.get(pipe);
        }

        @Override
        public void connect(long pipe) throws IOException {
            try {
                Object o = get(pipe).connected.take();
                if (o instanceof IOException e) {
                    throw e;
                }
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }

        @Override
        public void cancel(long pipe) {
            Instance i = get(pipe);
            i.connected.add(new IOException("ERROR_OPERATION_ABORTED"));
            i.toServer.add(-1);
        }

        @Override
        public int read(long pipe, ByteBuffer dst) throws IOException {
            try {
                int b = get(pipe).toServer.take();
                if (b < 0) {
                    return -1;
                }
                dst.put((byte) b);
                return 1;
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }

        @Override
        public int write(long pipe, ByteBuffer src) {
            int n = src.remaining();
            while (src.hasRemaining()) {
                get(pipe).toClient.add(src.get() & 0xff);
            }
            return n;
        }

        @Override
        public TokenView clientToken(long pipe) {
            return get(pipe).token;
        }

        @Override
        public synchronized void close(long pipe) {
            instances.get(pipe).closed = true;
        }

        @Override
        public Optional<String> groupSid(String name) {
            return name.equals(CallerAuthorizer.OPERATORS_GROUP) ? Optional.of(OPERATORS_SID) : Optional.empty();
        }
    }

    final FakePipes pipes = new FakePipes();
    final NamedPipeEndpoints endpoints = new NamedPipeEndpoints(pipes);

    @Test
    void theIpcPipeGivesEachCallerItsRoleAndKeepsAnInstanceWaiting() throws Exception {
        try (LocalServer server = endpoints.listen(WindowsPaths.IPC_PIPE,
                new EndpointAccess("Administrators", CallerAuthorizer.OPERATORS_GROUP))) {
            assertEquals(List.of("first " + PipeSecurity.IPC_SDDL), pipes.creates);
            Map<CallerAuthorizerTest.Token, Optional<Role>> expected = Map.of(ADMIN, Optional.of(Role.ADMIN),
                    OPERATOR, Optional.of(Role.OPERATOR), OUTSIDER, Optional.empty());
            for (var e : expected.entrySet()) {
                pipes.dial(e.getKey());
                LocalConnection c = server.accept();
                assertEquals(e.getValue(), c.caller().role(), e.getKey().userName());
                assertEquals(e.getKey().userName(), c.caller().name());
                c.close();
            }
            assertEquals(4, pipes.creates.size(), "one instance waiting after each accept");
            assertTrue(pipes.creates.subList(1, 4).stream().allMatch(s -> s.startsWith("next ")));
        }
    }

    @Test
    void theUapiAddressIsWireguardGosPipeWhateverTheDirectory() throws Exception {
        String expected = "\\\\.\\pipe\\ProtectedPrefix\\Administrators\\WireGuard\\office";
        assertEquals(expected, endpoints.uapiAddress(null, "office"));
        assertEquals(expected, endpoints.uapiAddress(java.nio.file.Path.of("ignored"), "office"));
        assertEquals(expected, new WindowsPlatform().endpoints().uapiAddress(null, "office"),
                "the platform's endpoints name the same pipe, without loading anything native");
        assertThrows(IllegalArgumentException.class, () -> endpoints.uapiAddress(null, "a\\b"));
        try (LocalServer server = endpoints.listen(endpoints.uapiAddress(null, "office"),
                EndpointAccess.adminsOnly("Administrators"))) {
            assertEquals(List.of("first " + PipeSecurity.UAPI_SDDL), pipes.creates, "served with the UAPI descriptor");
        }
    }

    @Test
    void theUapiPipeAdmitsAdministratorsOnly() throws Exception {
        try (LocalServer server = endpoints.listen(WindowsPaths.uapiPipe("office"),
                EndpointAccess.adminsOnly("Administrators"))) {
            assertEquals(List.of("first " + PipeSecurity.UAPI_SDDL), pipes.creates);
            pipes.dial(OPERATOR);
            assertEquals(Optional.empty(), server.accept().caller().role());
            pipes.dial(ADMIN);
            assertEquals(Optional.of(Role.ADMIN), server.accept().caller().role());
        }
    }

    @Test
    void bytesFlowBothWaysAndAGoneClientReadsAsEndOfStream() throws Exception {
        try (LocalServer server = endpoints.listen(WindowsPaths.IPC_PIPE, EndpointAccess.adminsOnly("x"))) {
            FakePipes.Instance client = pipes.dial(ADMIN);
            LocalConnection c = server.accept();
            client.toServer.add(42);
            ByteBuffer b = ByteBuffer.allocate(4);
            assertEquals(1, c.read(b));
            assertEquals(42, b.get(0));
            c.write(ByteBuffer.wrap(new byte[]{7, 8}));
            assertEquals(7, client.toClient.take());
            client.toServer.add(-1);
            assertEquals(-1, c.read(ByteBuffer.allocate(4)));
            c.close();
            assertFalse(c.isOpen());
            assertThrows(ClosedChannelException.class, () -> c.read(ByteBuffer.allocate(1)));
        }
    }

    @Test
    void closeWakesABlockedAccept() throws Exception {
        LocalServer server = endpoints.listen(WindowsPaths.IPC_PIPE, EndpointAccess.adminsOnly("x"));
        CompletableFuture<LocalConnection> accept = CompletableFuture.supplyAsync(() -> {
            try {
                return server.accept();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(100);
        server.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> accept.get(5, TimeUnit.SECONDS));
        assertInstanceOf(ClosedChannelException.class, e.getCause().getCause());
    }

    @Test
    void tokensWithoutEnabledGroupsAreOutsiders() {
        CallerAuthorizer a = new CallerAuthorizer(Optional.of(OPERATORS_SID));
        assertEquals(Optional.empty(), a.decide(CallerAuthorizerTest.user("S-1-5-21-1", true)));
    }
}
