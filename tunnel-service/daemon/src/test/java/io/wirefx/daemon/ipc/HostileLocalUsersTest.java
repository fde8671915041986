package io.wirefx.daemon.ipc;

import io.wirefx.daemon.store.TestConfigs;
import io.wirefx.ipc.ClientHello;
import io.wirefx.ipc.ErrorCode;
import io.wirefx.ipc.EventKind;
import io.wirefx.ipc.FrameCodec;
import io.wirefx.ipc.IpcClient;
import io.wirefx.ipc.IpcJson;
import io.wirefx.ipc.Message;
import io.wirefx.ipc.Permissions;
import io.wirefx.ipc.Protocol;
import io.wirefx.ipc.OnDemandRules;
import io.wirefx.ipc.Request;
import io.wirefx.ipc.TunnelSettings;
import io.wirefx.ipc.Response;
import io.wirefx.ipc.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile local users on the IPC socket (docs/security.md, test 8): every request type, with ordinary and with
 * hostile arguments (path-like names, a config carrying a script hook), sent by every role. An operator never
 * receives a private or preshared key (answers, events, log lines) and never changes a byte of the store; nobody
 * writes outside the store directory; a caller without a role gets nothing but the refusal. A client dribbling its
 * hello byte by byte is cut off at the hello deadline while others are served.
 */
@Timeout(60)
class HostileLocalUsersTest {
    private static final String HOOK = "PostUp = touch /tmp/wirefx-hostile-hook\n";

    @TempDir
    Path tmp;
    private ServerFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    /** One request of every type: ordinary ones, then hostile names and a config with a hook. */
    private static List<Request> everyRequest(String hookedText, String zip) {
        return List.of(
                new Request.Ping(1), new Request.ListTunnels(2), new Request.GetTunnel(3, "wg0"),
                new Request.GetTunnel(4, "../../etc/shadow"), new Request.StartTunnel(5, "wg0"),
                new Request.GetStats(6, null), new Request.GetStats(7, "wg0"), new Request.LogTail(8, 1000),
                new Request.LogFollow(9, true), new Request.Subscribe(10, EnumSet.allOf(EventKind.class)),
                new Request.StopTunnel(11, "wg0"),
                new Request.ImportTunnels(12, "evil", hookedText, null, true),
                new Request.ImportTunnels(13, "../evil", hookedText, null, true),
                new Request.ImportTunnels(14, null, null, zip, true),
                new Request.CreateTunnel(15, "made", hookedText), new Request.CreateTunnel(16, "/tmp/x", hookedText),
                new Request.UpdateTunnel(17, "wg0", hookedText), new Request.RenameTunnel(18, "other", "../moved"),
                new Request.RenameTunnel(19, "other", "renamed"), new Request.DeleteTunnel(20, "renamed"),
                new Request.Export(21), new Request.GetSettings(22, "wg0"),
                new Request.SetSettings(23, "wg0", new TunnelSettings(true, true,
                        new OnDemandRules(true, false, List.of("Home")))),
                new Request.SetSettings(24, "../../etc/evil", TunnelSettings.DEFAULT));
    }

