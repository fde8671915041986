package io.wirefx.platform.linux;

import io.wirefx.core.config.Config;
import io.wirefx.platform.FakeRunner;
import io.wirefx.platform.PlanOptions;
import io.wirefx.platform.TunnelControl;
import io.wirefx.platform.TunnelNetwork;
import io.wirefx.platform.TunnelNetworkSpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.wirefx.platform.linux.LinuxNetworkConfiguratorTest.PRIV;
import static io.wirefx.platform.linux.LinuxNetworkConfiguratorTest.PUB_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wirefx run --dry-run --platform linux} prints exactly the commands that {@code wirefx run} executes, for the
 * same configuration and system state: the real configurator runs once against a fake system and once as a plan
 * against an identical fake, and the plan's lines (without its {@code #} notes) equal the run's changes.
 */
class LinuxPlanTest {
    @TempDir
    Path stateDir;

    static final String FULL = "Address = 10.64.0.2/32, fd64::2/128\nDNS = 10.64.0.1\n";
    static final String FULL_PEER = "AllowedIPs = 0.0.0.0/0, ::/0\nEndpoint = 192.0.2.1:51820";

    static String config(String name) {
        String iface;
        String peer;
        switch (name) {
            case "full" -> {
                iface = FULL;
                peer = FULL_PEER;
            }
            case "split" -> {
                iface = "Address = 10.0.0.2/24\n";
                peer = "AllowedIPs = 10.0.0.0/24, 10.9.0.0/16, 192.168.5.7\nEndpoint = 192.0.2.1:51820";
            }
            case "table-off" -> {
                iface = "Address = 10.0.0.2/24\nTable = off\nMTU = 1380\n";
                peer = "AllowedIPs = 0.0.0.0/0\nEndpoint = 192.0.2.1:51820";
            }
            case "table-1234" -> {
                iface = "Address = 10.0.0.2/24\nTable = 1234\n";
                peer = "AllowedIPs = 10.0.0.0/8\nEndpoint = 192.0.2.1:51820";
            }
            case "ipv6" -> {
                iface = "Address = fd00::2/64\n";
                peer = "AllowedIPs = fd00::/64, 2001:db8::/32, ::/0\nEndpoint = [2001:db8::1]:51820";
            }
            case "dns-search" -> {
                iface = "Address = 10.0.0.2/24\nDNS = 10.0.0.1, fd00::1, corp.example, lab.example\n";
                peer = "AllowedIPs = 10.0.0.0/24\nEndpoint = 192.0.2.1:51820";
            }
            case "hooks" -> {
                iface = "Address = 10.0.0.2/24\nPostUp = echo up %i > /dev/null\n";
                peer = "AllowedIPs = 10.0.0.0/24\nEndpoint = 192.0.2.1:51820";
            }
            default -> throw new IllegalArgumentException(name);
        }
        return "[Interface]\nPrivateKey = " + PRIV + "\n" + iface + "\n[Peer]\nPublicKey = " + PUB_A + "\n" + peer
                + "\n";
    }

