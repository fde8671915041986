package io.wirefx.daemon.userspace;

import io.wirefx.platform.unix.AccountDatabase;
import io.wirefx.platform.unix.UnixSocketEndpoints;
import io.wirefx.core.uapi.UapiDevice;
import io.wirefx.daemon.uapi.FakeUapiDevice;
import io.wirefx.tun.PacketBatch;
import io.wirefx.tun.TunDevice;
import io.wirefx.tun.TunDriver;
import io.wirefx.tun.memory.MemoryTun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lifecycle of {@link UserspaceDaemon} on an in-memory TUN and a fake backend (no root needed). */
class UserspaceDaemonTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final Log log = new Log(Log.Level.VERBOSE, "t", new PrintStream(logBytes, true, StandardCharsets.UTF_8));
    private final AtomicReference<MemoryTun> tun = new AtomicReference<>();

    private final TunDriver memoryDriver = new TunDriver() {
        @Override
        public String id() {
            return "memory";
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public Optional<String> unavailabilityCause() {
            return Optional.empty();
        }

        @Override
        public TunDevice open(String name, int mtu) {
            MemoryTun t = new MemoryTun(name, mtu);
            tun.set(t);
            return t;
        }
    };

    /** Reads the TUN like an engine would, so that removal is noticed by a reader; records close and failures. */
    private static final class FakeBackend implements Backend {
        final FakeUapiDevice device = new FakeUapiDevice();
        final AtomicBoolean closed = new AtomicBoolean();
        final Consumer<String> onFatal;
        final Thread reader;

        FakeBackend(TunDevice tun, Consumer<String> onFatal) {
            this.onFatal = onFatal;
            reader = Thread.ofVirtual().start(() -> {
                PacketBatch b = new PacketBatch(8, 0, 2048, 0);
                try {
                    while (tun.read(b) >= 0) {
                        b.clear();
                    }
                } catch (IOException e) {
                    onFatal.accept(e.toString());
                }
            });
        }

        @Override
        public UapiDevice uapi() {
            return device;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private final AtomicReference<FakeBackend> backend = new AtomicReference<>();

    private UserspaceDaemon start(String name) throws IOException {
        return UserspaceDaemon.start(name, 1420, dir, memoryDriver, new UnixSocketEndpoints(new AccountDatabase(),
                UnixSocketEndpoints.RemovalWatch.DIRECTORY_EVENTS), (t, l, fatal) -> {
            FakeBackend b = new FakeBackend(t, fatal);
            backend.set(b);
            return b;
        }, log);
    }

    @Test
    void servesUapiAndCleansUpOnClose() throws Exception {
        UserspaceDaemon d = start("wgd0");
        assertEquals("wgd0", d.interfaceName());
        assertEquals(dir.resolve("wgd0.sock"), d.socketPath());
        assertEquals("errno=0\n\n", request(d.socketPath(), "set=1\nlisten_port=5555\n\n"));
        assertTrue(request(d.socketPath(), "get=1\n\n").startsWith("listen_port=5555\n"));
        assertFalse(d.stopRequested());
        d.requestStop("test");
        assertEquals("test", d.awaitStop());
        d.close();
        d.close(); // idempotent
        assertFalse(Files.exists(d.socketPath(), LinkOption.NOFOLLOW_LINKS));
        assertTrue(backend.get().closed.get());
        assertFalse(tun.get().isOpen());
    }

    @Test
    void stopsWhenTheInterfaceIsRemoved() throws Exception {
        try (UserspaceDaemon d = start("wgd1")) {
            tun.get().simulateRemoval();
            String reason = d.awaitStop();
            assertTrue(reason.contains("wgd1 was removed"), reason);
        }
    }

    @Test
    void stopsWhenTheSocketIsDeleted() throws Exception {
        try (UserspaceDaemon d = start("wgd2")) {
            Files.delete(d.socketPath());
            String reason = d.awaitStop();
            assertTrue(reason.contains("deleted"), reason);
        }
    }

    @Test
    void stopsWhenTheBackendFails() throws Exception {
        try (UserspaceDaemon d = start("wgd3")) {
            backend.get().onFatal.accept("boom");
            assertEquals("fatal: boom", d.awaitStop());
        }
    }

    @Test
    void failedStartTearsDownWhatItCreated() throws Exception {
        try (UserspaceDaemon first = start("wgd4")) {
            // The socket is taken by a live daemon: the second start fails and closes its TUN and backend.
            IOException e = assertThrows(IOException.class, () -> start("wgd4"));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertFalse(tun.get().isOpen());
            assertTrue(backend.get().closed.get());
            assertTrue(request(first.socketPath(), "get=1\n\n").endsWith("errno=0\n\n"));
        }
    }

    @Test
    void logLevelFromEnvironment() {
        assertEquals(Log.Level.ERROR, Log.Level.fromEnvironment(null));
        assertEquals(Log.Level.ERROR, Log.Level.fromEnvironment("whatever"));
        assertEquals(Log.Level.VERBOSE, Log.Level.fromEnvironment("verbose"));
        assertEquals(Log.Level.VERBOSE, Log.Level.fromEnvironment("debug"));
        assertEquals(Log.Level.SILENT, Log.Level.fromEnvironment("silent"));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Log errorsOnly = new Log(Log.Level.ERROR, "wgx", new PrintStream(b, true, StandardCharsets.UTF_8));
        errorsOnly.debug("hidden");
        errorsOnly.error("shown");
        String text = b.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("hidden"));
        assertTrue(text.matches("ERROR: \\(wgx\\) \\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d shown\\R"), text);
        errorsOnly.discard();
        errorsOnly.error("after discard");
        assertFalse(b.toString(StandardCharsets.UTF_8).contains("after discard"));
    }

    private static String request(Path socket, String text) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
            ch.shutdownOutput();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer b = ByteBuffer.allocate(4096);
            int n;
            while ((n = ch.read(b.clear())) >= 0) {
                out.write(b.array(), 0, n);
            }
            return out.toString(StandardCharsets.US_ASCII);
        }
    }
}
