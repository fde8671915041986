package io.wirefx.daemon.userspace;

import io.wirefx.platform.unix.AccountDatabase;
import io.wirefx.platform.unix.UnixSocketEndpoints;
import io.wirefx.core.uapi.UapiDevice;
import io.wirefx.daemon.uapi.FakeUapiDevice;
import io.wirefx.tun.TunDevice;
import io.wirefx.tun.TunDriver;
import io.wirefx.tun.memory.MemoryTun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link UserspaceMain}'s command line, readiness line and exit codes, on an in-memory TUN (no root needed). */
class UserspaceMainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

    private static TunDriver memoryDriver(boolean fail) {
        return new TunDriver() {
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
            public TunDevice open(String name, int mtu) throws IOException {
                if (fail) {
                    throw new IOException("TUNSETIFF " + name + ": EPERM (needs CAP_NET_ADMIN)");
                }
                return new MemoryTun(name, mtu);
            }
        };
    }

    private static final UnixSocketEndpoints ENDPOINTS = new UnixSocketEndpoints(new AccountDatabase());
    private static final Backend.Factory FAKE_BACKEND = (tun, log, fatal) -> new Backend() {
        private final FakeUapiDevice device = new FakeUapiDevice();

        @Override
        public UapiDevice uapi() {
            return device;
        }

        @Override
        public void close() {
        }
    };

    @Test
    void parsesTheWireguardGoCommandLine() {
        assertEquals(new UserspaceMain.Args(false, "wg0"), UserspaceMain.Args.parse(new String[]{"wg0"}, errStream));
        assertEquals(new UserspaceMain.Args(true, "wg0"), UserspaceMain.Args.parse(new String[]{"-f", "wg0"}, errStream));
        assertEquals(new UserspaceMain.Args(true, "wg0"), UserspaceMain.Args.parse(new String[]{"wg0", "--foreground"}, errStream));
        assertNull(UserspaceMain.Args.parse(new String[]{}, errStream));
        assertNull(UserspaceMain.Args.parse(new String[]{"wg0", "wg1"}, errStream));
        assertNull(UserspaceMain.Args.parse(new String[]{"-x", "wg0"}, errStream));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Usage: wirefx-userspace [-f|--foreground]"));
    }

    @Test
    void signalsReadinessAndExitsZeroWhenTheSocketIsDeleted() throws Exception {
        Path ready = Files.createFile(dir.resolve("ready")); // the launcher uses a FIFO; a file records the same line
        Map<String, String> env = Map.of("WIREFX_READY_FIFO", ready.toString(),
                "WIREFX_UAPI_DIR", dir.resolve("run").toString(), "WIREFX_DISCARD_LOG_AFTER_READY", "1");
        Log log = new Log(Log.Level.VERBOSE, "wgm0", errStream);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> UserspaceMain.run(new UserspaceMain.Args(false, "wgm0"), env, memoryDriver(false), ENDPOINTS, FAKE_BACKEND, log));
        Path socket = dir.resolve("run/wgm0.sock");
        while (Files.readString(ready).isEmpty()) {
            Thread.sleep(10);
        }
        assertEquals("ok wgm0\n", Files.readString(ready));
        assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
        while (!err.toString(StandardCharsets.UTF_8).contains("Device started")) {
            Thread.sleep(10);
        }
        Files.delete(socket);
        assertEquals(UserspaceMain.OK, exit.get(30, TimeUnit.SECONDS));
        assertFalse(err.toString(StandardCharsets.UTF_8).contains("Shutting down"),
                "the log was to be discarded once ready");
    }

    @Test
    void writesTheInterfaceNameWhereWgQuickOnMacOsLooks() throws Exception {
        Path nameFile = dir.resolve("office.name");
        Map<String, String> env = Map.of("WIREFX_UAPI_DIR", dir.resolve("run").toString(),
                "WG_TUN_NAME_FILE", nameFile.toString());
        Log log = new Log(Log.Level.VERBOSE, "wgm2", errStream);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> UserspaceMain.run(new UserspaceMain.Args(false, "wgm2"), env, memoryDriver(false), ENDPOINTS, FAKE_BACKEND, log));
        while (!err.toString(StandardCharsets.UTF_8).contains("Device started")) {
            Thread.sleep(10);
        }
        assertEquals("wgm2\n", Files.readString(nameFile));
        Files.delete(dir.resolve("run/wgm2.sock"));
        assertEquals(UserspaceMain.OK, exit.get(30, TimeUnit.SECONDS));
    }

    @Test
    void reportsAFailedStartOnTheReadinessChannel() throws Exception {
        Path ready = Files.createFile(dir.resolve("ready"));
        Map<String, String> env = Map.of("WIREFX_READY_FIFO", ready.toString(),
                "WIREFX_UAPI_DIR", dir.resolve("run").toString());
        Log log = new Log(Log.Level.ERROR, "wgm1", errStream);
        int code = UserspaceMain.run(new UserspaceMain.Args(false, "wgm1"), env, memoryDriver(true), ENDPOINTS, FAKE_BACKEND, log);
        assertEquals(UserspaceMain.SETUP_FAILED, code);
        assertEquals("error Failed to start wgm1: TUNSETIFF wgm1: EPERM (needs CAP_NET_ADMIN)\n",
                Files.readString(ready));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("ERROR: (wgm1)"));
        assertFalse(Files.exists(dir.resolve("run/wgm1.sock"), LinkOption.NOFOLLOW_LINKS));
    }
}
