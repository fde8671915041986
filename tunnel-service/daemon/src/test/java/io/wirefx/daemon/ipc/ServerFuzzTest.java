package io.wirefx.daemon.ipc;

import io.wirefx.daemon.store.TestConfigs;
import io.wirefx.ipc.Event;
import io.wirefx.ipc.EventKind;
import io.wirefx.ipc.IpcJson;
import io.wirefx.ipc.Message;
import io.wirefx.ipc.Request;
import io.wirefx.ipc.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Well-framed garbage on an authorized connection: every frame (random bytes or a mutated valid request) gets exactly
 * one response, and the connection keeps working.
 */
class ServerFuzzTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void everyFrameGetsOneAnswer() throws Exception {
        run(400, 7);
    }

    @Test
    @Tag("heavy")
    @Timeout(1800)
    void everyFrameGetsOneAnswerMany() throws Exception {
        run(30_000, 8);
    }

    private void run(int frames, long seed) throws Exception {
        List<byte[]> valid = List.<Message>of(
                        new Request.Ping(1), new Request.ListTunnels(2), new Request.GetTunnel(3, "wg0"),
                        new Request.StartTunnel(4, "wg0"), new Request.StopTunnel(5, "wg0"),
                        new Request.GetStats(6, null), new Request.LogTail(7, 5),
                        new Request.Subscribe(8, EnumSet.of(EventKind.TUNNELS)),
                        new Request.UpdateTunnel(9, "wg0", TestConfigs.text("wg0", 2)),
                        new Request.RenameTunnel(10, "wg0", "wg1"), new Request.Export(11))
                .stream().map(IpcJson::encode).toList();
        Random random = new Random(seed);
        try (ServerFixture fx = new ServerFixture(tmp)) {
            fx.store.create("wg0", TestConfigs.text("wg0", 1));
            try (RawClient c = RawClient.hello(fx.socket)) {
                for (int i = 0; i < frames; i++) {
                    String alphabet = "{}[]\":,0123456789azAZ \\\u00ff";
                    byte[] payload;
                    if (random.nextInt(4) == 0) {
                        payload = new byte[random.nextInt(64)];
                        random.nextBytes(payload);
                    } else {
                        payload = valid.get(random.nextInt(valid.size())).clone();
                        int edits = 1 + random.nextInt(4);
                        for (int e = 0; e < edits && payload.length > 0; e++) {
                            payload[random.nextInt(payload.length)] =
                                    (byte) alphabet.charAt(random.nextInt(alphabet.length()));
                        }
                    }
                    c.sendBytes(ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array());
                    Message m;
                    do {
                        m = c.read();
                        assertNotNull(m, "the server closed the connection after frame " + i + ": "
                                + new String(payload, StandardCharsets.UTF_8));
                    } while (m instanceof Event);
                    assertInstanceOf(Response.class, m);
                }
                c.send(new Request.Ping(424242));
                Message m;
                while ((m = c.read()) instanceof Event) {
                    // skip
                }
                assertEquals(new Response.Pong(424242), m);
            }
        }
    }
}
