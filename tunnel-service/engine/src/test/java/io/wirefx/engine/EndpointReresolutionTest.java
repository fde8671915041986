package io.wirefx.engine;

import io.wirefx.core.crypto.KeyPair;
import io.wirefx.engine.bind.linux.LinuxUdpBind;
import io.wirefx.tun.linux.testing.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Root only: a peer configured by host name follows the name when the peer moves. Namespace A holds the engine (a
 * child JVM under {@code ip netns exec A}, so that {@code /etc/netns/A/resolv.conf} points its resolver at
 * {@link TinyDnsServer} on A's loopback) and B holds wireguard-go, joined by a veth.
 *
 * <pre>
 *  A: a0 192.168.77.2   engine, 10.77.0.2 inside     B: b0 192.168.77.1 (X), later .3 (Y)   wireguard-go 10.77.0.1
 *     DNS 127.0.0.1:53: peer.reresolve.test → X, later Y
 * </pre>
 *
 * Pings through the tunnel work; then wireguard-go's address moves from X to Y and the DNS answer changes with it.
 * Nothing from B reaches A any more (wireguard-go only answers), so only re-resolution can bring the tunnel back:
 * it does, without a restart, once the peer has been silent for the stale time. The engine's timings are scaled by
 * {@value #SCALE} (stale after 13.5 s instead of 135 s); the child's JVM name cache is off
 * ({@code sun.net.inetaddr.ttl=0}) because that stale time is shorter than the cache's default 30 s.
 */
@Timeout(180)
class EndpointReresolutionTest {
    static final double SCALE = 0.1;
    static final String NAME = "peer.reresolve.test";
    static final String X = "192.168.77.1";
    static final String Y = "192.168.77.3";

    @TempDir
    Path tmp;

    NetNs a;
    NetNs b;
    String goIf = NetNs.uniqueInterfaceName("wgr");
    TinyDnsServer dns;
    Path netnsEtc;
    boolean createdEtcNetns; // /etc/netns itself did not exist before
    Process node;

    @BeforeAll
    static void requirements() {
        assumeTrue(NetNs.unavailabilityCause().isEmpty(), () -> "skipped: " + NetNs.unavailabilityCause().orElse(""));
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/wireguard-go")), "skipped: wireguard-go is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/wg")), "skipped: wg is not installed");
        assumeTrue(LinuxUdpBind.isAvailable(), "skipped: native bind unavailable");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (node != null) {
            node.destroyForcibly();
        }
        if (dns != null) {
            dns.close();
        }
        if (b != null) {
            b.ipResult("link", "del", goIf); // wireguard-go exits when its interface goes away
            b.close();
        }
        if (a != null) {
            a.close();
        }
        if (netnsEtc != null && Files.exists(netnsEtc)) {
            try (Stream<Path> s = Files.walk(netnsEtc)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
            if (createdEtcNetns) {
                try {
                    Files.deleteIfExists(netnsEtc.getParent());
                } catch (java.nio.file.DirectoryNotEmptyException another) {
                    // another test's namespace has its entry there now
                }
            }
        }
    }

    @Test
    void aHostNameEndpointFollowsTheNameWhenThePeerMoves() throws Exception {
        a = NetNs.create("wfxrr-");
        b = NetNs.create("wfxrr-");
        for (NetNs n : List.of(a, b)) {
            n.ip("link", "set", "lo", "up");
        }
        a.ip("link", "add", "a0", "type", "veth", "peer", "name", "b0", "netns", b.name());
        a.ip("address", "add", "192.168.77.2/24", "dev", "a0");
        a.ip("link", "set", "a0", "up");
        b.ip("address", "add", X + "/24", "dev", "b0");
        b.ip("link", "set", "b0", "up");

        KeyPair ours = KeyPair.generate(new SecureRandom());
        KeyPair go = KeyPair.generate(new SecureRandom());
        NetNs.ExecResult r = b.exec("env", "LOG_LEVEL=silent", "wireguard-go", goIf);
        assumeTrue(r.exitCode() == 0, () -> "skipped: wireguard-go did not start: " + r.output());
        Path key = tmp.resolve("go.key");
        Files.writeString(key, go.privateKey().toBase64() + "\n");
        b.execChecked("wg", "set", goIf, "listen-port", "51820", "private-key", key.toString(), "peer",
                ours.publicKey().toBase64(), "allowed-ips", "10.77.0.2/32");
        b.ip("address", "add", "10.77.0.1/24", "dev", goIf);
        b.ip("link", "set", goIf, "up");

        dns = a.runInside(() -> new TinyDnsServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 53), NAME,
                TinyDnsServer.v4(X)));
        netnsEtc = Path.of("/etc/netns", a.name());
        createdEtcNetns = !Files.exists(netnsEtc.getParent());
        Files.createDirectories(netnsEtc);
        Files.writeString(netnsEtc.resolve("resolv.conf"), "nameserver 127.0.0.1\noptions timeout:1 attempts:2\n");

        Path conf = tmp.resolve("node.conf");
        Files.writeString(conf, "[Interface]\nPrivateKey = " + ours.privateKey().toBase64() + "\n\n[Peer]\n"
                + "PublicKey = " + go.publicKey().toBase64() + "\nAllowedIPs = 10.77.0.1/32\nEndpoint = " + NAME
                + ":51820\n");
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        node = new ProcessBuilder("ip", "netns", "exec", a.name(), java, "--enable-native-access=ALL-UNNAMED",
                "-Dsun.net.inetaddr.ttl=0", "-cp", cp, ReresolveNodeMain.class.getName(), conf.toString(),
                Double.toString(SCALE)).redirectError(tmp.resolve("node.err").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter in = new PrintWriter(node.getOutputStream(), true, StandardCharsets.UTF_8);
        String started = out.readLine();
        assertTrue(started != null && started.contains(X + ":51820"), "the name resolved to X at start: " + started
                + "\n" + stderr());
        in.println("ping 10.77.0.2 10.77.0.1");
        String first = out.readLine();
        assertTrue(first != null && first.startsWith("ok ") && first.contains(X + ":51820"), first + "\n" + stderr());
        int queriesBefore = dns.aQueries.get();

        b.ip("address", "del", X + "/24", "dev", "b0");
        b.ip("address", "add", Y + "/24", "dev", "b0");
        dns.answer(TinyDnsServer.v4(Y));
        long moved = System.nanoTime();
        String last = null;
        int failedPings = 0;
        while (System.nanoTime() - moved < TimeUnit.SECONDS.toNanos(120)) {
            in.println("ping 10.77.0.2 10.77.0.1");
            last = out.readLine();
            if (last == null || last.startsWith("ok ")) {
                break;
            }
            failedPings++;
        }
        double seconds = (System.nanoTime() - moved) / 1e9;
        System.out.printf("re-resolution: tunnel back %.1f s after the move (stale after %.1f s), %d failed pings, "
                + "%d DNS A queries after the move; last: %s%n", seconds, 135 * SCALE, failedPings,
                dns.aQueries.get() - queriesBefore, last);
        assertTrue(last != null && last.startsWith("ok ") && last.contains(Y + ":51820"),
                "the tunnel came back at Y: " + last + "\n" + stderr());
        assertTrue(failedPings > 0, "pings failed between the move and the re-resolution");
        assertTrue(dns.aQueries.get() > queriesBefore, "the name was looked up again");
        assertTrue(stderr().contains("no sign of life"), "the re-resolution was logged:\n" + stderr());
        in.close();
        assertTrue(node.waitFor(30, TimeUnit.SECONDS), "the node exits at the end of its input");
    }

    private String stderr() throws IOException {
        Path p = tmp.resolve("node.err");
        return Files.exists(p) ? Files.readString(p) : "";
    }
}