    /** The same system for both sides: the paths to the endpoints and the uplink's MTU. */
    static FakeRunner system() {
        FakeRunner r = new FakeRunner();
        r.programs.add("resolvconf");
        r.respond("ip route get 192.0.2.1", "192.0.2.1 via 198.51.100.1 dev eth0 src 198.51.100.7 uid 0 \n");
        r.respond("ip route get 2001:db8::1", "2001:db8::1 via fe80::1 dev eth0 src 2001:db8::7 metric 1024\n");
        r.respond("ip link show dev eth0", "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel "
                + "state UP mode DEFAULT group default qlen 1000\n");
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"full", "split", "table-off", "table-1234", "ipv6", "dns-search", "hooks"})
    void planEqualsWhatRunExecutes(String name) throws Exception {
        Config config = Config.parse(config(name));

        FakeRunner real = system();
        TunnelNetwork net = new LinuxNetworkSetup(real).forTunnel(new TunnelNetworkSpec("wg0", "wg0", config,
                stateDir.resolve("run"), Optional.empty(), line -> { }));
        net.prepare();
        real.links.add("wg0");
        net.interfaceOpened("wg0");
        net.up(new Tunnel(config));
        List<String> executed = List.copyOf(real.changed);
        net.down();
        net.close();

        FakeRunner reader = system();
        List<String> plan = new ArrayList<>();
        new LinuxNetworkSetup(new FakeRunner()).plan(config, new PlanOptions("wg0", "wg0", reader), plan::add);
        List<String> commands = plan.stream().filter(l -> !l.startsWith("#")).toList();

        assertFalse(executed.isEmpty());
        assertEquals(executed, commands);
        assertTrue(reader.changed.isEmpty(), "the plan changed nothing: " + reader.changed);
        assertTrue(plan.getFirst().startsWith("# open /dev/net/tun"), plan.getFirst());
    }

    @org.junit.jupiter.api.Test
    void fullTunnelPlanReadsLikeWgQuick() throws Exception {
        List<String> plan = new ArrayList<>();
        new LinuxNetworkSetup(new FakeRunner()).plan(Config.parse(config("full")),
                new PlanOptions("wg0", "wg0", system()), plan::add);
        String text = String.join("\n", plan);
        assertTrue(text.contains("\nip -4 address add 10.64.0.2/32 dev wg0\n"), text);
        assertTrue(text.contains("\nip link set mtu 1420 up dev wg0\n"), text);
        assertTrue(text.contains("\nresolvconf -a wg0 -m 0 -x <<'EOF'\nnameserver 10.64.0.1\nEOF\n"), text);
        assertTrue(text.contains("\nip -4 route add 0.0.0.0/0 dev wg0 table 51820\n"), text);
        assertTrue(text.contains("\nip -4 rule add not fwmark 51820 table 51820\n"), text);
        assertTrue(text.contains("\nip -4 rule add table main suppress_prefixlength 0\n"), text);
        assertTrue(text.contains("# setsockopt SO_MARK 51820"), text);
        assertTrue(text.contains("\nnft -f - <<'EOF'\n"), text);
    }

    @org.junit.jupiter.api.Test
    void blockUntunneledAddsTheKillSwitchAfterTheRoutesAndDownRemovesIt() throws Exception {
        Config config = Config.parse(config("full"));
        List<String> plan = new ArrayList<>();
        new LinuxNetworkSetup(new FakeRunner()).plan(config, new PlanOptions("wg0", "wg0", system(),
                new io.wirefx.platform.TrafficPolicy(true, true)), plan::add);
        String text = String.join("\n", plan);
        int routes = text.indexOf("ip -4 route add 0.0.0.0/0 dev wg0 table 51820");
        int ks = text.indexOf("table inet wirefx_ks_wg0 {");
        assertTrue(routes >= 0 && ks > routes, text);
        assertTrue(text.contains("meta mark 0xca6c accept"), text);
        assertTrue(text.contains("ip daddr 192.0.2.1 udp dport 51820 accept"), text);
        assertTrue(text.contains("ip daddr { 10.0.0.0/8"), "allowLan: " + text);

        List<String> noLan = new ArrayList<>();
        new LinuxNetworkSetup(new FakeRunner()).plan(config, new PlanOptions("wg0", "wg0", system(),
                new io.wirefx.platform.TrafficPolicy(true, false)), noLan::add);
        assertTrue(String.join("\n", noLan).contains("policy drop;"));
        assertFalse(String.join("\n", noLan).contains("ip daddr { 10.0.0.0/8"));

        List<String> off = new ArrayList<>();
        new LinuxNetworkSetup(new FakeRunner()).plan(config, new PlanOptions("wg0", "wg0", system()), off::add);
        assertFalse(String.join("\n", off).contains("wirefx_ks_"), "off by default");

        FakeRunner real = system();
        TunnelNetwork net = new LinuxNetworkSetup(real).forTunnel(new TunnelNetworkSpec("wg0", "wg0", config,
                stateDir.resolve("run"), Optional.empty(), line -> { }, new io.wirefx.platform.TrafficPolicy(true,
                false)));
        net.prepare();
        real.links.add("wg0");
        net.interfaceOpened("wg0");
        net.up(new Tunnel(config));
        String journal = java.nio.file.Files.readString(stateDir.resolve("run").resolve("wg0.state"));
        assertTrue(journal.contains("entry nft inet wirefx_ks_wg0"), journal);
        assertTrue(real.changed.stream().anyMatch(c -> c.startsWith("nft -f -") && c.contains("wirefx_ks_wg0")),
                real.changed.toString());
    }

    @org.junit.jupiter.api.Test
    void aSplitTunnelGetsNoKillSwitch() throws Exception {
        List<String> plan = new ArrayList<>();
        new LinuxNetworkSetup(new FakeRunner()).plan(Config.parse(config("split")), new PlanOptions("wg0", "wg0",
                system(), new io.wirefx.platform.TrafficPolicy(true, false)), plan::add);
        assertFalse(String.join("\n", plan).contains("wirefx_ks_"), plan.toString());
    }

    /** What the run's engine reports: the configured endpoints. */
    record Tunnel(Config config) implements TunnelControl {
        @Override
        public String interfaceName() {
            return "wg0";
        }

        @Override
        public void setFwmark(long mark) {
        }

        @Override
        public List<InetAddress> endpointAddresses() {
            return config.peers().stream().flatMap(p -> p.endpoint().flatMap(e -> e.literalAddress()).stream())
                    .toList();
        }
    }
}
