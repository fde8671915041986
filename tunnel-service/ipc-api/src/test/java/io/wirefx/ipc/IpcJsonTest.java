package io.wirefx.ipc;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpcJsonTest {

    private static Message decode(String json) throws ProtocolException {
        return IpcJson.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private static ProtocolException reject(String json) {
        return assertThrows(ProtocolException.class, () -> decode(json));
    }

    @Test
    void everySampleRoundTrips() throws Exception {
        for (Message m : Samples.all()) {
            byte[] json = IpcJson.encode(m);
            assertEquals(m, IpcJson.decode(json), new String(json, StandardCharsets.UTF_8));
        }
    }

    @Test
    void whitelistIsExactlyTheSealedHierarchy() {
        Set<Class<?>> records = new HashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>();
        todo.add(Message.class);
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            if (c.isSealed()) {
                todo.addAll(java.util.List.of(c.getPermittedSubclasses()));
            } else {
                assertTrue(c.isRecord(), c + " should be a record");
                records.add(c);
            }
        }
        assertEquals(records, new HashSet<>(IpcJson.types().values()));
        assertEquals(IpcJson.types().size(), new HashSet<>(IpcJson.types().keySet()).size());
        // and the samples cover every type
        assertEquals(records, Samples.all().stream().map(Object::getClass).collect(Collectors.toSet()));
    }

    @Test
    void wireShapeIsFlatWithTypeProperty() {
        assertEquals("{\"type\":\"ping\",\"id\":5}", new String(IpcJson.encode(new Request.Ping(5)),
                StandardCharsets.UTF_8));
        assertEquals("{\"type\":\"subscribe\",\"id\":2,\"kinds\":[\"LOG\"]}", new String(IpcJson.encode(
                new Request.Subscribe(2, EnumSet.of(EventKind.LOG))), StandardCharsets.UTF_8));
        assertEquals("{\"type\":\"tunnelsChanged\"}", new String(IpcJson.encode(new Event.TunnelsChanged()),
                StandardCharsets.UTF_8));
        // nulls are omitted; helper methods (kind(), ok(), redacted()) are not properties
        String stats = new String(IpcJson.encode(new Request.GetStats(3, null)), StandardCharsets.UTF_8);
        assertEquals("{\"type\":\"stats\",\"id\":3}", stats);
        String entry = new String(IpcJson.encode(new Response.ImportResult(1, java.util.List.of(
                new ImportEntry("a.conf", "a", null, null, null)))), StandardCharsets.UTF_8);
        assertEquals("{\"type\":\"importResult\",\"id\":1,\"entries\":[{\"entry\":\"a.conf\",\"tunnel\":\"a\"}]}",
                entry);
    }

    @Test
    void onlyRecordComponentsAreProperties() throws Exception {
        // helper methods such as TunnelDetails.isRedacted() must not leak into the wire format
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        for (Message m : Samples.all()) {
            var tree = mapper.readTree(IpcJson.encode(m));
            checkFields(m, tree);
        }
    }

    private static void checkFields(Object value, com.fasterxml.jackson.databind.JsonNode node) throws Exception {
        if (value == null || !value.getClass().isRecord()) {
            return;
        }
        Set<String> components = java.util.Arrays.stream(value.getClass().getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName).collect(Collectors.toSet());
        java.util.Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            assertTrue(n.equals("type") || components.contains(n), value.getClass().getSimpleName() + "." + n);
        }
        for (var rc : value.getClass().getRecordComponents()) {
            Object v = rc.getAccessor().invoke(value);
            if (v instanceof java.util.List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    checkFields(list.get(i), node.get(rc.getName()).get(i));
                }
            } else if (v != null && v.getClass().isRecord()) {
                checkFields(v, node.get(rc.getName()));
            }
        }
    }

    @Test
    void unknownTypeIsRejectedWithTheRequestId() {
        ProtocolException e = reject("{\"type\":\"reboot\",\"id\":42}");
        assertEquals(ErrorCode.UNKNOWN_REQUEST, e.code());
        assertEquals(42, e.requestId());
    }

    @Test
    void classNamesAndClassPropertiesNeverInstantiateAnything() {
        assertEquals(ErrorCode.UNKNOWN_REQUEST, reject("{\"type\":\"java.lang.ProcessBuilder\",\"id\":1}").code());
        assertEquals(ErrorCode.UNKNOWN_REQUEST, reject("{\"type\":\"io.wirefx.ipc.Request$Ping\",\"id\":1}").code());
        assertEquals(ErrorCode.BAD_REQUEST, reject("{\"@class\":\"java.lang.Runtime\",\"id\":1}").code());
        assertEquals(ErrorCode.BAD_REQUEST,
                reject("[\"java.lang.ProcessBuilder\",{\"command\":[\"id\"]}]").code());
    }

    @Test
    void malformedInputGivesBadRequest() {
        assertEquals(ErrorCode.BAD_REQUEST, reject("").code());
        assertEquals(ErrorCode.BAD_REQUEST, reject("not json").code());
        assertEquals(ErrorCode.BAD_REQUEST, reject("42").code());
        assertEquals(ErrorCode.BAD_REQUEST, reject("{\"type\":7,\"id\":1}").code());
        assertEquals(ErrorCode.BAD_REQUEST, reject("{\"type\":\"ping\",\"id\":1} {}").code());
        assertEquals(ErrorCode.BAD_REQUEST, reject("{\"type\":\"ping\",\"id\":\"1\"}").code());
        ProtocolException missingName = reject("{\"type\":\"get\",\"id\":9}");
        assertEquals(ErrorCode.BAD_REQUEST, missingName.code());
        assertEquals(9, missingName.requestId());
        ProtocolException badEnum = reject("{\"type\":\"subscribe\",\"id\":3,\"kinds\":[\"NOPE\"]}");
        assertEquals(ErrorCode.BAD_REQUEST, badEnum.code());
        assertEquals(3, badEnum.requestId());
        assertEquals(ErrorCode.BAD_REQUEST,
                reject("{\"type\":\"import\",\"id\":1,\"name\":\"a\",\"text\":\"x\",\"zipBase64\":\"y\"}").code());
        assertEquals(ErrorCode.BAD_REQUEST, reject("{\"type\":\"ping\",\"id\":1,\"x\":" + "[".repeat(100)
                + "]".repeat(100) + "}").code());
        assertEquals(ErrorCode.BAD_REQUEST, reject("{\"type\":\"ping\",\"id\":1" + "9".repeat(100) + "}").code());
    }

    @Test
    void malformedSettingsGiveBadRequestWithTheRequestId() throws Exception {
        String ok = "{\"type\":\"setSettings\",\"id\":5,\"name\":\"wg0\",\"settings\":{\"blockUntunneled\":true}}";
        Request.SetSettings s = (Request.SetSettings) IpcJson.decode(ok.getBytes(StandardCharsets.UTF_8));
        assertEquals(new TunnelSettings(true, false, OnDemandRules.OFF), s.settings(), "absent fields are defaults");
        for (String bad : List.of(
                "{\"type\":\"setSettings\",\"id\":5,\"name\":\"wg0\"}",
                "{\"type\":\"setSettings\",\"id\":5,\"name\":\"wg0\",\"settings\":{\"blockUntunneled\":\"yes\"}}",
                "{\"type\":\"setSettings\",\"id\":5,\"name\":\"wg0\",\"settings\":{\"onDemand\":{\"onWifi\":true,"
                        + "\"trustedSsids\":[\"" + "x".repeat(33) + "\"]}}}",
                "{\"type\":\"setSettings\",\"id\":5,\"name\":\"wg0\",\"settings\":{\"onDemand\":{\"trustedSsids\":[\"\"]}}}")) {
            ProtocolException e = reject(bad);
            assertEquals(ErrorCode.BAD_REQUEST, e.code(), bad);
            assertEquals(5, e.requestId(), bad);
        }
    }

    @Test
    void errorMessagesNeverEchoTheInput() {
        String secret = Samples.PRIV;
        for (String json : new String[] {
                "{\"type\":\"get\",\"id\":1,\"name\":[\"" + secret + "\"]}",
                "{\"type\":\"" + secret + "\"}",
                "{\"type\":\"create\",\"id\":1,\"name\":\"a\",\"" + secret + "\":1,\"text\":7}",
                "{\"" + secret + "\"",
        }) {
            ProtocolException e = reject(json);
            assertFalse(e.getMessage().contains(secret.substring(0, 10)), e.getMessage());
        }
    }

    @Test
    void unknownFieldsAreIgnoredAndUnknownErrorCodesTolerated() throws Exception {
        assertEquals(new Request.Ping(4), decode("{\"type\":\"ping\",\"id\":4,\"future\":{\"x\":[1,2]}}"));
        Message m = decode("{\"type\":\"error\",\"id\":4,\"code\":\"SOMETHING_NEW\",\"message\":\"m\"}");
        assertEquals(ErrorCode.UNKNOWN, assertInstanceOf(Response.Failure.class, m).code());
    }

    @Test
    void toStringNeverShowsSecrets() {
        for (Message m : Samples.all()) {
            String s = m.toString();
            assertFalse(s.contains(Samples.PRIV), s);
            assertFalse(s.contains(Samples.PSK), s);
        }
        assertFalse(Samples.details().toString().contains(Samples.PRIV));
    }

    @Test
    void redactionRemovesPrivateAndPresharedKeys() {
        TunnelDetails d = Samples.details();
        assertFalse(d.isRedacted());
        TunnelDetails r = d.redacted();
        assertTrue(r.isRedacted());
        String json = new String(IpcJson.encode(new Response.TunnelConfig(1, "wg0", TunnelState.RUNNING, "x", true, r)),
                StandardCharsets.UTF_8);
        assertFalse(json.contains(Samples.PRIV));
        assertFalse(json.contains(Samples.PSK));
        assertTrue(json.contains(Samples.PUB));
        assertTrue(r.peers().getFirst().hasPresharedKey());
        assertEquals(d.iface().addresses(), r.iface().addresses());
    }

    @Test
    void permissions() {
        for (Message m : Samples.all()) {
            if (m instanceof Request r) {
                assertTrue(Permissions.allows(Role.ADMIN, r));
                boolean edits = r instanceof Request.ImportTunnels || r instanceof Request.CreateTunnel
                        || r instanceof Request.UpdateTunnel || r instanceof Request.RenameTunnel
                        || r instanceof Request.DeleteTunnel || r instanceof Request.Export
                        || r instanceof Request.SetSettings;
                assertEquals(!edits, Permissions.allows(Role.OPERATOR, r), r.toString());
            }
        }
    }

    @Test
    void versionNegotiation() {
        assertEquals(Protocol.VERSION, Protocol.negotiate(Protocol.VERSION));
        assertEquals(Protocol.VERSION, Protocol.negotiate(Protocol.VERSION + 5));
        assertEquals(-1, Protocol.negotiate(Protocol.MIN_VERSION - 1));
        assertEquals(-1, Protocol.negotiate(Integer.MIN_VALUE));
    }
}
