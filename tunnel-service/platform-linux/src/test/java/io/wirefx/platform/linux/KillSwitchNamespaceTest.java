package io.wirefx.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wirefx.platform.CommandRunner;
import io.wirefx.platform.ProcessCommandRunner;
import io.wirefx.tun.linux.testing.NetNs;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kill switch's nft rules in a network namespace of the test's own: a "wan" and a "tunnel" interface (veth pairs,
 * IPv4 and IPv6, default routes via wan), and UDP sends from inside the namespace — a packet the output chain drops
 * makes {@code send} fail with EPERM, one it lets through is sent. The host's namespace is never touched.
 */
class KillSwitchNamespaceTest {
    private NetNs ns;
    private CommandRunner runner;
    private String tun;

    @BeforeEach
    void setUp() throws Exception {
        Optional<String> cause = NetNs.unavailabilityCause();
        Assumptions.assumeTrue(cause.isEmpty(), () -> "needs network namespaces: " + cause.orElse(""));
        Assumptions.assumeTrue(new ProcessCommandRunner(List.of(), 10_000).hasProgram("nft"), "needs nft");
        ns = NetNs.create("wfxks-");
        runner = new ProcessCommandRunner(List.of("ip", "netns", "exec", ns.name()), 30_000);
        tun = NetNs.uniqueInterfaceName("wfk");
        ns.ip("link", "set", "lo", "up");
        ns.ip("link", "add", "wan", "type", "veth", "peer", "name", "wanpeer");
        ns.ip("link", "set", "wanpeer", "up");
        ns.ip("addr", "add", "192.168.50.2/24", "dev", "wan");
        ns.ip("-6", "addr", "add", "2001:db8:50::2/64", "dev", "wan", "nodad");
        ns.ip("link", "set", "wan", "up");
        ns.ip("route", "add", "default", "via", "192.168.50.1", "dev", "wan");
        ns.ip("-6", "route", "add", "default", "via", "2001:db8:50::1", "dev", "wan");
        ns.ip("link", "add", tun, "type", "veth", "peer", "name", "tunpeer");
        ns.ip("link", "set", "tunpeer", "up");
        ns.ip("addr", "add", "10.66.0.2/24", "dev", tun);
        ns.ip("-6", "addr", "add", "fd00:66::2/64", "dev", tun, "nodad");
        ns.ip("link", "set", tun, "up");
    }

    @AfterEach
    void tearDown() {
        if (ns != null) {
            ns.close();
        }
    }

    /** Which of the destinations a UDP packet can be sent to from inside the namespace. */
    private Map<String, Boolean> reachable() throws Exception {
        Map<String, Boolean> out = new LinkedHashMap<>();
        String[] targets = {"127.0.0.1:9", "10.66.0.9:9", "fd00:66::9:9", "203.0.113.7:51820", "203.0.113.7:51821",
                "198.51.100.1:53", "192.168.50.9:9", "2001:db8:ffff::1:53", "fd12:3456::1:9"};
        for (String t : targets) {
            int colon = t.lastIndexOf(':');
            String host = t.substring(0, colon);
            int port = Integer.parseInt(t.substring(colon + 1));
            out.put(t, ns.runInside(() -> sends(host, port)));
        }
        return out;
    }

    private static boolean sends(String host, int port) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            byte[] b = {1, 2, 3};
            s.send(new DatagramPacket(b, b.length, new InetSocketAddress(InetAddress.getByName(host), port)));
            return true;
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("not permitted")) {
                return false;
            }
            throw e;
        }
    }

    @Test
    void blocksEverythingButTheTunnelTheEndpointAndOptionallyTheLan() throws Exception {
        Map<String, Boolean> before = reachable();
        assertFalse(before.containsValue(false), "everything goes before: " + before);

        LinuxKillSwitch ks = new LinuxKillSwitch(tun, OptionalLong.of(51820),
                List.of(new InetSocketAddress("203.0.113.7", 51820)), false);
        ks.apply(runner);
        Map<String, Boolean> on = reachable();
        assertEquals(Map.of("127.0.0.1:9", true, "10.66.0.9:9", true, "fd00:66::9:9", true,
                "203.0.113.7:51820", true, "203.0.113.7:51821", false, "198.51.100.1:53", false,
                "192.168.50.9:9", false, "2001:db8:ffff::1:53", false, "fd12:3456::1:9", false), on);

        // Opting in to the LAN replaces the table (as a restart would).
        LinuxKillSwitch lan = new LinuxKillSwitch(tun, OptionalLong.of(51820),
                List.of(new InetSocketAddress("203.0.113.7", 51820)), true);
        lan.apply(runner);
        Map<String, Boolean> withLan = reachable();
        assertTrue(withLan.get("192.168.50.9:9") && withLan.get("fd12:3456::1:9"), withLan.toString());
        assertFalse(withLan.get("198.51.100.1:53") || withLan.get("2001:db8:ffff::1:53"), withLan.toString());

        lan.remove(runner);
        assertFalse(runner.run(List.of("nft", "list", "table", "inet", lan.table())).succeeded(), "table gone");
        Map<String, Boolean> after = reachable();
        assertFalse(after.containsValue(false), "all back after removal: " + after);
        lan.remove(runner); // nothing left to remove: no error
    }
}
