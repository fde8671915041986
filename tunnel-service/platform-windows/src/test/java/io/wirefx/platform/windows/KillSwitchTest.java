package io.wirefx.platform.windows;

import io.wirefx.core.net.IpLiterals;
import io.wirefx.platform.windows.FakeWfp.Flow;
import io.wirefx.platform.windows.WfpFilter.Action;
import io.wirefx.platform.windows.WfpFilter.Layer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.wirefx.platform.windows.WfpFilter.Action.BLOCK;
import static io.wirefx.platform.windows.WfpFilter.Action.PERMIT;
import static io.wirefx.platform.windows.WfpFilter.Protocol.ICMPV6;
import static io.wirefx.platform.windows.WfpFilter.Protocol.TCP;
import static io.wirefx.platform.windows.WfpFilter.Protocol.UDP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kill switch's filters, installed in a fake WFP and judged by flows. */
class KillSwitchTest {

    static final long TUNNEL = 0x0006_0000_0100_0000L;
    static final long ETHERNET = 0x0006_0000_0200_0000L;
    static final String JAVA = "C:\\Program Files\\WireFX\\runtime\\bin\\java.exe";
    static final String SERVICE_SID = ServiceSid.of("WireFX");
    final FakeWfp wfp = new FakeWfp();
    final List<String> log = new ArrayList<>();

    KillSwitch install(boolean allowLan) throws WindowsException {
        return KillSwitch.install(wfp, "office", KillSwitchRules.compute(new KillSwitchRules.Params(TUNNEL, JAVA,
                SERVICE_SID, List.of(IpLiterals.parse("10.8.0.1"), IpLiterals.parse("fd00:8::1")), allowLan)),
                log::add);
    }

    static Flow out(long luid, int proto, String remote, int port) {
        boolean v4 = remote.contains(".");
        return new Flow(v4 ? Layer.ALE_AUTH_CONNECT_V4 : Layer.ALE_AUTH_CONNECT_V6, luid, false, proto,
                v4 ? "192.168.1.20" : "2001:db8::20", 50000, remote, port, "C:\\Windows\\chrome.exe", Set.of());
    }

    static Flow in(long luid, int proto, String local, int localPort, String remote, int remotePort) {
        boolean v4 = remote.contains(".");
        return new Flow(v4 ? Layer.ALE_AUTH_RECV_ACCEPT_V4 : Layer.ALE_AUTH_RECV_ACCEPT_V6, luid, false, proto,
                local, localPort, remote, remotePort, "C:\\Windows\\System32\\svchost.exe", Set.of());
    }

    @Test
    void blocksUntunneledTrafficAndPermitsWhatTheTunnelNeeds() throws Exception {
        install(false);
        // Through the tunnel: anything.
        assertEquals(PERMIT, wfp.decide(out(TUNNEL, TCP, "93.184.216.34", 443)));
        assertEquals(PERMIT, wfp.decide(out(TUNNEL, TCP, "2606:2800:220:1::1", 443)));
        // Around it: nothing, v4 or v6, in or out.
        assertEquals(BLOCK, wfp.decide(out(ETHERNET, TCP, "93.184.216.34", 443)));
        assertEquals(BLOCK, wfp.decide(out(ETHERNET, TCP, "2606:2800:220:1::1", 443)));
        assertEquals(BLOCK, wfp.decide(in(ETHERNET, TCP, "192.168.1.20", 3389, "203.0.113.9", 50123)));
        // The WireGuard socket: the service's java.exe with the service SID, on the physical interface.
        Flow handshake = new Flow(Layer.ALE_AUTH_CONNECT_V4, ETHERNET, false, UDP, "192.168.1.20", 51820,
                "198.51.100.7", 51820, JAVA, Set.of(SERVICE_SID));
        assertEquals(PERMIT, wfp.decide(handshake));
        Flow otherJava = new Flow(Layer.ALE_AUTH_CONNECT_V4, ETHERNET, false, TCP, "192.168.1.20", 50000,
                "93.184.216.34", 443, JAVA, Set.of("S-1-5-21-1-2-3-1001"));
        assertEquals(BLOCK, wfp.decide(otherJava),
                "another Java program shares the AppId but not the service SID");
        // Loopback.
        assertEquals(PERMIT, wfp.decide(new Flow(Layer.ALE_AUTH_CONNECT_V4, 1, true, TCP, "127.0.0.1", 50000,
                "127.0.0.1", 8080, "x.exe", Set.of())));
    }

