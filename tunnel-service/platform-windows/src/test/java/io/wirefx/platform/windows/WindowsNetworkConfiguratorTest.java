package io.wirefx.platform.windows;

import io.wirefx.core.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowsNetworkConfiguratorTest {

    static final long LUID = 0x0006_0000_0100_0000L;
    static final String KEY = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
    static final String PEER = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";

    @TempDir
    Path state;

    final FakeNetworkApi api = new FakeNetworkApi();
    final List<String> log = new ArrayList<>();
    WindowsNetworkConfigurator conf;

    @org.junit.jupiter.api.BeforeEach
    void setUp() {
        conf = new WindowsNetworkConfigurator(api, state, log::add);
    }

    static WindowsTunnelSpec spec(String iface, String peer) throws Exception {
        return WindowsTunnelSpec.from("office", Config.parse("[Interface]\nPrivateKey = " + KEY + "\n" + iface
                + "\n[Peer]\nPublicKey = " + PEER + "\nEndpoint = 198.51.100.7:51820\n" + peer + "\n"));
    }

    @Test
    void fullTunnelWithDnsAndSearchDomains() throws Exception {
        WindowsTunnelSpec s = spec("Address = 10.8.0.2/24, fd00:8::2/64\nDNS = 10.8.0.1, fd00:8::1, corp.example, "
                + "lab.example\nMTU = 1400", "AllowedIPs = 0.0.0.0/0, ::/0, 10.8.0.0/24");
        var applied = conf.up(s, LUID);
        assertEquals(List.of(
                "setInterface interface ipv4 1400 0",
                "setInterface interface ipv6 1400 0",
                "addAddress 10.8.0.2/24", "addressState 10.8.0.2",
                "addAddress fd00:8::2/64", "addressState fd00:8::2",
                "addRoute 0.0.0.0/0 0", "addRoute ::/0 0", "addRoute 10.8.0.0/24 0",
                "setDns IPv4 [10.8.0.1] [corp.example, lab.example]",
                "setDns IPv6 [fd00:8::1] [corp.example, lab.example]"), api.calls);
        assertTrue(Files.exists(state.resolve("office.netjournal")));
        assertEquals(List.of(), applied.down());
        assertTrue(api.clean(LUID));
        assertFalse(Files.exists(state.resolve("office.netjournal")));
        assertEquals(List.of(), applied.down(), "idempotent");
    }

    @Test
    void splitTunnelKeepsTheAutomaticMetricAndNoIpv6WithoutIpv6() throws Exception {
        conf.up(spec("Address = 10.8.0.2/32", "AllowedIPs = 10.8.0.0/24, 192.168.77.0/24, 10.8.0.9/24"), LUID);
        assertEquals(List.of("setInterface interface ipv4 1420 auto", "addAddress 10.8.0.2/32",
                "addressState 10.8.0.2", "addRoute 10.8.0.0/24 0", "addRoute 192.168.77.0/24 0"), api.calls,
                "host bits cleared, duplicates dropped");
    }

    @Test
    void tableOffAddsNoRoutes() throws Exception {
        conf.up(spec("Address = 10.8.0.2/24\nTable = off", "AllowedIPs = 0.0.0.0/0"), LUID);
        assertTrue(api.calls.stream().noneMatch(c -> c.startsWith("addRoute")), api.calls.toString());
        assertTrue(api.calls.contains("setInterface interface ipv4 1420 auto"), "no /0 route: automatic metric");
    }

    @Test
    void waitsForDuplicateAddressDetection() throws Exception {
        api.tentativePolls.put("10.8.0.2", 3);
        conf.up(spec("Address = 10.8.0.2/24", "AllowedIPs = 10.8.0.0/24"), LUID);
        assertEquals(4, api.calls.stream().filter(c -> c.equals("addressState 10.8.0.2")).count());
    }

    @Test
    void aDuplicateAddressFailsAndUndoesEverything() throws Exception {
        api.finalState.put("10.8.0.2", NetworkApi.DadState.DUPLICATE);
        IOException e = assertThrows(IOException.class,
                () -> conf.up(spec("Address = 10.8.0.2/24\nDNS = 10.8.0.1", "AllowedIPs = 10.8.0.0/24"), LUID));
        assertTrue(e.getMessage().contains("duplicate"), e.getMessage());
        assertTrue(api.clean(LUID));
        assertTrue(api.calls.contains("deleteAddress 10.8.0.2/24"));
        assertFalse(Files.exists(state.resolve("office.netjournal")));
    }

    @Test
    void aFailedCallPartWayUndoesWhatWasDone() throws Exception {
        api.failing.put("addRoute 192.168.77.0/24", 5);
        assertThrows(WindowsException.class, () -> conf.up(
                spec("Address = 10.8.0.2/24", "AllowedIPs = 10.8.0.0/24, 192.168.77.0/24"), LUID));
        assertTrue(api.clean(LUID), api.addresses + " " + api.routes);
        assertTrue(api.calls.contains("deleteRoute 10.8.0.0/24"));
    }

    @Test
    void aCrashedRunIsUndoneFromItsJournalAlone() throws Exception {
        conf.up(spec("Address = 10.8.0.2/24\nDNS = 10.8.0.1, corp.example", "AllowedIPs = 0.0.0.0/0"), LUID);
        // The service dies here: no down(). A new service starts:
        WindowsNetworkConfigurator next = new WindowsNetworkConfigurator(api, state, log::add);
        assertEquals(List.of("office.netjournal"), next.cleanUpStale());
        assertTrue(api.clean(LUID));
        assertFalse(Files.exists(state.resolve("office.netjournal")));
    }

    @Test
    void undoToleratesWhatTheAdapterTookWithIt() throws Exception {
        var applied = conf.up(spec("Address = 10.8.0.2/24", "AllowedIPs = 10.8.0.0/24"), LUID);
        api.addresses.get(LUID).clear(); // the adapter was removed: its addresses and routes are gone
        api.routes.get(LUID).clear();
        assertEquals(List.of(), applied.down());
    }

    @Test
    void upAfterACrashFirstUndoesTheOldJournal() throws Exception {
        conf.up(spec("Address = 10.8.0.2/24", "AllowedIPs = 10.8.0.0/24"), LUID);
        long newLuid = LUID + 1;
        conf.up(spec("Address = 10.8.0.2/24", "AllowedIPs = 10.8.0.0/24"), newLuid);
        assertTrue(api.clean(LUID), "old adapter's entries removed");
        assertEquals(Set.of("10.8.0.2/24"), api.addresses.get(newLuid));
    }

    @Test
    void journalLinesRoundTrip() throws Exception {
        for (NetOp op : NetworkPlanner.operations(spec("Address = 10.8.0.2/24, fd00::2/64\nDNS = 1.1.1.1, "
                + "2606:4700:4700::1111, a.example", "AllowedIPs = 0.0.0.0/0, ::/0"))) {
            assertEquals(op, NetOp.decode(op.encode()));
        }
    }
}
