package io.wirefx.platform.macos;

import io.wirefx.core.config.Config;
import io.wirefx.platform.NetconfigException;
import io.wirefx.platform.PlanOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wirefx run --dry-run --platform macos}: the plan for a config and a scripted system state is, line for line,
 * what wg-quick's darwin.bash runs for them (its {@code cmd} lines after the interface exists).
 */
class DarwinPlanTest {

    static final String KEYS = """
            [Interface]
            PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=
            """;
    static final String PEER = """
            [Peer]
            PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
            """;

    static Config config(String iface, String peer) throws Exception {
        return Config.parse(KEYS + iface + PEER + peer);
    }

    /** The plan's command lines (after its first line, the comment on opening the utun). */
    static List<String> plan(ScriptedMac mac, Config config) throws Exception {
        List<String> lines = new ArrayList<>();
        new MacNetworkSetup(mac).plan(config, new PlanOptions("office", "utun9", mac), lines::add);
        assertEquals(List.of(), mac.mutations, "the plan only prints: everything it ran was a read");
        assertTrue(lines.getFirst().startsWith("# open utun: "), lines.getFirst());
        return lines.subList(1, lines.size());
    }

    @Test
    void fullTunnelWithDnsAndSearchDomains() throws Exception {
        Config c = config("""
                Address = 10.8.0.2/24, fd00:8::2/64
                DNS = 1.1.1.1, 2606:4700:4700::1111, corp.example, lab.example
                """, """
                AllowedIPs = 0.0.0.0/0, ::/0
                Endpoint = 203.0.113.7:51820
                """);
        ScriptedMac mac = ScriptedMac.home();
        assertEquals(List.of(
                "ifconfig utun9 inet 10.8.0.2/24 10.8.0.2 alias",
                "ifconfig utun9 inet6 fd00:8::2/64 alias",
                "ifconfig utun9 mtu 1420",
                "ifconfig utun9 up",
                "route -q -n add -inet6 ::/1 -interface utun9",
                "route -q -n add -inet6 8000::/1 -interface utun9",
                "route -q -n add -inet 0.0.0.0/1 -interface utun9",
                "route -q -n add -inet 128.0.0.0/1 -interface utun9",
                "route -q -n delete -inet 203.0.113.7",
                "route -q -n add -inet 203.0.113.7 -gateway 192.168.1.1",
                "networksetup -setdnsservers Wi-Fi 1.1.1.1 2606:4700:4700::1111",
                "networksetup -setsearchdomains Wi-Fi corp.example lab.example",
                "networksetup -setdnsservers 'USB 10/100/1000 LAN' 1.1.1.1 2606:4700:4700::1111",
                "networksetup -setsearchdomains 'USB 10/100/1000 LAN' corp.example lab.example"), plan(mac, c));
        assertTrue(mac.all.contains("networksetup -getdnsservers 'Thunderbolt Bridge'"),
                "a disabled service is asked too (its empty answer leaves it alone)");
    }

    @Test
    void splitTunnelLongestPrefixFirstSkippingRoutesThatAlreadyPointThere() throws Exception {
        Config c = config("""
                Address = 10.8.0.2/24
                MTU = 1380
                """, """
                AllowedIPs = 10.0.0.0/8, 10.8.0.0/24, 192.168.50.7/24, fd00::/48
                Endpoint = 203.0.113.7:51820
                """);
        ScriptedMac mac = ScriptedMac.home();
        mac.routeGet("-inet", "10.8.0.0/24", "utun9"); // the address's subnet route
        mac.routeGet("-inet", "10.0.0.0/8", "utun90"); // another interface, whose name only starts the same
        assertEquals(List.of(
                "ifconfig utun9 inet 10.8.0.2/24 10.8.0.2 alias",
                "ifconfig utun9 mtu 1380",
                "ifconfig utun9 up",
                "route -q -n add -inet6 fd00::/48 -interface utun9",
                "route -q -n add -inet 192.168.50.0/24 -interface utun9",
                "route -q -n add -inet 10.0.0.0/8 -interface utun9"), plan(mac, c));
    }

