package io.wirefx.platform.linux;

import io.wirefx.platform.ProcessCommandRunner;
import io.wirefx.platform.TunnelControl;
import io.wirefx.platform.NetconfigException;
import io.wirefx.platform.CommandRunner;
import io.wirefx.core.config.Config;
import io.wirefx.platform.NetconfigException.Kind;
import io.wirefx.tun.linux.LinuxTunDevice;
import io.wirefx.tun.linux.LinuxTunDriver;
import io.wirefx.tun.linux.testing.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.wirefx.platform.linux.LinuxNetworkConfiguratorTest.PRIV;
import static io.wirefx.platform.linux.LinuxNetworkConfiguratorTest.PUB_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Root only: applies and removes configurations for real, on a TUN interface inside a throw-away network namespace
 * (every command runs under {@code ip netns exec NS}; the host's namespace is never touched), and compares the
 * namespace's addresses, routes, rules and nftables tables before and after.
 */
class NamespaceNetconfigTest {
    @TempDir
    Path stateDir;

    NetNs ns;
    CommandRunner runner;
    String tunName;
    LinuxTunDevice tun;
    final List<String> log = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Optional<String> cause = NetNs.unavailabilityCause().or(() -> new LinuxTunDriver().unavailabilityCause());
        if (cause.isPresent()) {
            System.err.println("NamespaceNetconfigTest skipped: " + cause.get());
        }
        assumeTrue(cause.isEmpty(), () -> "privileged test skipped: " + cause.orElse(""));
        ns = NetNs.create("wfxnc-");
        runner = new ProcessCommandRunner(List.of("ip", "netns", "exec", ns.name()), 30_000);
        tunName = NetNs.uniqueInterfaceName("wfx");
        // A "physical" link with a smaller MTU on the way to the peer's endpoint, 192.0.2.1.
        ns.ip("link", "set", "lo", "up");
        // No duplicate address detection: link-local addresses would change state under the snapshots.
        ns.execChecked("sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
        ns.ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
        ns.ip("link", "set", "v0", "mtu", "1400", "up");
        ns.ip("link", "set", "v1", "up");
        ns.ip("address", "add", "192.0.2.2/24", "dev", "v0");
    }

    @AfterEach
    void tearDown() {
        if (tun != null) {
            tun.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    /** Creates the TUN interface inside the namespace (what {@code run} does through the engine). */
    void createTun() throws Exception {
        tun = ns.runInside(() -> new LinuxTunDriver().open(tunName, 1420));
    }

    LinuxNetworkConfigurator configurator(String text) throws Exception {
        NetconfigOptions o = new NetconfigOptions(stateDir, stateDir.resolve("none"), Optional.empty(), 1, log::add);
        return new LinuxNetworkConfigurator(tunName, Config.parse(text), runner, o);
    }

    static String config(String ifaceExtra, String peerExtra) {
        return "[Interface]\nPrivateKey = " + PRIV + "\n" + ifaceExtra + "\n[Peer]\nPublicKey = " + PUB_A + "\n"
                + peerExtra + "\n";
    }

    /** Everything the configurator may touch, as text. */
    Map<String, String> snapshot() throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("links", ns.execChecked("ip", "-o", "link", "show").replaceAll("link/ether \\S+", "")
                .replaceAll("\\d+: ", ""));
        m.put("addr4", ns.execChecked("ip", "-4", "-o", "address", "show"));
        m.put("addr6", ns.execChecked("ip", "-6", "-o", "address", "show"));
        m.put("route4", ns.execChecked("ip", "-4", "route", "show", "table", "all"));
        m.put("route6", ns.execChecked("ip", "-6", "route", "show", "table", "all"));
        m.put("rule4", ns.execChecked("ip", "-4", "rule", "show"));
        m.put("rule6", ns.execChecked("ip", "-6", "rule", "show"));
        m.put("nft", ns.execChecked("nft", "list", "tables"));
        return m;
    }

    final class Tunnel implements TunnelControl {
        @Override
        public String interfaceName() {
            return tunName;
        }

        final List<Long> fwmarks = new ArrayList<>();

        @Override
        public void setFwmark(long mark) {
            fwmarks.add(mark);
        }

        @Override
        public List<InetAddress> endpointAddresses() {
            try {
                return List.of(InetAddress.getByName("192.0.2.1"));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void fullTunnelIsAppliedAndRemovedExactly() throws Exception {
        Map<String, String> before = snapshot();
        LinuxNetworkConfigurator c = configurator(config("Address = 10.64.0.2/32, fd64::2/128",
                "AllowedIPs = 0.0.0.0/0, ::/0, 10.9.0.0/16\nEndpoint = 192.0.2.1:51820"));
        c.prepare();
        c.interfaceOpened(c.interfaceName());
        createTun();
        Tunnel t = new Tunnel();
        c.up(t);
        assertEquals(List.of(51820L), t.fwmarks);
        assertEquals(1320, c.mtu().orElseThrow(), "veth MTU 1400 - 80");

        String link = ns.ip("link", "show", "dev", tunName);
        assertTrue(link.contains("mtu 1320") && link.contains(",UP"), link);
        assertTrue(ns.ip("-4", "address", "show", "dev", tunName).contains("inet 10.64.0.2/32"));
        assertTrue(ns.ip("-6", "address", "show", "dev", tunName).contains("inet6 fd64::2/128"));
        String rules4 = ns.ip("-4", "rule", "show");
        assertTrue(rules4.contains("not from all fwmark 0xca6c lookup 51820"), rules4);
        assertTrue(rules4.contains("from all lookup main suppress_prefixlength 0"), rules4);
        String rules6 = ns.ip("-6", "rule", "show");
        assertTrue(rules6.contains("not from all fwmark 0xca6c lookup 51820"), rules6);
        assertTrue(rules6.contains("from all lookup main suppress_prefixlength 0"), rules6);
        assertEquals("default dev " + tunName + " scope link", ns.ip("-4", "route", "show", "table", "51820").strip());
        assertTrue(ns.ip("-6", "route", "show", "table", "51820").startsWith("default dev " + tunName));
        assertTrue(ns.ip("-4", "route", "show", "dev", tunName).contains("10.9.0.0/16 scope link"));
        String nft = ns.execChecked("nft", "list", "table", "ip", "wirefx-" + tunName);
        assertTrue(nft.contains("iifname != \"" + tunName + "\" ip daddr 10.64.0.2 fib saddr type != local drop"), nft);
        assertTrue(nft.contains("meta l4proto udp meta mark 0x0000ca6c ct mark set meta mark"), nft);
        assertTrue(nft.contains("meta l4proto udp meta mark set ct mark"), nft);
        assertTrue(ns.execChecked("nft", "list", "tables").contains("table ip6 wirefx-" + tunName));
        assertEquals("1", ns.execChecked("cat", "/proc/sys/net/ipv4/conf/all/src_valid_mark").strip());
        // Policy routing at work: unmarked traffic goes into the tunnel, marked (the tunnel's own) to the veth.
        assertTrue(ns.ip("route", "get", "198.18.0.1").contains("dev " + tunName));
        assertTrue(ns.ip("route", "get", "192.0.2.1", "mark", "51820").contains("dev v0"));
        assertTrue(ns.ip("route", "get", "192.0.2.1").contains("dev v0"),
                "more specific routes of the main table still apply (only its /0 routes are suppressed)");
        assertTrue(Files.exists(c.journalFile()));

        assertEquals(List.of(), c.down());
        assertEquals(before, snapshot());
        assertFalse(Files.exists(c.journalFile()));
        assertTrue(log.contains("[#] ip link delete dev " + tunName), log::toString);
    }

    @Test
    void numericTableAndSplitRoutesInNamespace() throws Exception {
        Map<String, String> before = snapshot();
        LinuxNetworkConfigurator c = configurator(config("Address = 10.0.0.2/24\nTable = 1234\nMTU = 1300",
                "AllowedIPs = 10.0.0.0/24, 10.9.0.0/16, 0.0.0.0/0"));
        c.prepare();
        c.interfaceOpened(c.interfaceName());
        createTun();
        c.up(new Tunnel());
        String table = ns.ip("-4", "route", "show", "table", "1234");
        assertTrue(table.contains("default dev " + tunName) && table.contains("10.9.0.0/16 dev " + tunName)
                && table.contains("10.0.0.0/24 dev " + tunName), table);
        assertEquals(before.get("rule4"), ns.execChecked("ip", "-4", "rule", "show"), "Table=N adds no rules");
        assertTrue(ns.ip("link", "show", "dev", tunName).contains("mtu 1300"));
        assertEquals(List.of(), c.down());
        assertEquals(before, snapshot());
    }

    @Test
    void afterACrashTheNextPrepareCleansUp() throws Exception {
        Map<String, String> before = snapshot();
        LinuxNetworkConfigurator first = configurator(config("Address = 10.64.0.2/32",
                "AllowedIPs = 0.0.0.0/0\nEndpoint = 192.0.2.1:51820"));
        first.prepare();
        first.interfaceOpened(tunName);
        createTun();
        first.up(new Tunnel());
        // "SIGKILL": the TUN fd closes (the interface vanishes with it) and the lock is released; no teardown.
        tun.close();
        tun = null;
        first.close();
        Map<String, String> crashed = snapshot();
        assertTrue(crashed.get("rule4").contains("lookup 51820"), "rules outlive the process");
        assertTrue(crashed.get("nft").contains("wirefx-" + tunName));

        LinuxNetworkConfigurator second = configurator(config("Address = 10.64.0.2/32",
                "AllowedIPs = 0.0.0.0/0\nEndpoint = 192.0.2.1:51820"));
        second.prepare();
        assertEquals(before, snapshot());
        assertTrue(log.stream().anyMatch(l -> l.contains("was not shut down cleanly")), log::toString);
        // And it starts normally.
        second.interfaceOpened(tunName);
        createTun();
        second.up(new Tunnel());
        assertEquals(List.of(), second.down());
        assertEquals(before, snapshot());
    }

    @Test
    void existingInterfaceIsRefusedAndNothingChanges() throws Exception {
        createTun();
        Map<String, String> before = snapshot();
        LinuxNetworkConfigurator c = configurator(config("Address = 10.64.0.2/32", "AllowedIPs = 0.0.0.0/0"));
        NetconfigException e = assertThrows(NetconfigException.class, c::prepare);
        assertEquals(Kind.PRECONDITION, e.kind());
        assertEquals(before, snapshot());
    }

    @Test
    void failedStepRollsBackInNamespace() throws Exception {
        Map<String, String> before = snapshot();
        // The named table does not exist in rt_tables: "ip route add ... table nosuchtable" fails after the
        // addresses and MTU were applied.
        LinuxNetworkConfigurator c = configurator(config("Address = 10.0.0.2/24\nTable = nosuchtable",
                "AllowedIPs = 10.9.0.0/16"));
        c.prepare();
        c.interfaceOpened(c.interfaceName());
        createTun();
        NetconfigException e = assertThrows(NetconfigException.class, () -> c.up(new Tunnel()));
        assertEquals(Kind.SETUP_FAILED, e.kind());
        assertTrue(e.getMessage().contains("table nosuchtable"), e.getMessage());
        assertEquals(before, snapshot(), "the interface was deleted by the rollback");
    }
}
