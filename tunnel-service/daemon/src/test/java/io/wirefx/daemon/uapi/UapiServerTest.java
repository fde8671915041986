package io.wirefx.daemon.uapi;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UapiServerTest {

    private static final String PEER = "f".repeat(63) + "0";
    private static final String PRIV = "a8" + "a".repeat(60) + "68"; // already clamped

    @TempDir
    Path tmp;

    private final List<UapiServer> servers = new ArrayList<>();

    @AfterEach
    void closeServers() {
        servers.forEach(UapiServer::close);
    }

    private UapiServer open(Path dir, String name, UapiServer.Listener l) throws IOException {
        UapiServer s = UapiServer.open(dir, name, new FakeUapiDevice(), l);
        servers.add(s);
        return s;
    }

    private UapiServer open(String name) throws IOException {
        return open(tmp.resolve("wireguard"), name, new UapiServer.Listener() { });
    }

    @Test
    void createsDirectory0755AndSocket0600() throws Exception {
        UapiServer s = open("wgt0");
        Path dir = tmp.resolve("wireguard");
        assertEquals(dir.resolve("wgt0.sock"), s.socketPath());
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(s.socketPath(), LinkOption.NOFOLLOW_LINKS)));
        assertTrue(Files.readAttributes(s.socketPath(), java.nio.file.attribute.BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).isOther(), "a socket, not a regular file");
        try (var entries = Files.list(dir)) {
            assertEquals(List.of(s.socketPath()), entries.toList(), "nothing else in the directory");
        }
    }

    @Test
    void setThenGetOnOneConnectionAndOnAnother() throws Exception {
        UapiServer s = open("wgt1");
        try (Client c = new Client(s.socketPath())) {
            assertEquals("errno=0\n\n", c.request("set=1\nprivate_key=" + PRIV + "\nlisten_port=51820\n"
                    + "public_key=" + PEER + "\nendpoint=[fd00::2]:4242\nallowed_ip=10.0.0.0/24\n\n"));
            String get = c.request("get=1\n\n");
            assertTrue(get.startsWith("private_key=" + PRIV + "\nlisten_port=51820\npublic_key=" + PEER + "\n"), get);
            assertTrue(get.contains("\nendpoint=[fd00::2]:4242\n"), get);
            assertTrue(get.endsWith("allowed_ip=10.0.0.0/24\nerrno=0\n\n"), get);
        }
        try (Client c = new Client(s.socketPath())) {
            assertTrue(c.request("get=1\n\n").contains("listen_port=51820\n"));
            assertEquals("errno=-98\n\n", c.request("set=1\nlisten_port=9\n\n"), "device errors are passed on");
        }
    }

    @Test
    void unknownOperationClosesTheConnection() throws Exception {
        UapiServer s = open("wgt2");
        try (Client c = new Client(s.socketPath())) {
            c.send("hello=1\n");
            assertEquals("", c.readToEnd());
        }
    }

    @Test
    void overlongLineClosesTheConnection() throws Exception {
        UapiServer s = open("wgt3");
        try (Client c = new Client(s.socketPath())) {
            c.send("set=1\nprivate_key=" + "0".repeat(UapiServer.MAX_LINE_LENGTH + 10));
            assertEquals("errno=-5\n\n", c.readToEnd());
        }
        try (Client c = new Client(s.socketPath())) {
            assertTrue(c.request("get=1\n\n").endsWith("errno=0\n\n"), "server still serves");
        }
    }

    @Test
    void endOfInputFinishesASet() throws Exception {
        UapiServer s = open("wgt4");
        try (Client c = new Client(s.socketPath())) {
            c.send("set=1\nlisten_port=4000");
            c.shutdownOutput();
            assertEquals("errno=0\n\n", c.readToEnd());
        }
        try (Client c = new Client(s.socketPath())) {
            assertTrue(c.request("get=1\n\n").contains("listen_port=4000\n"));
        }
    }

    @Test
    void operationsOfConcurrentConnectionsDoNotInterleave() throws Exception {
        UapiServer s = open("wgt5");
        try (Client a = new Client(s.socketPath()); Client b = new Client(s.socketPath())) {
            a.send("set=1\nlisten_port=1111\n");
            Thread.sleep(100); // let the server take A's first lines (and with them the operation lock)
            CompletableFuture<String> get = CompletableFuture.supplyAsync(() -> {
                try {
                    return b.request("get=1\n\n");
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(100);
            a.send("listen_port=2222\n\n");
            assertEquals("errno=0\n\n", a.readReply());
            String reply = get.get(10, TimeUnit.SECONDS);
            assertTrue(reply.contains("listen_port=2222\n"), "B saw a half-applied set: " + reply);
        }
    }

    @Test
    void staleSocketAndStaleFileAreReplaced() throws Exception {
        Path dir = tmp.resolve("wireguard");
        Files.createDirectories(dir);
        Path stale = dir.resolve("wgt6.sock");
        try (ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            old.bind(UnixDomainSocketAddress.of(stale));
        } // closed: the file stays, connect() is refused
        assertTrue(Files.exists(stale, LinkOption.NOFOLLOW_LINKS));
        UapiServer s = open("wgt6");
        try (Client c = new Client(s.socketPath())) {
            assertTrue(c.request("get=1\n\n").endsWith("errno=0\n\n"));
        }
        s.close();
        assertFalse(Files.exists(stale, LinkOption.NOFOLLOW_LINKS), "close removes the socket");

        Files.writeString(dir.resolve("wgt7.sock"), "junk");
        UapiServer t = open("wgt7");
        try (Client c = new Client(t.socketPath())) {
            assertTrue(c.request("get=1\n\n").endsWith("errno=0\n\n"));
        }
    }

    @Test
    void liveSocketIsNotStolen() throws Exception {
        UapiServer first = open("wgt8");
        IOException e = assertThrows(IOException.class, () -> open("wgt8"));
        assertTrue(e.getMessage().contains("in use"), e.getMessage());
        try (Client c = new Client(first.socketPath())) {
            assertTrue(c.request("get=1\n\n").endsWith("errno=0\n\n"), "the first server still serves");
        }
        try (var entries = Files.list(first.socketPath().getParent())) {
            assertEquals(1, entries.count(), "the failed open left nothing behind");
        }
    }

    @Test
    void deletingTheSocketIsReported() throws Exception {
        CountDownLatch deleted = new CountDownLatch(1);
        AtomicReference<Path> which = new AtomicReference<>();
        UapiServer s = open(tmp.resolve("wireguard"), "wgt9", new UapiServer.Listener() {
            @Override
            public void socketDeleted(Path socket) {
                which.set(socket);
                deleted.countDown();
            }
        });
        Files.delete(s.socketPath());
        assertTrue(deleted.await(30, TimeUnit.SECONDS), "deletion not reported");
        assertEquals(s.socketPath(), which.get());
    }

    @Test
    void replacedSocketIsReportedAndNotRemovedOnClose() throws Exception {
        CountDownLatch deleted = new CountDownLatch(1);
        UapiServer s = open(tmp.resolve("wireguard"), "wgt10", new UapiServer.Listener() {
            @Override
            public void socketDeleted(Path socket) {
                deleted.countDown();
            }
        });
        Path tmpSock = tmp.resolve("other.sock");
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(tmpSock));
            Files.move(tmpSock, s.socketPath(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            assertTrue(deleted.await(30, TimeUnit.SECONDS), "replacement not reported");
            s.close();
            assertTrue(Files.exists(s.socketPath(), LinkOption.NOFOLLOW_LINKS), "someone else's socket was removed");
        }
    }

    @Test
    void closeRemovesSocketAndDropsConnections() throws Exception {
        UapiServer s = open("wgt11");
        try (Client idle = new Client(s.socketPath())) {
            idle.send("set=1\n"); // mid-operation: holds the lock
            Thread.sleep(50);
            s.close();
            assertFalse(Files.exists(s.socketPath(), LinkOption.NOFOLLOW_LINKS));
            assertEquals("", idle.readToEnd(), "connection closed by the server");
        }
        assertThrows(IOException.class, () -> new Client(s.socketPath()).close());
    }

    @Test
    void refusesClientsOfOtherUsersEvenWhenTheModeWouldAllowThem() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name"))
                && Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs root and setpriv");
        // A directory the unprivileged client can enter (the @TempDir is private).
        Path dir = Files.createTempDirectory("wfx-uapi-cred");
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
            UapiServer s = open(dir.resolve("wireguard"), "wgt12", new UapiServer.Listener() {
                @Override
                public void error(String message) {
                    errors.add(message);
                }
            });
            // The instant between bind and chmod, when a permissive umask leaves the socket open to everybody.
            Files.setPosixFilePermissions(s.socketPath(), PosixFilePermissions.fromString("rw-rw-rw-"));
            Path probe = dir.resolve("Probe.java");
            Files.writeString(probe, """
                    import java.net.*; import java.nio.*; import java.nio.channels.*;
                    public class Probe {
                        public static void main(String[] a) throws Exception {
                            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                                c.connect(UnixDomainSocketAddress.of(a[0]));
                                // A refused client may find the connection already closed: its write fails.
                                try { c.write(ByteBuffer.wrap("get=1\\n\\n".getBytes())); c.shutdownOutput(); }
                                catch (java.io.IOException hungUp) { }
                                ByteBuffer b = ByteBuffer.allocate(4096);
                                int total = 0, n;
                                try { while ((n = c.read(b.clear())) >= 0) total += n; } catch (java.io.IOException reset) { }
                                System.out.println("connected, reply bytes: " + total);
                            }
                        }
                    }
                    """);
            Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rw-r--r--"));
            String java = ProcessHandle.current().info().command().orElse("java");
            Path outFile = dir.resolve("probe.out");
            Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    java, probe.toString(), s.socketPath().toString()).redirectErrorStream(true)
                    .redirectOutput(outFile.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            String out = Files.readString(outFile);
            assertTrue(out.contains("connected, reply bytes: 0"), "the other user got an answer: " + out);
            assertTrue(errors.stream().anyMatch(e -> e.contains("refused a connection from user")), errors.toString());
            try (Client c = new Client(s.socketPath())) {
                assertTrue(c.request("get=1\n\n").endsWith("errno=0\n\n"), "the owner is still served");
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void rejectsBadNames() {
        for (String bad : new String[]{"", "a/b", "..", "sixteen-chars-xx", "a b"}) {
            assertThrows(IllegalArgumentException.class, () -> open(bad), bad);
        }
    }

    /** A blocking UAPI client. */
    static final class Client implements AutoCloseable {
        private final SocketChannel ch;

        Client(Path socket) throws IOException {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
        }

        void send(String s) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }

        void shutdownOutput() throws IOException {
            ch.shutdownOutput();
        }

        String request(String s) throws IOException {
            send(s);
            return readReply();
        }

        /** Reads up to and including the "errno=N\n\n" that ends a reply. */
        String readReply() throws IOException {
            StringBuilder sb = new StringBuilder();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (!(sb.toString().matches("(?s)(.*\n)?errno=-?\\d+\n\n"))) {
                one.clear();
                if (ch.read(one) < 0) {
                    throw new IOException("EOF after: " + sb);
                }
                sb.append((char) (one.get(0) & 0xff));
            }
            return sb.toString();
        }

        String readToEnd() throws IOException {
            StringBuilder sb = new StringBuilder();
            ByteBuffer b = ByteBuffer.allocate(4096);
            while (true) {
                b.clear();
                int n;
                try {
                    n = ch.read(b);
                } catch (IOException reset) {
                    break;
                }
                if (n < 0) {
                    break;
                }
                sb.append(new String(b.array(), 0, n, StandardCharsets.ISO_8859_1));
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