    @Test
    void ipv6FullTunnelRoutesTheEndpointViaTheIpv6Gateway() throws Exception {
        Config c = config("""
                Address = fd00::2/64
                """, """
                AllowedIPs = ::/0
                Endpoint = [2001:db8::1]:51820
                """);
        assertEquals(List.of(
                "ifconfig utun9 inet6 fd00::2/64 alias",
                "ifconfig utun9 mtu 1420",
                "ifconfig utun9 up",
                "route -q -n add -inet6 ::/1 -interface utun9",
                "route -q -n add -inet6 8000::/1 -interface utun9",
                "route -q -n delete -inet6 2001:db8::1",
                "route -q -n add -inet6 2001:db8::1 -gateway fe80::1%en0"), plan(ScriptedMac.home(), c));
    }

    @Test
    void withoutADefaultGatewayTheEndpointIsBlackholedAndTheMtuFollowsTheDefaultInterface() throws Exception {
        Config c = config("""
                Address = 10.8.0.2/32
                """, """
                AllowedIPs = 0.0.0.0/0
                Endpoint = 203.0.113.7:51820
                """);
        ScriptedMac mac = ScriptedMac.home();
        mac.netstat4("""
                default            link#11            UCSI                  en7
                127                127.0.0.1          UCS                   lo0
                """);
        mac.ifconfig("en7", 9000);
        assertEquals(List.of(
                "ifconfig utun9 inet 10.8.0.2/32 10.8.0.2 alias",
                "ifconfig utun9 mtu 8920",
                "ifconfig utun9 up",
                "route -q -n add -inet 0.0.0.0/1 -interface utun9",
                "route -q -n add -inet 128.0.0.0/1 -interface utun9",
                // the IPv6 gateway "changed" from none: darwin.bash deletes before adding, as with a gateway
                "route -q -n delete -inet 203.0.113.7",
                "route -q -n add -inet 203.0.113.7 127.0.0.1 -blackhole"), plan(mac, c));
    }

    @Test
    void tableOffAddsNoRoutesButStillSetsDns() throws Exception {
        Config c = config("""
                Address = 10.8.0.2/24
                DNS = 10.8.0.1
                Table = off
                """, """
                AllowedIPs = 0.0.0.0/0
                Endpoint = 203.0.113.7:51820
                """);
        assertEquals(List.of(
                "ifconfig utun9 inet 10.8.0.2/24 10.8.0.2 alias",
                "ifconfig utun9 mtu 1420",
                "ifconfig utun9 up",
                "networksetup -setdnsservers Wi-Fi 10.8.0.1",
                "networksetup -setsearchdomains Wi-Fi Empty",
                "networksetup -setdnsservers 'USB 10/100/1000 LAN' 10.8.0.1",
                "networksetup -setsearchdomains 'USB 10/100/1000 LAN' Empty"), plan(ScriptedMac.home(), c));
    }

    @Test
    void tableMainRoutesADefaultRouteAsItIsAndOtherTablesAreRefused() throws Exception {
        Config c = config("""
                Address = 10.8.0.2/24
                Table = main
                """, """
                AllowedIPs = 0.0.0.0/0
                """);
        ScriptedMac mac = ScriptedMac.home();
        assertEquals(List.of(
                "ifconfig utun9 inet 10.8.0.2/24 10.8.0.2 alias",
                "ifconfig utun9 mtu 1420",
                "ifconfig utun9 up",
                "route -q -n add -inet 0.0.0.0/0 -interface utun9"), plan(mac, c));
        assertTrue(mac.all.contains("route -n get -inet 0.0.0.0/0"));
        Config numbered = config("Address = 10.8.0.2/24\nTable = 1234\n", "AllowedIPs = 10.0.0.0/8\n");
        NetconfigException e = assertThrows(NetconfigException.class, () -> plan(ScriptedMac.home(), numbered));
        assertEquals(NetconfigException.Kind.PRECONDITION, e.kind());
    }

    @Test
    void searchDomainsWithoutServersLeaveDnsAloneAndHooksSeeTheInterface() throws Exception {
        Config c = config("""
                Address = 10.8.0.2/24
                DNS = corp.example
                PreUp = echo pre %i %I
                PostUp = echo "post it's %i"
                """, """
                AllowedIPs = 10.8.0.0/24
                """);
        assertEquals(List.of(
                "bash -c 'echo pre utun9 office'",
                "ifconfig utun9 inet 10.8.0.2/24 10.8.0.2 alias",
                "ifconfig utun9 mtu 1420",
                "ifconfig utun9 up",
                "route -q -n add -inet 10.8.0.0/24 -interface utun9",
                "bash -c 'echo \"post it'\\''s utun9\"'"), plan(ScriptedMac.home(), c));
    }
}