    private static String zipWithPaths(String text) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(buf)) {
            for (String name : List.of("../../escape.conf", "/abs.conf", "dir/nested.conf", "zipped.conf")) {
                z.putNextEntry(new ZipEntry(name));
                z.write(text.getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return Base64.getEncoder().encodeToString(buf.toByteArray());
    }

    /** Every file under {@code root} with its content, except the socket. */
    private static Map<String, String> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            Map<String, String> out = new TreeMap<>();
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.readString(p));
            }
            return out;
        }
    }

    /** Sends each request and reads up to its answer; returns the answers by id and appends everything seen. */
    private static Map<Long, Message> exchange(RawClient c, List<Request> requests, StringBuilder seen)
            throws Exception {
        Map<Long, Message> answers = new TreeMap<>();
        for (Request r : requests) {
            c.send(r);
            while (true) {
                Message m = c.read();
                assertTrue(m != null, "connection closed before the answer to " + r);
                seen.append(new String(IpcJson.encode(m), StandardCharsets.UTF_8)).append('\n');
                if (m instanceof Response resp && resp.id() == r.id()) {
                    answers.put(r.id(), m);
                    break;
                }
            }
        }
        return answers;
    }

    @Test
    void theMatrixCoversEveryRequestType() throws Exception {
        Set<Class<?>> covered = everyRequest("", "").stream().map(Object::getClass).collect(Collectors.toSet());
        Set<Class<?>> all = Arrays.stream(Request.class.getPermittedSubclasses()).collect(Collectors.toSet());
        assertEquals(all, covered);
    }

    @Test
    void anOperatorNeverSeesAKeyAndNeverChangesTheStore() throws Exception {
        fx = new ServerFixture(tmp);
        String text = TestConfigs.text("wg0", 3);
        String hooked = text.replace("[Interface]\n", "[Interface]\n" + HOOK);
        fx.store.create("wg0", text);
        fx.store.create("other", TestConfigs.text("other", 4));
        fx.log.warn("wg0", "careless line " + TestConfigs.privateKey("wg0", 3));
        Map<String, String> before = files(tmp);
        StringBuilder seen = new StringBuilder();
        fx.as(Role.OPERATOR);
        try (RawClient c = RawClient.hello(fx.socket)) {
            List<Request> requests = everyRequest(hooked, zipWithPaths(hooked));
            Map<Long, Message> answers = exchange(c, requests, seen);
            for (Request r : requests) {
                Message a = answers.get(r.id());
                if (Permissions.requiredRole(r) == Role.ADMIN) {
                    Response.Failure f = assertInstanceOf(Response.Failure.class, a, r.toString());
                    assertEquals(ErrorCode.FORBIDDEN, f.code(), r.toString());
                }
            }
            Thread.sleep(300); // a start/stop in flight writes nothing either
        }
        assertEquals(before, files(tmp), "an operator changed files");
        List<String> secrets = new ArrayList<>(TestConfigs.secrets("wg0", 3));
        secrets.addAll(TestConfigs.secrets("other", 4));
        for (String s : secrets) {
            assertFalse(seen.toString().contains(s.substring(0, 20)), "a key reached an operator");
        }
    }

    @Test
    void anAdminCanWriteOnlyInsideTheStore() throws Exception {
        fx = new ServerFixture(tmp);
        String text = TestConfigs.text("wg0", 3);
        String hooked = text.replace("[Interface]\n", "[Interface]\n" + HOOK);
        fx.store.create("wg0", text);
        fx.store.create("other", TestConfigs.text("other", 4));
        fx.as(Role.ADMIN);
        try (RawClient c = RawClient.hello(fx.socket)) {
            List<Request> requests = everyRequest(hooked, zipWithPaths(hooked));
            Map<Long, Message> answers = exchange(c, requests, new StringBuilder());
            Response.ImportResult named = assertInstanceOf(Response.ImportResult.class, answers.get(13L));
            assertTrue(named.entries().stream().allMatch(e -> e.error() != null), named.toString());
            for (long hostile : new long[]{4, 16, 18, 24}) {
                Response.Failure f = assertInstanceOf(Response.Failure.class, answers.get(hostile), "request " + hostile);
                assertNotEquals(ErrorCode.FORBIDDEN, f.code());
            }
            assertInstanceOf(Response.Ok.class, answers.get(15L), () -> "an admin creates: " + answers.get(15L));
        }
        for (String file : files(tmp).keySet()) {
            assertTrue(file.startsWith("tunnels/") && !file.substring(8).contains("/"), "written outside: " + file);
        }
        assertEquals(List.of("evil", "made", "wg0", "zipped"), fx.store.names());
    }

    @Test
    void aCallerWithoutARoleGetsOnlyTheRefusal() throws Exception {
        fx = new ServerFixture(tmp);
        fx.store.create("wg0", TestConfigs.text("wg0", 3));
        fx.as(null);
        try (RawClient c = new RawClient(fx.socket)) {
            c.send(new ClientHello(Protocol.VERSION, "mallory"));
            for (Request r : everyRequest(TestConfigs.text("x", 1), "")) {
                c.send(r);
            }
            List<Message> got = c.readUntilClosed();
            assertEquals(1, got.size(), got.toString());
            assertEquals(ErrorCode.ACCESS_DENIED, assertInstanceOf(Response.Failure.class, got.getFirst()).code());
        } catch (java.io.IOException brokenPipe) {
            // the server hung up while we were still sending: that is a refusal too
        }
        assertEquals(List.of("wg0"), fx.store.names());
    }

    @Test
    void aSlowLorisHelloIsCutAtTheDeadlineWhileOthersAreServed() throws Exception {
        fx = new ServerFixture(tmp, b -> b.helloTimeout(Duration.ofSeconds(2)));
        byte[] hello = FrameCodec.frame(IpcJson.encode(new ClientHello(Protocol.VERSION, "x".repeat(90))));
        fx.as(Role.ADMIN);
        long t0 = System.nanoTime();
        boolean cut = false;
        try (RawClient loris = new RawClient(fx.socket);
             IpcClient good = IpcClient.connect(fx.socket, "good", null, Duration.ofSeconds(10))) {
            for (int i = 0; i < hello.length - 1 && !cut; i++) {
                try {
                    loris.sendBytes(new byte[]{hello[i]});
                } catch (java.io.IOException closed) {
                    cut = true;
                }
                good.ping();
                Thread.sleep(50);
            }
            if (!cut) {
                assertTrue(loris.readUntilClosed().isEmpty());
            }
            good.ping();
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(millis < 6000, "the dribbling client held on for " + millis + " ms");
    }
}
