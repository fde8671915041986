package io.wirefx.daemon.ipc;

import io.wirefx.daemon.store.TestConfigs;
import io.wirefx.ipc.ClientHello;
import io.wirefx.ipc.ErrorCode;
import io.wirefx.ipc.Event;
import io.wirefx.ipc.EventKind;
import io.wirefx.ipc.ImportEntry;
import io.wirefx.ipc.IpcClient;
import io.wirefx.ipc.IpcException;
import io.wirefx.ipc.IpcJson;
import io.wirefx.ipc.LogEntry;
import io.wirefx.ipc.Message;
import io.wirefx.ipc.Protocol;
import io.wirefx.ipc.Request;
import io.wirefx.ipc.Response;
import io.wirefx.ipc.Role;
import io.wirefx.ipc.ServerHello;
import io.wirefx.ipc.TunnelState;
import io.wirefx.ipc.TunnelSummary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class IpcServerTest {
    @TempDir
    Path tmp;
    ServerFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new ServerFixture(tmp);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private IpcClient connect(Role role, IpcClient.Listener listener) throws Exception {
        fx.as(role);
        return IpcClient.connect(fx.socket, "test " + role, listener, Duration.ofSeconds(20));
    }

    private static ErrorCode code(Executable e) {
        return assertThrows(IpcException.class, e::run).code();
    }

    interface Executable {
        void run() throws Exception;
    }

    @Test
    void socketIsCreatedWithModeAndRemovedOnClose() throws Exception {
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(fx.socket)));
        // a second server on the same path refuses to steal it
        IpcServer second = IpcServer.builder(fx.service, fx.log).socketPath(fx.socket).build();
        assertTrue(assertThrows(java.io.IOException.class, second::start).getMessage().contains("another service"));
        fx.close();
        assertFalse(Files.exists(fx.socket));
        // a stale socket file (no listener) is replaced
        Files.writeString(fx.socket, "stale");
        fx = new ServerFixture(tmp);
        try (IpcClient c = connect(Role.ADMIN, null)) {
            c.ping();
        }
    }

    @Test
    void adminManagesTunnels() throws Exception {
        try (IpcClient c = connect(Role.ADMIN, null)) {
            assertEquals(Role.ADMIN, c.role());
            assertEquals(Protocol.VERSION, c.protocolVersion());
            assertEquals("test", c.serverVersion());
            c.ping();
            assertEquals(List.of(), c.list());
            String v1 = TestConfigs.text("wg0", 1);
            c.create("wg0", v1);
            assertEquals(ErrorCode.ALREADY_EXISTS, code(() -> c.create("wg0", v1)));
            assertEquals(ErrorCode.INVALID_NAME, code(() -> c.create("a/b", v1)));
            IpcException bad = assertThrows(IpcException.class, () -> c.create("x", "[Interface]\nPrivateKey = no\n"));
            assertEquals(ErrorCode.INVALID_CONFIG, bad.code());
            assertEquals(2, bad.configError().line());
            assertEquals("INVALID_KEY", bad.configError().reason());

            List<TunnelSummary> list = c.list();
            assertEquals(1, list.size());
            TunnelSummary s = list.getFirst();
            assertEquals("wg0", s.name());
            assertEquals(TunnelState.STOPPED, s.state());
            assertEquals(List.of("10.1.0.1/24", "fd00::1/64"), s.addresses());
            assertEquals(2, s.peerCount());

            Response.TunnelConfig got = c.get("wg0");
            assertEquals(v1, got.text());
            assertFalse(got.redacted());
            assertEquals(TestConfigs.privateKey("wg0", 1), got.details().iface().privateKey());
            assertEquals(TestConfigs.presharedKey("wg0", 1, 0), got.details().peers().getFirst().presharedKey());
            assertEquals(ErrorCode.NOT_FOUND, code(() -> c.get("nope")));

            c.update("wg0", TestConfigs.text("wg0", 2));
            assertEquals(TestConfigs.text("wg0", 2), c.get("wg0").text());
            c.rename("wg0", "home");
            assertEquals(List.of("home"), c.list().stream().map(TunnelSummary::name).toList());

            List<ImportEntry> one = c.importConfig("office", TestConfigs.text("office", 1), false);
            assertTrue(one.getFirst().ok());
            List<ImportEntry> zip = c.importZip(zip("a.conf", TestConfigs.text("a", 1), "b.conf", "garbage",
                    "../c.conf", TestConfigs.text("c", 1)), false);
            assertEquals(3, zip.size());
            assertTrue(zip.get(0).ok());
            assertEquals(ErrorCode.INVALID_CONFIG, zip.get(1).error());
            assertEquals(1, zip.get(1).configError().line());
            assertEquals(ErrorCode.INVALID_NAME, zip.get(2).error());

            byte[] exported = c.exportZip();
            List<String> entries = new ArrayList<>();
            try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(exported))) {
                ZipEntry e;
                while ((e = z.getNextEntry()) != null) {
                    entries.add(e.getName());
                    if (e.getName().equals("home.conf")) {
                        assertEquals(TestConfigs.text("wg0", 2), new String(z.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
            assertEquals(List.of("a.conf", "home.conf", "office.conf"), entries);

            c.delete("a");
            assertEquals(ErrorCode.NOT_FOUND, code(() -> c.delete("a")));
            assertEquals(List.of("home", "office"), c.list().stream().map(TunnelSummary::name).toList());

            Response.LogLines tail = c.logTail(5);
            assertEquals(5, tail.lines().size());
            assertTrue(tail.lines().getLast().message().contains("delete a"), tail.lines().toString());
            assertEquals(fx.log.tail(1000).size(), c.logTail(100_000).lines().size());
        }
    }

    @Test
    void startStopPushesStateEventsInOrder() throws Exception {
        fx.store.create("wg0", TestConfigs.text("wg0", 1));
        EventRecorder rec = new EventRecorder();
        try (IpcClient c = connect(Role.OPERATOR, rec)) {
            c.subscribe(EnumSet.of(EventKind.TUNNEL_STATE, EventKind.STATS, EventKind.TUNNELS));
            c.start("wg0");
            rec.await(Event.TunnelStateChanged.class, e -> e.state() == TunnelState.STARTING);
            rec.await(Event.TunnelStateChanged.class, e -> e.state() == TunnelState.RUNNING);
            assertEquals(TunnelState.RUNNING, c.list().getFirst().state());
            fx.service.publishStats();
            Event.StatsUpdate stats = rec.await(Event.StatsUpdate.class, e -> true);
            assertEquals("wg0", stats.tunnels().getFirst().name());
            assertEquals(2, stats.tunnels().getFirst().peers().size());
            assertEquals(1, c.stats("wg0").size());
            assertEquals(ErrorCode.NOT_FOUND, code(() -> c.stats("nope")));
            c.stop("wg0");
            rec.await(Event.TunnelStateChanged.class, e -> e.state() == TunnelState.STOPPING);
            rec.await(Event.TunnelStateChanged.class, e -> e.state() == TunnelState.STOPPED);
            assertEquals(List.of(), c.stats(null));

            fx.service.failNextStart("wg0", "no such device");
            c.start("wg0");
            rec.await(Event.TunnelStateChanged.class, e -> e.state() == TunnelState.STARTING);
            Event.TunnelStateChanged failed = rec.await(Event.TunnelStateChanged.class,
                    e -> e.state() == TunnelState.FAILED);
            assertEquals("no such device", failed.reason());
            assertEquals(ErrorCode.NOT_FOUND, code(() -> c.start("nope")));
        }
    }

    @Test
    void operatorCannotEditAndNeverSeesSecrets() throws Exception {
        String text = TestConfigs.text("wg0", 3) + "# secret note " + TestConfigs.privateKey("x", 9) + "\n";
        fx.store.create("wg0", text);
        List<String> secrets = new ArrayList<>(TestConfigs.secrets("wg0", 3));
        secrets.add(TestConfigs.privateKey("x", 9));
        EventRecorder rec = new EventRecorder();
        StringBuilder seen = new StringBuilder();
        try (IpcClient c = connect(Role.OPERATOR, rec)) {
            assertEquals(Role.OPERATOR, c.role());
            c.subscribe(EnumSet.allOf(EventKind.class));
            Response.TunnelConfig got = c.get("wg0");
            seen.append(new String(IpcJson.encode(got), StandardCharsets.UTF_8));
            assertTrue(got.redacted());
            assertNull(got.details().iface().privateKey());
            assertTrue(got.details().peers().getFirst().hasPresharedKey());
            assertNull(got.details().peers().getFirst().presharedKey());
            assertTrue(got.text().contains("PrivateKey = (hidden)"), got.text());
            assertTrue(got.text().contains("PresharedKey = (hidden)"), got.text());
            assertTrue(got.text().contains(TestConfigs.peerPublicKey("wg0", 3, 1)), "public keys stay");

            for (Executable forbidden : List.<Executable>of(
                    () -> c.create("x", text), () -> c.update("wg0", text), () -> c.rename("wg0", "y"),
                    () -> c.delete("wg0"), () -> c.importConfig("z", text, false), () -> c.exportZip())) {
                assertEquals(ErrorCode.FORBIDDEN, code(forbidden));
            }
            assertEquals(List.of("wg0"), fx.store.names());
            assertEquals(text, fx.store.read("wg0"));

            c.start("wg0");
            rec.await(Event.TunnelStateChanged.class, e -> e.state() == TunnelState.RUNNING);
            // a careless log line with a key in it is masked for everyone; admins' answers are never altered
            fx.log.warn("wg0", "debug dump " + TestConfigs.presharedKey("wg0", 3, 0));
            rec.await(Event.LogLine.class, e -> e.entry().message().startsWith("debug dump"));
            fx.service.publishStats();
            rec.await(Event.StatsUpdate.class, e -> true);
            for (Message m : List.<Message>of(new Response.Stats(0, c.stats(null)), new Response.TunnelList(0,
                    c.list()), c.logTail(1000))) {
                seen.append(new String(IpcJson.encode(m), StandardCharsets.UTF_8));
            }
            c.stop("wg0");
            rec.await(Event.TunnelStateChanged.class, e -> e.state() == TunnelState.STOPPED);
        }
        seen.append(rec.allJson());
        for (String s : secrets) {
            assertFalse(seen.toString().contains(s), "secret leaked to an operator");
            assertFalse(seen.toString().contains(s.substring(0, 20)), "secret prefix leaked to an operator");
        }
        assertTrue(seen.toString().contains("STARTING"));
    }

    @Test
    void everyRoleReadsSettingsOnlyAdminsChangeThemAndSubscribersHearOfIt() throws Exception {
        fx.store.create("wg0", TestConfigs.text("wg0", 1));
        io.wirefx.ipc.TunnelSettings want = new io.wirefx.ipc.TunnelSettings(true, true,
                new io.wirefx.ipc.OnDemandRules(true, true, List.of("home")));
        EventRecorder opEvents = new EventRecorder();
        try (IpcClient admin = connect(Role.ADMIN, new EventRecorder());
             IpcClient op = connect(Role.OPERATOR, opEvents)) {
            op.subscribe(EnumSet.of(EventKind.TUNNELS));
            Response.Settings before = op.settings("wg0");
            assertEquals(io.wirefx.ipc.TunnelSettings.DEFAULT, before.settings());
            assertFalse(before.onDemandAvailable());
            assertEquals(io.wirefx.ipc.TunnelSettings.DEFAULT, op.get("wg0").settings());

            assertEquals(ErrorCode.FORBIDDEN, code(() -> op.setSettings("wg0", want)));
            assertEquals(io.wirefx.ipc.TunnelSettings.DEFAULT, fx.store.settings("wg0"), "unchanged");

            admin.setSettings("wg0", want);
            Event.SettingsChanged ev = opEvents.await(Event.SettingsChanged.class, e -> e.name().equals("wg0"));
            assertEquals(want, ev.settings());
            assertEquals(want, fx.store.settings("wg0"));
            assertEquals(want, op.settings("wg0").settings());
            assertEquals(want, op.get("wg0").settings());

            fx.service.setOnDemandAvailable(true);
            assertTrue(op.settings("wg0").onDemandAvailable());

            assertEquals(ErrorCode.NOT_FOUND, code(() -> admin.setSettings("nope", want)));
            assertEquals(ErrorCode.NOT_FOUND, code(() -> op.settings("nope")));

            // a corrupt settings file: getSettings says which file, the configuration is still served
            Files.writeString(fx.store.directory().resolve("wg0.settings.json"), "{broken");
            IpcException broken = assertThrows(IpcException.class, () -> op.settings("wg0"));
            assertEquals(ErrorCode.FAILED, broken.code());
            assertTrue(broken.getMessage().contains("wg0.settings.json"), broken.getMessage());
            Response.TunnelConfig still = op.get("wg0");
            assertNull(still.settings());
            assertNotNull(still.details());
        }
    }

    @Test
    void outsidersAreRefused() throws Exception {
        fx.as(null);
        IpcException e = assertThrows(IpcException.class, () -> IpcClient.connect(fx.socket, "nobody"));
        assertEquals(ErrorCode.ACCESS_DENIED, e.code());
        fx.awaitConnections(0);
    }

    @Test
    void versionNegotiationAndHelloRules() throws Exception {
        try (RawClient c = new RawClient(fx.socket)) {
            c.send(new ClientHello(Protocol.VERSION + 7, "future"));
            ServerHello h = assertInstanceOf(ServerHello.class, c.read());
            assertEquals(Protocol.VERSION, h.version());
        }
        try (RawClient c = new RawClient(fx.socket)) {
            c.send(new ClientHello(Protocol.MIN_VERSION - 1, "ancient"));
            Response.Failure f = assertInstanceOf(Response.Failure.class, c.read());
            assertEquals(ErrorCode.UNSUPPORTED_VERSION, f.code());
            assertNull(c.read());
        }
        try (RawClient c = new RawClient(fx.socket)) {
            c.send(new Request.Ping(3));
            Response.Failure f = assertInstanceOf(Response.Failure.class, c.read());
            assertEquals(ErrorCode.HELLO_REQUIRED, f.code());
            assertEquals(3, f.id());
            assertNull(c.read());
        }
        try (RawClient c = RawClient.hello(fx.socket)) {
            c.send(new ClientHello(1, "again"));
            assertEquals(ErrorCode.BAD_REQUEST, assertInstanceOf(Response.Failure.class, c.read()).code());
            c.send(new Request.Ping(4));
            assertEquals(new Response.Pong(4), c.read());
        }
    }

    @Test
    void malformedAndUnknownRequestsGetErrorsAndTheConnectionStays() throws Exception {
        try (RawClient c = RawClient.hello(fx.socket)) {
            c.sendBytes(frame("{\"type\":\"reboot\",\"id\":7}"));
            Response.Failure f = assertInstanceOf(Response.Failure.class, c.read());
            assertEquals(ErrorCode.UNKNOWN_REQUEST, f.code());
            assertEquals(7, f.id());
            c.sendBytes(frame("{\"type\":\"get\",\"id\":8}"));
            Response.Failure missing = assertInstanceOf(Response.Failure.class, c.read());
            assertEquals(ErrorCode.BAD_REQUEST, missing.code());
            assertEquals(8, missing.id());
            c.sendBytes(frame("\u0000\u0001 not json"));
            assertEquals(ErrorCode.BAD_REQUEST, assertInstanceOf(Response.Failure.class, c.read()).code());
            c.sendBytes(frame("{\"type\":\"java.lang.Runtime\",\"id\":9}"));
            assertEquals(ErrorCode.UNKNOWN_REQUEST, assertInstanceOf(Response.Failure.class, c.read()).code());
            c.sendBytes(frame("{\"type\":\"pong\",\"id\":10}"));
            assertEquals(ErrorCode.BAD_REQUEST, assertInstanceOf(Response.Failure.class, c.read()).code());
            c.sendBytes(frame("{\"type\":\"import\",\"id\":11,\"zipBase64\":\"***\"}"));
            assertEquals(new Response.Failure(11, ErrorCode.BAD_REQUEST, "zipBase64 is not Base64"), c.read());
            c.send(new Request.Ping(12));
            assertEquals(new Response.Pong(12), c.read());
        }
    }

    @Test
    void oversizedLengthPrefixIsRefusedAndTheConnectionClosed() throws Exception {
        byte[] prefix = ByteBuffer.allocate(4).putInt(100_000_000).array();
        try (RawClient before = new RawClient(fx.socket); RawClient after = RawClient.hello(fx.socket)) {
            before.sendBytes(prefix);
            assertEquals(ErrorCode.TOO_LARGE, assertInstanceOf(Response.Failure.class, before.read()).code());
            assertNull(before.read());
            after.sendBytes(ByteBuffer.allocate(4 + 4096).put(prefix).array()); // part of the "payload": never read
            assertEquals(ErrorCode.TOO_LARGE, assertInstanceOf(Response.Failure.class, after.read()).code());
            assertNull(after.read());
        }
        try (IpcClient c = connect(Role.ADMIN, null)) {
            c.ping();
        }
    }

    @Test
    void randomBytesHalfFramesAndSilenceDoNotDisturbOthers() throws Exception {
        fx.close();
        fx = new ServerFixture(tmp, b -> b.helloTimeout(Duration.ofSeconds(3)));
        java.util.Random random = new java.util.Random(99);
        List<RawClient> hostile = new ArrayList<>();
        try (IpcClient good = connect(Role.ADMIN, null)) {
            for (int i = 0; i < 20; i++) {
                RawClient r = new RawClient(fx.socket);
                byte[] junk = new byte[1 + random.nextInt(200)];
                random.nextBytes(junk);
                r.sendBytes(junk);
                hostile.add(r);
            }
            RawClient half = RawClient.hello(fx.socket);
            half.sendBytes(ByteBuffer.allocate(14).putInt(100).put("{\"type\":".getBytes()).array());
            RawClient silent = new RawClient(fx.socket); // connects and says nothing
            hostile.add(half);
            hostile.add(silent);
            for (int i = 0; i < 50; i++) {
                good.ping();
                good.list();
            }
            // the pre-hello ones are closed by the server (garbage, or the hello timeout); read until then
            for (RawClient r : hostile) {
                if (r != half) {
                    for (Message m : r.readUntilClosed()) {
                        assertInstanceOf(Response.Failure.class, m);
                    }
                }
            }
            good.ping();
            // the half frame keeps its connection (an idle client is legitimate) until the client leaves
            half.close();
            fx.awaitConnections(1);
            good.ping();
        } finally {
            for (RawClient r : hostile) {
                r.close();
            }
        }
    }

    @Test
    void twoHundredClientsSubscribingAndLeavingWhileEventsFlow() throws Exception {
        fx.close();
        fx = new ServerFixture(tmp, b -> b.maxConnectionsPerUser(256)); // the 200 clients are all this test's user
        fx.store.create("wg0", TestConfigs.text("wg0", 1));
        EventRecorder observerEvents = new EventRecorder();
        try (IpcClient observer = connect(Role.ADMIN, observerEvents)) {
            observer.subscribe(EnumSet.of(EventKind.TUNNEL_STATE));
            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.CountDownLatch subscribed = new java.util.concurrent.CountDownLatch(200);
            java.util.concurrent.CountDownLatch leave = new java.util.concurrent.CountDownLatch(1);
            for (int i = 0; i < 200; i++) {
                int n = i;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        if (n % 2 == 0) {
                            IpcClient c = IpcClient.connect(fx.socket, "c" + n, e -> { }, Duration.ofSeconds(30));
                            c.subscribe(EnumSet.allOf(EventKind.class));
                            subscribed.countDown();
                            leave.await();
                            c.close();
                        } else {
                            RawClient r = RawClient.hello(fx.socket);
                            r.send(new Request.Subscribe(1, EnumSet.allOf(EventKind.class)));
                            subscribed.countDown();
                            leave.await();
                            r.close(); // abrupt: pending events unread
                        }
                    } catch (Throwable t) {
                        errors.add(t);
                        subscribed.countDown();
                    }
                }));
            }
            subscribed.await();
            for (int i = 0; i < 5; i++) {
                observer.start("wg0");
                observerEvents.await(Event.TunnelStateChanged.class, e -> e.state() == TunnelState.RUNNING);
                fx.service.publishStats();
                observer.stop("wg0");
                observerEvents.await(Event.TunnelStateChanged.class, e -> e.state() == TunnelState.STOPPED);
            }
            leave.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(List.of(), errors);
            fx.awaitConnections(1);
            observer.ping();
            assertEquals(1, observer.list().size());
        }
    }

    @Test
    void aClientThatDoesNotReadLosesEventsButBlocksNobody() throws Exception {
        fx.close();
        fx = new ServerFixture(tmp, b -> b.queueCapacity(32));
        try (RawClient slow = RawClient.hello(fx.socket); IpcClient other = connect(Role.ADMIN, null)) {
            slow.send(new Request.LogFollow(1, true));
            Message ok;
            while ((ok = slow.read()) instanceof Event.LogLine) {
                // lines logged just before the Ok may come first
            }
            assertEquals(new Response.Ok(1), ok);
            long from = fx.log.lastSeq();
            int lines = 30_000;
            for (int i = 0; i < lines; i++) {
                fx.log.info(null, "line " + i + " " + "x".repeat(200)); // never blocks on the slow client
            }
            other.ping();
            long expected = fx.log.lastSeq() - from;
            long delivered = 0;
            long lost = 0;
            int markers = 0;
            long lastSeq = from;
            while (delivered + lost < expected) {
                Message m = slow.read();
                assertNotNull(m, "connection ended early");
                switch (m) {
                    case Event.LogLine l -> {
                        assertTrue(l.entry().seq() > lastSeq, "in order");
                        lastSeq = l.entry().seq();
                        delivered++;
                    }
                    case Event.EventsLost e -> {
                        assertTrue(e.count() > 0);
                        lost += e.count();
                        markers++;
                    }
                    default -> throw new AssertionError("unexpected " + m);
                }
            }
            assertEquals(expected, delivered + lost, "every event is delivered or counted as lost");
            assertTrue(lost > 0 && markers > 0, "the slow client must have lost events");
            slow.send(new Request.Ping(2));
            Message m;
            while ((m = slow.read()) instanceof Event) {
                // log lines about the ping client may still come
            }
            assertEquals(new Response.Pong(2), m);
        }
    }

    @Test
    void busyWhenTooManyConnections() throws Exception {
        fx.close();
        fx = new ServerFixture(tmp, b -> b.maxConnections(2));
        try (IpcClient a = connect(Role.ADMIN, null); IpcClient b = connect(Role.ADMIN, null)) {
            assertEquals(ErrorCode.BUSY, code(() -> IpcClient.connect(fx.socket, "third")));
            a.ping();
            b.ping();
        }
        fx.awaitConnections(0);
        try (IpcClient c = connect(Role.ADMIN, null)) {
            c.ping();
        }
    }

    @Test
    void clientSeesDisconnectAndCanReconnect() throws Exception {
        EventRecorder rec = new EventRecorder();
        IpcClient c = connect(Role.ADMIN, rec);
        c.ping();
        fx.close();
        while (c.isConnected()) {
            Thread.sleep(10);
        }
        assertThrows(java.io.IOException.class, c::ping);
        while (rec.disconnected == null) {
            Thread.sleep(10);
        }
        fx = new ServerFixture(tmp);
        try (IpcClient again = connect(Role.ADMIN, null)) {
            again.ping();
        }
    }

    @Test
    void listenerMayCallTheClient() throws Exception {
        fx.store.create("wg0", TestConfigs.text("wg0", 1));
        java.util.concurrent.CompletableFuture<List<TunnelSummary>> fromListener =
                new java.util.concurrent.CompletableFuture<>();
        IpcClient[] holder = new IpcClient[1];
        try (IpcClient c = connect(Role.OPERATOR, e -> {
            if (e instanceof Event.TunnelStateChanged s && s.state() == TunnelState.RUNNING) {
                try {
                    fromListener.complete(holder[0].list());
                } catch (Exception ex) {
                    fromListener.completeExceptionally(ex);
                }
            }
        })) {
            holder[0] = c;
            c.subscribe(Set.of(EventKind.TUNNEL_STATE));
            c.start("wg0");
            assertEquals(TunnelState.RUNNING, fromListener.get().getFirst().state());
        }
    }

    static byte[] frame(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + b.length).putInt(b.length).put(b).array();
    }

    static byte[] zip(String... nameThenText) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(buf)) {
            for (int i = 0; i < nameThenText.length; i += 2) {
                z.putNextEntry(new ZipEntry(nameThenText[i]));
                z.write(nameThenText[i + 1].getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return buf.toByteArray();
    }

    @Test
    void logTailAnswersStayWithinTheFrameLimit() {
        List<LogEntry> lines = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            lines.add(new LogEntry(i, 0, io.wirefx.ipc.LogLevel.INFO, null, "y".repeat(2000)));
        }
        byte[] f = IpcServer.frameFor(Role.ADMIN, new Response.LogLines(5, lines, false));
        assertTrue(f.length <= Protocol.MAX_FRAME_BYTES + 4);
        Response.LogLines back = (Response.LogLines) decode(f);
        assertTrue(back.truncated());
        assertEquals(3999, back.lines().getLast().seq(), "the newest lines are kept");
        byte[] big = IpcServer.frameFor(Role.ADMIN, new Response.ExportResult(6, "A".repeat(2 << 20), 1));
        assertEquals(ErrorCode.TOO_LARGE, ((Response.Failure) decode(big)).code());
    }

    private static Message decode(byte[] frame) {
        try {
            return IpcJson.decode(java.util.Arrays.copyOfRange(frame, 4, frame.length));
        } catch (io.wirefx.ipc.ProtocolException e) {
            throw new AssertionError(e);
        }
    }
}
