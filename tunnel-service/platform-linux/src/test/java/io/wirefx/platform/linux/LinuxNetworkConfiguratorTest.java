package io.wirefx.platform.linux;

import io.wirefx.platform.TunnelControl;
import io.wirefx.platform.NetconfigException;
import io.wirefx.platform.CommandRunner;
import io.wirefx.platform.FakeRunner;
import io.wirefx.core.config.Config;
import io.wirefx.core.crypto.Key;
import io.wirefx.platform.NetconfigException.Kind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command plans of up and down for representative configurations, against a {@link FakeRunner}. */
class LinuxNetworkConfiguratorTest {
    static final String PRIV = key(1);
    static final String PUB_A = key(2);
    static final String PUB_B = key(3);

    @TempDir
    Path stateDir;

    FakeRunner runner;
    List<String> log;
    FakeTunnel tunnel;

    static String key(int fill) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) fill);
        return Key.fromBytes(b).toBase64();
    }

    /** Stands in for the engine: records fwmark calls, reports fixed endpoints. */
    static final class FakeTunnel implements TunnelControl {
        @Override
        public String interfaceName() {
            return "wg0";
        }

        final List<Long> fwmarks = new ArrayList<>();
        List<InetAddress> endpoints = List.of();
        Optional<Config> current = Optional.empty();

        @Override
        public void setFwmark(long mark) {
            fwmarks.add(mark);
        }

        @Override
        public List<InetAddress> endpointAddresses() {
            return endpoints;
        }

        @Override
        public Optional<Config> currentConfig() {
            return current;
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        runner = new FakeRunner();
        log = new ArrayList<>();
        tunnel = new FakeTunnel();
        tunnel.endpoints = List.of(InetAddress.getByName("192.0.2.1"));
        runner.respond("ip route get 192.0.2.1", "192.0.2.1 via 198.51.100.1 dev eth0 src 198.51.100.7 uid 0 \n"
                + "    cache \n");
        runner.respond("ip link show dev eth0", "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel "
                + "state UP mode DEFAULT group default qlen 1000\n");
    }

    NetconfigOptions options() {
        return new NetconfigOptions(stateDir, stateDir.resolve("no-interface-order"), Optional.empty(), 4242,
                log::add);
    }

    LinuxNetworkConfigurator configurator(String text) throws Exception {
        return new LinuxNetworkConfigurator("wg0", Config.parse(text), runner, options());
    }

    /** prepare, record + "create" the link, up; returns the configurator with the calls so far cleared. */
    LinuxNetworkConfigurator bringUp(String text) throws Exception {
        LinuxNetworkConfigurator c = configurator(text);
        c.prepare();
        c.interfaceOpened(c.interfaceName());
        runner.links.add("wg0");
        runner.clear();
        c.up(tunnel);
        return c;
    }

    static String config(String ifaceExtra, String peerExtra) {
        return "[Interface]\nPrivateKey = " + PRIV + "\n" + ifaceExtra + "\n[Peer]\nPublicKey = " + PUB_A + "\n"
                + peerExtra + "\n";
    }

    // ------------------------------------------------------------------ up plans

    @Test
    void splitTunnelPlan() throws Exception {
        runner.respond("ip -4 route show dev wg0 match 10.0.0.0/24",
                "10.0.0.0/24 proto kernel scope link src 10.0.0.2 \n");
        runner.respond("ip -6 route show dev wg0 match fd00::/64", "fd00::/64 proto kernel metric 256 pref medium\n");
        LinuxNetworkConfigurator c = bringUp(config("Address = 10.0.0.2/24, fd00::2/64",
                "AllowedIPs = 10.0.0.0/24, 10.1.2.3/16, 192.168.5.7, fd00::/64\nEndpoint = 192.0.2.1:51820"));
        assertEquals(List.of(
                "ip -4 address add 10.0.0.2/24 dev wg0",
                "ip -6 address add fd00::2/64 dev wg0",
                "ip link set mtu 1420 up dev wg0",
                "ip -4 route add 192.168.5.7/32 dev wg0",
                "ip -4 route add 10.1.0.0/16 dev wg0"), runner.changes());
        // Longest prefix first (a /64 before a /32, as wg-quick's numeric sort); each non-default prefix is first
        // checked against the routes already on wg0.
        assertEquals(List.of(
                "ip -6 route show dev wg0 match fd00::/64",
                "ip -4 route show dev wg0 match 192.168.5.7/32",
                "ip -4 route show dev wg0 match 10.0.0.0/24",
                "ip -4 route show dev wg0 match 10.1.0.0/16"),
                runner.commands().stream().filter(s -> s.contains(" match ")).toList());
        assertEquals(List.of(), tunnel.fwmarks);
        assertTrue(c.fwmark().isEmpty());
        assertEquals(1420, c.mtu().orElseThrow());
        assertTrue(log.contains("[#] ip link set mtu 1420 up dev wg0"), log::toString);

        runner.clear();
        assertEquals(List.of(), c.down());
        // The addresses and routes go with the interface.
        assertEquals(List.of("ip link delete dev wg0"), runner.changes());
        assertFalse(Files.exists(c.journalFile()));
    }

    static final String NFT_V4 = """
            add table ip wirefx-wg0
            add chain ip wirefx-wg0 preraw { type filter hook prerouting priority -300; }
            add chain ip wirefx-wg0 premangle { type filter hook prerouting priority -150; }
            add chain ip wirefx-wg0 postmangle { type filter hook postrouting priority -150; }
            add rule ip wirefx-wg0 preraw iifname != "wg0" ip daddr 10.64.0.2 fib saddr type != local drop
            add rule ip wirefx-wg0 postmangle meta l4proto udp mark 51821 ct mark set mark
            add rule ip wirefx-wg0 premangle meta l4proto udp meta mark set ct mark
            """;
    static final String NFT_V6 = """
            add table ip6 wirefx-wg0
            add chain ip6 wirefx-wg0 preraw { type filter hook prerouting priority -300; }
            add chain ip6 wirefx-wg0 premangle { type filter hook prerouting priority -150; }
            add chain ip6 wirefx-wg0 postmangle { type filter hook postrouting priority -150; }
            add rule ip6 wirefx-wg0 preraw iifname != "wg0" ip6 daddr fd64::2 fib saddr type != local drop
            add rule ip6 wirefx-wg0 postmangle meta l4proto udp mark 51821 ct mark set mark
            add rule ip6 wirefx-wg0 premangle meta l4proto udp meta mark set ct mark
            """;

    @Test
    void fullTunnelV4AndV6Plan() throws Exception {
        // Table 51820 has a route already (another tunnel), so 51821 is chosen.
        runner.respond("ip -6 route show table 51820", "default dev wg9 metric 1024 pref medium\n");
        runner.respond("ip -o -4 address show dev wg0",
                "7: wg0    inet 10.64.0.2/32 scope global wg0\\       valid_lft forever preferred_lft forever\n");
        runner.respond("ip -o -6 address show dev wg0",
                "7: wg0    inet6 fd64::2/128 scope global \\       valid_lft forever preferred_lft forever\n");
        LinuxNetworkConfigurator c = bringUp(config("Address = 10.64.0.2/32, fd64::2/128",
                "AllowedIPs = 0.0.0.0/0, ::/0\nEndpoint = 192.0.2.1:51820"));
        assertEquals(List.of(51821L), tunnel.fwmarks);
        assertEquals(51821L, c.fwmark().orElseThrow());
        assertEquals(List.of(
                "ip -4 address add 10.64.0.2/32 dev wg0",
                "ip -6 address add fd64::2/128 dev wg0",
                "ip link set mtu 1420 up dev wg0",
                "ip -4 route add 0.0.0.0/0 dev wg0 table 51821",
                "ip -4 rule add not fwmark 51821 table 51821",
                "ip -4 rule add table main suppress_prefixlength 0",
                "sysctl -q net.ipv4.conf.all.src_valid_mark=1",
                "nft -f -",
                "ip -6 route add ::/0 dev wg0 table 51821",
                "ip -6 rule add not fwmark 51821 table 51821",
                "ip -6 rule add table main suppress_prefixlength 0",
                "nft -f -"), runner.changes());
        assertEquals(NFT_V4, runner.stdinOf("nft -f -", 0));
        assertEquals(NFT_V6, runner.stdinOf("nft -f -", 1));
        // The table search probes both families, once (the second /0 reuses the mark).
        assertEquals(List.of("ip -4 route show table 51820", "ip -6 route show table 51820",
                        "ip -4 route show table 51821", "ip -6 route show table 51821"),
                runner.commands().stream().filter(s -> s.contains("show table")).toList());

        // Teardown: only the rules and nft tables this run added, then the interface.
        runner.respond("ip -N -4 rule show", """
                0:\tfrom all lookup 255
                32763:\tfrom all lookup 254 suppress_prefixlength 0
                32764:\tnot from all fwmark 0xca6d lookup 51821
                32765:\tnot from all fwmark 0xca6c lookup 51820
                32766:\tfrom all lookup 254
                32767:\tfrom all lookup 253
                """);
        runner.respond("ip -N -6 rule show", """
                0:\tfrom all lookup 255
                32764:\tfrom all lookup 254 suppress_prefixlength 0
                32765:\tnot from all fwmark 0xca6d lookup 51821
                32766:\tfrom all lookup 254
                """);
        runner.clear();
        assertEquals(List.of(), c.down());
        assertEquals(List.of(
                "nft delete table ip6 wirefx-wg0",
                "ip -6 rule del pref 32764 table main suppress_prefixlength 0",
                "ip -6 rule del pref 32765 not fwmark 51821 table 51821",
                "nft delete table ip wirefx-wg0",
                "ip -4 rule del pref 32763 table main suppress_prefixlength 0",
                "ip -4 rule del pref 32764 not fwmark 51821 table 51821",
                "ip link delete dev wg0"), runner.changes());
        assertFalse(Files.exists(c.journalFile()));
    }

    @Test
    void configuredFwMarkIsTheTableAndIsNotSetAgain() throws Exception {
        runner.respond("ip -o -4 address show dev wg0", "7: wg0    inet 10.64.0.2/32 scope global wg0\n");
        LinuxNetworkConfigurator c = bringUp(config("Address = 10.64.0.2/32\nFwMark = 0x1234",
                "AllowedIPs = 0.0.0.0/0"));
        assertEquals(List.of(), tunnel.fwmarks);
        assertEquals(0x1234L, c.fwmark().orElseThrow());
        assertTrue(runner.commands().stream().noneMatch(s -> s.contains("show table")));
        assertEquals(List.of(
                "ip -4 address add 10.64.0.2/32 dev wg0",
                "ip link set mtu 1420 up dev wg0",
                "ip -4 route add 0.0.0.0/0 dev wg0 table 4660",
                "ip -4 rule add not fwmark 4660 table 4660",
                "ip -4 rule add table main suppress_prefixlength 0",
                "sysctl -q net.ipv4.conf.all.src_valid_mark=1",
                "nft -f -"), runner.changes());
        assertTrue(runner.stdinOf("nft -f -", 0).contains("postmangle meta l4proto udp mark 4660 ct mark set mark"));
    }

    @Test
    void tableOffAddsNoRoutes() throws Exception {
        bringUp(config("Address = 10.0.0.2/24\nTable = off\nMTU = 1380", "AllowedIPs = 0.0.0.0/0, 10.9.0.0/16"));
        assertEquals(List.of(
                "ip -4 address add 10.0.0.2/24 dev wg0",
                "ip link set mtu 1380 up dev wg0"), runner.changes());
        assertTrue(runner.commands().stream().noneMatch(s -> s.startsWith("ip route get")),
                "an explicit MTU needs no probing");
        assertEquals(List.of(), tunnel.fwmarks);
    }

    @Test
    void numericTableGetsEveryRouteIncludingDefaultWithoutRules() throws Exception {
        LinuxNetworkConfigurator c = bringUp(config("Address = 10.0.0.2/24\nTable = 1234",
                "AllowedIPs = ::/0, 0.0.0.0/0, 10.0.0.0/24, 10.9.0.0/16"));
        assertEquals(List.of(
                "ip -4 address add 10.0.0.2/24 dev wg0",
                "ip link set mtu 1420 up dev wg0",
                "ip -4 route add 10.0.0.0/24 dev wg0 table 1234",
                "ip -4 route add 10.9.0.0/16 dev wg0 table 1234",
                "ip -6 route add ::/0 dev wg0 table 1234",
                "ip -4 route add 0.0.0.0/0 dev wg0 table 1234"), runner.changes());
        assertEquals(List.of(), tunnel.fwmarks);
        assertTrue(c.fwmark().isEmpty());
    }

    @Test
    void namedAndMainTables() throws Exception {
        bringUp(config("Table = main", "AllowedIPs = 10.9.0.0/16"));
        assertEquals(List.of("ip link set mtu 1420 up dev wg0", "ip -4 route add 10.9.0.0/16 dev wg0 table main"),
                runner.changes());
    }

    @Test
    void autoMtuFallsBackToTheDefaultRouteThenTo1500() throws Exception {
        tunnel.endpoints = List.of();
        runner.respond("ip route show default", "default via 198.51.100.1 dev eth1 proto dhcp metric 100\n");
        runner.respond("ip link show dev eth1", "3: eth1: <UP> mtu 9000 qdisc mq state UP\n");
        LinuxNetworkConfigurator c = bringUp(config("", "AllowedIPs = 10.9.0.0/16"));
        assertEquals(8920, c.mtu().orElseThrow());
    }

    // ------------------------------------------------------------------ DNS

    @Test
    void dnsThroughResolvconfWithInterfaceOrderPrefix() throws Exception {
        runner.programs.add("resolvconf");
        runner.programs.add("resolvectl");
        Files.writeString(stateDir.resolve("order"), "# comment\nlo.inet*\ntun*\nwg*\n");
        LinuxNetworkConfigurator c = new LinuxNetworkConfigurator("wg0", Config.parse(config(
                "DNS = 10.0.0.53, fd00::53, example.com, corp.example", "AllowedIPs = 10.9.0.0/16")), runner,
                options().withResolvconfOrder(stateDir.resolve("order")));
        c.prepare();
        c.interfaceOpened(c.interfaceName());
        runner.links.add("wg0");
        c.up(tunnel);
        assertTrue(runner.changes().contains("resolvconf -a tun.wg0 -m 0 -x"), runner.changes()::toString);
        assertEquals("nameserver 10.0.0.53\nnameserver fd00::53\nsearch example.com corp.example\n",
                runner.stdinOf("resolvconf -a tun.wg0 -m 0 -x", 0));
        // DNS comes after the MTU and before the routes, as in wg-quick.
        List<String> ch = runner.changes();
        assertTrue(ch.indexOf("ip link set mtu 1420 up dev wg0") < ch.indexOf("resolvconf -a tun.wg0 -m 0 -x"));
        assertTrue(ch.indexOf("resolvconf -a tun.wg0 -m 0 -x") < ch.indexOf("ip -4 route add 10.9.0.0/16 dev wg0"));
        runner.clear();
        c.down();
        assertEquals(List.of("resolvconf -d tun.wg0 -f", "ip link delete dev wg0"), runner.changes());
    }

    @Test
    void dnsThroughResolvectlWhenNoResolvconf() throws Exception {
        runner.programs.add("resolvectl");
        LinuxNetworkConfigurator c = bringUp(config("DNS = 10.0.0.53, 10.0.0.54, example.com",
                "AllowedIPs = 10.9.0.0/16"));
        assertEquals(List.of(
                "ip link set mtu 1420 up dev wg0",
                "resolvectl dns wg0 10.0.0.53 10.0.0.54",
                "resolvectl domain wg0 example.com ~.",
                "ip -4 route add 10.9.0.0/16 dev wg0"), runner.changes());
        runner.clear();
        c.down();
        assertEquals(List.of("resolvectl revert wg0", "ip link delete dev wg0"), runner.changes());
    }

    @Test
    void searchDomainsAloneSetNoDns() throws Exception {
        bringUp(config("DNS = example.com", "AllowedIPs = 10.9.0.0/16"));
        assertTrue(runner.changes().stream().noneMatch(s -> s.startsWith("resolv")));
    }

    @Test
    void dnsWithoutAToolFailsBeforeAnyChange() throws Exception {
        LinuxNetworkConfigurator c = configurator(config("DNS = 10.0.0.53", "AllowedIPs = 10.9.0.0/16"));
        NetconfigException e = assertThrows(NetconfigException.class, c::prepare);
        assertEquals(Kind.PRECONDITION, e.kind());
        assertTrue(e.getMessage().contains("resolvconf or resolvectl"), e.getMessage());
        assertEquals(List.of(), runner.changes());
        assertFalse(Files.exists(c.journalFile()));
    }

    @Test
    void fullTunnelWithoutNftFailsBeforeAnyChange() throws Exception {
        runner.programs.remove("nft");
        LinuxNetworkConfigurator c = configurator(config("", "AllowedIPs = ::/0"));
        NetconfigException e = assertThrows(NetconfigException.class, c::prepare);
        assertTrue(e.getMessage().contains("nft"), e.getMessage());
        assertEquals(List.of(), runner.changes());
    }

    // ------------------------------------------------------------------ hooks

    @Test
    void hooksRunWithBashAndPercentIReplaced() throws Exception {
        LinuxNetworkConfigurator c = bringUp(config("""
                PreUp = echo pre %i > /tmp/x # comment kept
                PostUp = logger up %i; echo %i%i
                PreDown = echo predown %i
                PostDown = echo postdown %i""", "AllowedIPs = 10.9.0.0/16"));
        List<String> ch = runner.changes();
        assertEquals("bash -e -o pipefail -c echo pre wg0 > /tmp/x # comment kept", ch.getFirst());
        assertEquals("bash -e -o pipefail -c logger up wg0; echo wg0wg0", ch.getLast());
        runner.clear();
        c.down();
        assertEquals(List.of(
                "bash -e -o pipefail -c echo predown wg0",
                "ip link delete dev wg0",
                "bash -e -o pipefail -c echo postdown wg0"), runner.changes());
    }

    @Test
    void failingPostUpRollsBackWithoutDownHooks() throws Exception {
        runner.fail("bash -e -o pipefail -c false", "");
        LinuxNetworkConfigurator c = configurator(config("Address = 10.0.0.2/24\nPostUp = false\nPostDown = echo no",
                "AllowedIPs = 10.9.0.0/16"));
        c.prepare();
        c.interfaceOpened(c.interfaceName());
        runner.links.add("wg0");
        runner.clear();
        NetconfigException e = assertThrows(NetconfigException.class, () -> c.up(tunnel));
        assertEquals(Kind.SETUP_FAILED, e.kind());
        assertTrue(e.getMessage().contains("hook `false'"), e.getMessage());
        List<String> ch = runner.changes();
        assertEquals("ip link delete dev wg0", ch.getLast());
        assertTrue(ch.stream().noneMatch(s -> s.contains("echo no")));
        assertFalse(Files.exists(c.journalFile()));
        assertEquals(List.of(), c.down(), "down after a failed up has nothing left to do");
    }

    // ------------------------------------------------------------------ failure and rollback

    @Test
    void failingStepUndoesWhatWasDoneAndReportsTheCommand() throws Exception {
        runner.respond("ip -o -4 address show dev wg0", "7: wg0    inet 10.64.0.2/32 scope global wg0\n");
        runner.fail("nft -f -", "Error: Could not process rule: No such file or directory");
        runner.respond("ip -N -4 rule show", """
                0:\tfrom all lookup 255
                32764:\tfrom all lookup 254 suppress_prefixlength 0
                32765:\tnot from all fwmark 0xca6c lookup 51820
                32766:\tfrom all lookup 254
                """);
        runner.fail("nft list table ip wirefx-wg0", "Error: No such file or directory");
        LinuxNetworkConfigurator c = configurator(config("Address = 10.64.0.2/32", "AllowedIPs = 0.0.0.0/0"));
        c.prepare();
        c.interfaceOpened(c.interfaceName());
        runner.links.add("wg0");
        runner.clear();
        NetconfigException e = assertThrows(NetconfigException.class, () -> c.up(tunnel));
        assertEquals(Kind.SETUP_FAILED, e.kind());
        assertEquals("`nft -f -' failed (exit 2): Error: Could not process rule: No such file or directory",
                e.getMessage());
        List<String> ch = runner.changes();
        assertEquals(List.of(
                "ip -4 rule del pref 32764 table main suppress_prefixlength 0",
                "ip -4 rule del pref 32765 not fwmark 51820 table 51820",
                "ip link delete dev wg0"), ch.subList(ch.indexOf("nft -f -") + 1, ch.size()));
        assertFalse(Files.exists(c.journalFile()));
    }

    @Test
    void existingInterfaceIsRefusedWithoutChanges() throws Exception {
        runner.links.add("wg0");
        LinuxNetworkConfigurator c = configurator(config("Address = 10.0.0.2/24", "AllowedIPs = 0.0.0.0/0"));
        NetconfigException e = assertThrows(NetconfigException.class, c::prepare);
        assertEquals(Kind.PRECONDITION, e.kind());
        assertEquals("`wg0' already exists", e.getMessage());
        assertEquals(List.of(), runner.changes());
        assertFalse(Files.exists(c.journalFile()));
        // The lock was released: a second attempt gets the same answer, not "another process".
        NetconfigException again = assertThrows(NetconfigException.class,
                () -> configurator(config("", "AllowedIPs = 0.0.0.0/0")).prepare());
        assertEquals("`wg0' already exists", again.getMessage());
        assertFalse(Files.exists(stateDir.resolve("wg0.lock")), "a refused start leaves no lock file");
    }

    @Test
    void secondInstanceForTheSameInterfaceIsRefused() throws Exception {
        LinuxNetworkConfigurator first = configurator(config("", "AllowedIPs = 10.9.0.0/16"));
        first.prepare();
        NetconfigException e = assertThrows(NetconfigException.class,
                () -> configurator(config("", "AllowedIPs = 10.9.0.0/16")).prepare());
        assertEquals(Kind.PRECONDITION, e.kind());
        assertTrue(e.getMessage().contains("another wirefx process"), e.getMessage());
        first.down();
        first.close();
        assertFalse(Files.exists(first.journalFile()));
        assertFalse(Files.exists(stateDir.resolve("wg0.lock")), "a clean stop leaves no lock file");
        // A lock file left unlocked (a killed run's) is taken over.
        Files.writeString(stateDir.resolve("wg0.lock"), "1 stale\n");
        LinuxNetworkConfigurator next = configurator(config("", "AllowedIPs = 10.9.0.0/16"));
        next.prepare();
        assertTrue(Files.readString(stateDir.resolve("wg0.lock")).startsWith(ProcessHandle.current().pid() + " "));
        next.down();
        next.close();
        assertFalse(Files.exists(stateDir.resolve("wg0.lock")));
    }

    // ------------------------------------------------------------------ stale journal

    @Test
    void staleJournalIsUndoneBeforeStarting() throws Exception {
        Journal stale = Journal.create(stateDir.resolve("wg0.state"),
                new Journal.Header(999_999, FakeRunner.NETNS, "wg0"));
        stale.record(new JournalEntry.Link("wg0"));
        stale.record(new JournalEntry.Address("wg0", "10.64.0.2/32"));
        stale.record(new JournalEntry.Dns(JournalEntry.DnsMethod.RESOLVCONF, "wg0"));
        stale.record(new JournalEntry.Route("wg0", "0.0.0.0/0", "51820"));
        stale.record(new JournalEntry.Rule(false, JournalEntry.RuleKind.NOT_FWMARK, 51820));
        stale.record(new JournalEntry.Rule(false, JournalEntry.RuleKind.SUPPRESS_MAIN, 0));
        stale.record(new JournalEntry.NftTable("ip", "wirefx-wg0"));
        runner.respond("ip -N -4 rule show", """
                0:\tfrom all lookup 255
                32764:\tfrom all lookup 254 suppress_prefixlength 0
                32765:\tnot from all fwmark 0xca6c lookup 51820
                32766:\tfrom all lookup 254
                """);
        runner.programs.add("resolvconf");
        // The TUN interface vanished with the killed process; the rest is still there.
        LinuxNetworkConfigurator c = configurator(config("", "AllowedIPs = 10.9.0.0/16"));
        c.prepare();
        assertEquals(List.of(
                "nft delete table ip wirefx-wg0",
                "ip -4 rule del pref 32764 table main suppress_prefixlength 0",
                "ip -4 rule del pref 32765 not fwmark 51820 table 51820",
                "resolvconf -d wg0 -f"), runner.changes());
        assertTrue(log.stream().anyMatch(l -> l.contains("not shut down cleanly (pid 999999)")), log::toString);
        // The new journal replaced the stale one.
        Journal fresh = Journal.load(c.journalFile());
        assertEquals(4242, fresh.header().pid());
        assertEquals(List.of(), fresh.entries());
    }

    @Test
    void staleJournalWhoseRulesAreGoneDeletesNothingElse() throws Exception {
        Journal stale = Journal.create(stateDir.resolve("wg0.state"),
                new Journal.Header(1, FakeRunner.NETNS, "wg0"));
        stale.record(new JournalEntry.Link("wg0"));
        stale.record(new JournalEntry.Rule(true, JournalEntry.RuleKind.NOT_FWMARK, 51820));
        stale.record(new JournalEntry.Rule(true, JournalEntry.RuleKind.SUPPRESS_MAIN, 0));
        // Only a look-alike rule that is not inverted: must not be deleted.
        runner.respond("ip -N -6 rule show", "0:\tfrom all lookup 255\n32765:\tfrom all fwmark 0xca6c lookup 51820\n"
                + "32766:\tfrom all lookup 254\n");
        runner.links.add("wg0"); // e.g. a persistent leftover: ours per the journal
        LinuxNetworkConfigurator c = configurator(config("", "AllowedIPs = 10.9.0.0/16"));
        c.prepare();
        assertEquals(List.of("ip link delete dev wg0"), runner.changes());
    }

    @Test
    void staleJournalOfAnotherNamespaceIsLeftAlone() throws Exception {
        Journal stale = Journal.create(stateDir.resolve("wg0.state"),
                new Journal.Header(1, "net:[4026532999]", "wg0"));
        stale.record(new JournalEntry.NftTable("ip", "wirefx-wg0"));
        LinuxNetworkConfigurator c = configurator(config("", "AllowedIPs = 10.9.0.0/16"));
        NetconfigException e = assertThrows(NetconfigException.class, c::prepare);
        assertEquals(Kind.PRECONDITION, e.kind());
        assertTrue(e.getMessage().contains("another network namespace"), e.getMessage());
        assertEquals(List.of(), runner.changes());
        assertEquals(1, Journal.load(stateDir.resolve("wg0.state")).entries().size());
    }

    @Test
    void journalIsWrittenBeforeEachChange() throws Exception {
        // The runner inspects the journal file whenever it is asked to change something.
        List<String> seen = new ArrayList<>();
        Path file = stateDir.resolve("wg0.state");
        CommandRunner spying = new CommandRunner() {
            @Override
            public CommandResult run(List<String> argv, String stdin) {
                String cmd = String.join(" ", argv);
                if (!FakeRunner.isQuery(cmd) && Files.exists(file)) {
                    try {
                        List<JournalEntry> es = Journal.load(file).entries();
                        seen.add(cmd + " | " + (es.isEmpty() ? "-" : es.getLast().encode()));
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
                return runner.run(argv, stdin);
            }

            @Override
            public boolean hasProgram(String program) {
                return runner.hasProgram(program);
            }
        };
        runner.respond("ip -o -4 address show dev wg0", "7: wg0    inet 10.64.0.2/32 scope global wg0\n");
        LinuxNetworkConfigurator c = new LinuxNetworkConfigurator("wg0", Config.parse(config(
                "Address = 10.64.0.2/32", "AllowedIPs = 0.0.0.0/0, 10.9.0.0/16")), spying, options());
        c.prepare();
        c.interfaceOpened(c.interfaceName());
        runner.links.add("wg0");
        c.up(tunnel);
        assertEquals(List.of(
                "ip -4 address add 10.64.0.2/32 dev wg0 | addr wg0 10.64.0.2/32",
                "ip link set mtu 1420 up dev wg0 | addr wg0 10.64.0.2/32",
                "ip -4 route add 10.9.0.0/16 dev wg0 | route wg0 10.9.0.0/16 -",
                "ip -4 route add 0.0.0.0/0 dev wg0 table 51820 | route wg0 0.0.0.0/0 51820",
                "ip -4 rule add not fwmark 51820 table 51820 | rule 4 not-fwmark 51820",
                "ip -4 rule add table main suppress_prefixlength 0 | rule 4 suppress-main",
                "sysctl -q net.ipv4.conf.all.src_valid_mark=1 | rule 4 suppress-main",
                "nft -f - | nft ip wirefx-wg0"), seen);
        List<String> all = Journal.load(file).entries().stream().map(JournalEntry::encode).toList();
        assertEquals("link wg0", all.getFirst());
        assertEquals(7, all.size());
    }

    // ------------------------------------------------------------------ SaveConfig

    @Test
    void saveConfigWritesTheTunnelStateBackOnDown() throws Exception {
        Path file = stateDir.resolve("wg0.conf");
        String text = config("Address = 10.0.0.2/24\nDNS = example.com\nSaveConfig = true\nPostUp = echo %i",
                "AllowedIPs = 10.9.0.0/16");
        Files.writeString(file, text);
        Config original = Config.parse(text);
        // The tunnel learned a new endpoint meanwhile.
        Config live = original.toBuilder().peers(List.of(original.peers().getFirst().toBuilder()
                .endpoint(io.wirefx.core.config.InetEndpoint.parse("203.0.113.9:4500")).build())).build();
        tunnel.current = Optional.of(live);
        LinuxNetworkConfigurator c = new LinuxNetworkConfigurator("wg0", original, runner,
                options().withConfigFile(file));
        c.prepare();
        c.interfaceOpened(c.interfaceName());
        runner.links.add("wg0");
        c.up(tunnel);
        assertEquals(List.of(), c.down());
        Config saved = Config.parse(file);
        assertEquals(live, saved);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)));
    }
}
