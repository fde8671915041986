package io.wirefx.platform.windows;

import io.wirefx.core.config.Config;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowsPlanTest {

    static Config config(String iface, String peer) throws Exception {
        return Config.parse("[Interface]\nPrivateKey = " + WindowsNetworkConfiguratorTest.KEY + "\n" + iface
                + "\n[Peer]\nPublicKey = " + WindowsNetworkConfiguratorTest.PEER + "\nEndpoint = 198.51.100.7:51820\n"
                + peer + "\n");
    }

    @Test
    void fullTunnelPlanNamesEveryCallInOrderAndReadsTheDefaultInterface() throws Exception {
        FakeNetworkApi system = new FakeNetworkApi();
        system.defaultRoutes.put(Family.IPV4, List.of(new NetworkApi.DefaultRoute(5, 12, 25, true)));
        List<String> lines = new ArrayList<>();
        WindowsPlan.print("office", config("Address = 10.8.0.2/24\nDNS = 10.8.0.1, corp.example",
                "AllowedIPs = 0.0.0.0/0"), new WindowsPlan.Options(true, false), Optional.of(system), lines::add);
        assertTrue(lines.get(0).startsWith("WintunCreateAdapter Name=\"office\" TunnelType=\"WireFX\" RequestedGUID={"));
        assertEquals("WintunStartSession Capacity=0x800000", lines.get(1));
        assertTrue(lines.get(2).startsWith("SetIpInterfaceEntry IPv4 NlMtu=1420 UseAutomaticMetric=FALSE Metric=0"));
        assertTrue(lines.get(3).startsWith("CreateUnicastIpAddressEntry 10.8.0.2/24 "));
        assertTrue(lines.get(4).startsWith("CreateIpForwardEntry2 0.0.0.0/0 NextHop=on-link Metric=0"));
        assertTrue(lines.get(5).startsWith("SetInterfaceDnsSettings IPv4 NameServer=\"10.8.0.1\" "
                + "SearchList=\"corp.example\""));
        assertEquals("setsockopt IP_UNICAST_IF on the WireGuard UDP socket (IPv4) = interface index 12 "
                + "(current default, metric 25)", lines.get(6));
        assertTrue(lines.contains("FwpmTransactionCommit0"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("FwpmFilterAdd0 ALE_AUTH_CONNECT_V4 weight=0 BLOCK")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("IP_REMOTE_PORT = 53 AND IP_REMOTE_ADDRESS = 10.8.0.1/32")),
                "DNS permit names the server");
        assertTrue(system.calls.isEmpty(), "a dry run changes nothing: " + system.calls);
    }

    @Test
    void splitTunnelHasNoPinAndNoFilters() throws Exception {
        List<String> lines = new ArrayList<>();
        WindowsPlan.print("lab", config("Address = 10.9.0.2/32, fd00:9::2/128", "AllowedIPs = 10.9.0.0/24, fd00:9::/64"),
                new WindowsPlan.Options(true, false), Optional.empty(), lines::add);
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("setsockopt") || l.startsWith("Fwpm")), lines.toString());
        assertTrue(lines.contains("# kill switch: not applied (no 0.0.0.0/0 or ::/0 route through the tunnel)"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("CreateIpForwardEntry2 fd00:9::/64")));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("SetIpInterfaceEntry IPv6 NlMtu=1420 UseAutomaticMetric=TRUE")));
    }
}
