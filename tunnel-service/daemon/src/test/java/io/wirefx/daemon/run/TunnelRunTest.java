package io.wirefx.daemon.run;

import io.wirefx.core.config.Config;
import io.wirefx.core.crypto.Key;
import io.wirefx.platform.FakeRunner;
import io.wirefx.platform.linux.LinuxPlatform;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run sequence and its exit codes, with a fake tunnel and a {@link FakeRunner} (no root needed). */
class TunnelRunTest {
    @TempDir
    Path dir;

    FakeRunner runner;
    ByteArrayOutputStream errBytes;
    PrintStream err;
    FakeFactory factory;

    static String key(int fill) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) fill);
        return Key.fromBytes(b).toBase64();
    }

    static final String GOOD = "[Interface]\nPrivateKey = " + key(1) + "\nAddress = 10.0.0.2/24\n\n[Peer]\nPublicKey = "
            + key(2) + "\nAllowedIPs = 10.0.0.0/24, 10.9.0.0/16\nEndpoint = 192.0.2.1:51820\n";

    final class FakeTunnel implements RunningTunnel {
        final String iface;
        boolean closed;
        boolean stopsAtOnce;
        volatile Consumer<String> stopListener;
        final List<Long> fwmarks = new ArrayList<>();

        FakeTunnel(String iface) {
            this.iface = iface;
        }

        @Override
        public String interfaceName() {
            return iface;
        }

        @Override
        public void onStopped(Consumer<String> listener) {
            stopListener = listener;
            if (stopsAtOnce) {
                listener.accept("interface removed");
            }
        }

        @Override
        public void close() {
            closed = true;
            runner.links.remove(iface);
        }

        @Override
        public void setFwmark(long mark) {
            fwmarks.add(mark);
        }

        @Override
        public List<InetAddress> endpointAddresses() {
            return List.of();
        }
    }

    final class FakeFactory implements TunnelFactory {
        Optional<String> unavailable = Optional.empty();
        IOException failure;
        boolean stopsAtOnce;
        final List<FakeTunnel> started = new ArrayList<>();

        @Override
        public Optional<String> unavailabilityCause() {
            return unavailable;
        }

        @Override
        public RunningTunnel start(String iface, Config config) throws IOException {
            if (failure != null) {
                throw failure;
            }
            FakeTunnel t = new FakeTunnel(iface);
            t.stopsAtOnce = stopsAtOnce;
            runner.links.add(iface);
            started.add(t);
            return t;
        }
    }

    @BeforeEach
    void setUp() {
        runner = new FakeRunner();
        errBytes = new ByteArrayOutputStream();
        err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        factory = new FakeFactory();
    }

    TunnelRun newRun() {
        return new TunnelRun(factory, new LinuxPlatform(runner).network(), new LinuxPlatform(runner)::interfaceNameFor,
                dir.resolve("state"), err);
    }

    String stderr() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    static StopRequest alreadyStopped() {
        StopRequest s = new StopRequest();
        s.request("test");
        return s;
    }

    /** Runs {@code f} on another thread, requests the stop once the tunnel is up, and returns the exit code. */
    int runUntilUpThenStop(Path f) throws Exception {
        return runUntilUp(f, stop -> stop.request("test"));
    }

    /** Runs {@code f} on another thread, calls {@code whenUp} once the tunnel is up, and returns the exit code. */
    int runUntilUp(Path f, Consumer<StopRequest> whenUp) throws Exception {
        StopRequest stop = new StopRequest();
        int[] code = {-1};
        Thread t = new Thread(() -> code[0] = newRun().run(f.toString(), stop), "run");
        t.start();
        while (t.isAlive() && !stderr().contains(" is up")) {
            Thread.sleep(5);
        }
        whenUp.accept(stop);
        t.join();
        return code[0];
    }

    @Test
    void interfaceNameComesFromTheFileName() {
        assertEquals(Optional.of("wg0"), TunnelRun.tunnelName("/etc/wireguard/wg0.conf"));
        assertEquals(Optional.of("home_vpn-1.x"), TunnelRun.tunnelName("home_vpn-1.x.conf"));
        assertEquals(Optional.empty(), TunnelRun.tunnelName("wg0.txt"));
        assertEquals(Optional.empty(), TunnelRun.tunnelName("/tmp/.conf"));
        assertEquals(Optional.of("sixteen-chars-xx"), TunnelRun.tunnelName("sixteen-chars-xx.conf"));
        assertEquals(Optional.empty(), TunnelRun.tunnelName("a-tunnel-name-of-thirty-three-chr.conf"));
        assertEquals(Optional.empty(), TunnelRun.tunnelName("nul.conf"));
        assertEquals(Optional.empty(), TunnelRun.tunnelName("bad name.conf"));
    }

    @Test
    void badConfigurationsExitOneWithTheLineAndTouchNothing() throws Exception {
        String[][] cases = {
                {GOOD.replace("Address = 10.0.0.2/24", "Adress = 10.0.0.2/24"), ":3: line 3, [Interface]",
                        "UNKNOWN_KEY"},
                {GOOD.replace("PublicKey = " + key(2), "PublicKey = notakey"), ":6: line 6, [Peer] PublicKey",
                        "INVALID_KEY"},
                {GOOD.replace("10.9.0.0/16", "10.9.0.0/33"), ":7: line 7, [Peer] AllowedIPs", "INVALID_CIDR"},
        };
        for (String[] c : cases) {
            Path f = write("wg0.conf", c[0]);
            int code = newRun().run(f.toString(), new StopRequest());
            assertEquals(TunnelRun.BAD_INPUT, code, stderr());
            assertTrue(stderr().contains(f + c[1]) && stderr().contains(c[2]), stderr());
            assertEquals(List.of(), runner.calls, "nothing ran");
            assertEquals(List.of(), factory.started);
            assertFalse(Files.exists(dir.resolve("state")), "not even the state directory");
        }
    }

    @Test
    void badFileNameOrMissingFileExitsOne() throws Exception {
        Path f = write("wg0.txt", GOOD);
        assertEquals(TunnelRun.BAD_INPUT, newRun().run(f.toString(), new StopRequest()));
        assertTrue(stderr().contains("valid tunnel name"), stderr());
        assertEquals(TunnelRun.BAD_INPUT, newRun().run(dir.resolve("nope.conf").toString(), new StopRequest()));
        assertTrue(stderr().contains("does not exist"), stderr());
        assertEquals(List.of(), runner.calls);
    }

    @Test
    void upThenStopTearsEverythingDown() throws Exception {
        Path f = write("wg7.conf", GOOD);
        int code = runUntilUpThenStop(f);
        assertEquals(TunnelRun.OK, code, stderr());
        assertEquals(List.of(
                "ip -4 address add 10.0.0.2/24 dev wg7",
                "ip link set mtu 1420 up dev wg7",
                "ip -4 route add 10.0.0.0/24 dev wg7",
                "ip -4 route add 10.9.0.0/16 dev wg7",
                "ip link delete dev wg7"), runner.changes());
        assertTrue(factory.started.getFirst().closed);
        assertTrue(stderr().contains("[+] wg7 is up"), stderr());
        assertTrue(stderr().contains("[-] stopping wg7 (test)"), stderr());
        assertFalse(Files.exists(dir.resolve("state/wg7.state")));
    }

    @Test
    void stopRequestedBeforeStartChangesNothing() throws Exception {
        Path f = write("wg7.conf", GOOD);
        assertEquals(TunnelRun.OK, newRun().run(f.toString(), alreadyStopped()));
        assertTrue(stderr().contains("[-] not starting wg7 (test)"), stderr());
        assertEquals(List.of(), runner.changes());
        assertEquals(List.of(), factory.started);
        assertFalse(Files.exists(dir.resolve("state/wg7.state")));
    }

    @Test
    void tunnelStoppingByItselfEndsTheRunCleanly() throws Exception {
        Path f = write("wg7.conf", GOOD);
        int code = runUntilUp(f, stop -> factory.started.getFirst().stopListener.accept("interface removed"));
        assertEquals(TunnelRun.OK, code, stderr());
        assertTrue(stderr().contains("[-] stopping wg7 (tunnel stopped: interface removed)"), stderr());
        assertFalse(Files.exists(dir.resolve("state/wg7.state")));
    }

    @Test
    void tunnelStoppedBeforeBringUpIsNotBroughtUp() throws Exception {
        factory.stopsAtOnce = true;
        Path f = write("wg7.conf", GOOD);
        assertEquals(TunnelRun.OK, newRun().run(f.toString(), new StopRequest()));
        assertTrue(stderr().contains("[-] not bringing up wg7 (tunnel stopped: interface removed)"), stderr());
        assertEquals(List.of("ip link delete dev wg7"), runner.changes());
        assertTrue(factory.started.getFirst().closed);
        assertFalse(Files.exists(dir.resolve("state/wg7.state")));
    }

    @Test
    void failedBringUpExitsFourAndUndoes() throws Exception {
        runner.fail("ip -4 route add 10.9.0.0/16 dev wg7", "RTNETLINK answers: File exists");
        Path f = write("wg7.conf", GOOD);
        assertEquals(TunnelRun.FAILED, newRun().run(f.toString(), new StopRequest()));
        assertTrue(stderr().contains("`ip -4 route add 10.9.0.0/16 dev wg7' failed (exit 2): RTNETLINK answers: File "
                + "exists"), stderr());
        assertEquals("ip link delete dev wg7", runner.changes().getLast());
        assertTrue(factory.started.getFirst().closed);
        assertFalse(Files.exists(dir.resolve("state/wg7.state")));
    }

    @Test
    void tunnelThatCannotStartLeavesNoState() throws Exception {
        factory.failure = new IOException("TUNSETIFF wg7: Operation not permitted");
        Path f = write("wg7.conf", GOOD);
        assertEquals(TunnelRun.FAILED, newRun().run(f.toString(), new StopRequest()));
        assertTrue(stderr().contains("Operation not permitted"), stderr());
        assertEquals(List.of(), runner.changes());
        assertFalse(Files.exists(dir.resolve("state/wg7.state")));
    }

    @Test
    void preconditionsExitThree() throws Exception {
        Path f = write("wg7.conf", GOOD);
        factory.unavailable = Optional.of("must be run as root");
        assertEquals(TunnelRun.CANNOT_START, newRun().run(f.toString(), new StopRequest()));
        assertTrue(stderr().contains("must be run as root"), stderr());
        factory.unavailable = Optional.empty();
        runner.links.add("wg7");
        assertEquals(TunnelRun.CANNOT_START, newRun().run(f.toString(), new StopRequest()));
        assertTrue(stderr().contains("`wg7' already exists"), stderr());
        assertEquals(List.of(), runner.changes());
        assertEquals(List.of(), factory.started);
    }

    @Test
    void worldReadableFileIsWarnedAbout() throws Exception {
        Path f = write("wg7.conf", GOOD);
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(TunnelRun.OK, runUntilUpThenStop(f));
        assertTrue(stderr().contains("Warning: `" + f + "' is world accessible"), stderr());
    }
}