    @Test
    void dnsGoesOnlyToTheTunnelsServers() throws Exception {
        install(false);
        assertEquals(PERMIT, wfp.decide(out(TUNNEL, UDP, "10.8.0.1", 53)));
        assertEquals(PERMIT, wfp.decide(out(TUNNEL, TCP, "fd00:8::1", 53)));
        assertEquals(BLOCK, wfp.decide(out(TUNNEL, UDP, "1.1.1.1", 53)), "even through the tunnel");
        assertEquals(BLOCK, wfp.decide(out(ETHERNET, UDP, "192.168.1.1", 53)), "the LAN's resolver");
        assertEquals(BLOCK, wfp.decide(out(ETHERNET, TCP, "2001:4860:4860::8888", 53)));
    }

    @Test
    void dhcpAndNeighbourDiscoveryKeepTheLinkAlive() throws Exception {
        install(false);
        assertEquals(PERMIT, wfp.decide(new Flow(Layer.ALE_AUTH_CONNECT_V4, ETHERNET, false, UDP, "0.0.0.0", 68,
                "255.255.255.255", 67, "svchost.exe", Set.of())));
        assertEquals(PERMIT, wfp.decide(in(ETHERNET, UDP, "192.168.1.20", 68, "192.168.1.1", 67)));
        assertEquals(PERMIT, wfp.decide(new Flow(Layer.ALE_AUTH_CONNECT_V6, ETHERNET, false, UDP, "fe80::20", 546,
                "ff02::1:2", 547, "svchost.exe", Set.of())));
        assertEquals(PERMIT, wfp.decide(in(ETHERNET, UDP, "fe80::20", 546, "fe80::1", 547)));
        assertEquals(PERMIT, wfp.decide(new Flow(Layer.ALE_AUTH_CONNECT_V6, ETHERNET, false, ICMPV6, "fe80::20",
                135, "ff02::1:ff00:1", 0, "System", Set.of())));
        assertEquals(PERMIT, wfp.decide(in(ETHERNET, ICMPV6, "fe80::20", 134, "fe80::1", 0)));
        assertEquals(BLOCK, wfp.decide(in(ETHERNET, ICMPV6, "2001:db8::20", 134, "2001:db8::1", 0)),
                "router advertisements only from link-local");
        assertEquals(BLOCK, wfp.decide(out(ETHERNET, UDP, "192.168.1.1", 67)), "DHCP only as broadcast");
    }

    @Test
    void theLanIsReachableOnlyWhenAllowed() throws Exception {
        try (KillSwitch ks = install(false)) {
            assertEquals(BLOCK, wfp.decide(out(ETHERNET, TCP, "192.168.1.50", 445)));
        }
        install(true);
        assertEquals(PERMIT, wfp.decide(out(ETHERNET, TCP, "192.168.1.50", 445)));
        assertEquals(PERMIT, wfp.decide(in(ETHERNET, TCP, "192.168.1.20", 22, "10.1.2.3", 50000)));
        assertEquals(PERMIT, wfp.decide(out(ETHERNET, UDP, "fe80::1234", 5353)));
        assertEquals(BLOCK, wfp.decide(out(ETHERNET, TCP, "93.184.216.34", 443)), "the Internet still not");
        assertEquals(BLOCK, wfp.decide(out(ETHERNET, UDP, "192.168.1.1", 53)), "DNS rules outrank the LAN");
    }

    @Test
    void filtersLiveInOneDynamicSessionAndGoWithIt() throws Exception {
        KillSwitch ks = install(false);
        assertEquals(List.of("open dynamic WireFX kill switch office", "begin", "provider", "sublayer ffff", "commit"),
                wfp.calls);
        assertEquals(ks.filters().size(), wfp.active().size());
        ks.close();
        assertEquals(List.of(), wfp.active(), "closing the session (or the process dying) removes every filter");
        assertEquals(PERMIT, wfp.decide(out(ETHERNET, TCP, "93.184.216.34", 443)));
        ks.close();
    }

    @Test
    void aFailedFilterAbortsTheTransactionAndLeavesNothing() {
        wfp.failOnFilter = 5;
        assertThrows(WindowsException.class, () -> install(false));
        assertTrue(wfp.calls.containsAll(List.of("abort", "close")), wfp.calls.toString());
        assertEquals(List.of(), wfp.active());
    }

    @Test
    void everyFilterHasTheBlockAllBelowIt() {
        List<WfpFilter> rules = KillSwitchRules.compute(new KillSwitchRules.Params(TUNNEL, JAVA, SERVICE_SID,
                List.of(), false));
        for (Layer l : Layer.values()) {
            assertTrue(rules.stream().anyMatch(f -> f.layer() == l && f.action() == Action.BLOCK && f.weight() == 0
                    && f.conditions().isEmpty()), l.toString());
        }
        assertTrue(rules.stream().noneMatch(f -> f.name().contains("DNS")), "no DNS rules without DNS servers");
    }
}
