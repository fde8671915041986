package io.wirefx.platform.macos;

import io.wirefx.core.config.Config;
import io.wirefx.platform.NetconfigException;
import io.wirefx.platform.TunnelControl;
import io.wirefx.platform.TunnelNetwork;
import io.wirefx.platform.TunnelNetworkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tunnel brought up for real against a scripted Mac: journal, network changes, down, and crash recovery. */
class MacTunnelNetworkTest {

    @TempDir
    Path stateDir;

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final AtomicReference<RouteMonitor.Target> monitor = new AtomicReference<>();

    private TunnelNetwork tunnel(ScriptedMac mac, Config config) {
        return new MacNetworkSetup(mac, (target, l) -> {
            monitor.set(target);
            return () -> monitor.set(null);
        }).forTunnel(new TunnelNetworkSpec("office", "utun", config, stateDir, Optional.empty(), log::add));
    }

    /** prepare, interfaceOpened(utun4), up. */
    private static void up(TunnelNetwork t) throws Exception {
        t.prepare();
        t.interfaceOpened("utun4");
        t.up(new TunnelControl() {
            @Override
            public String interfaceName() {
                return "utun4";
            }

            @Override
            public void setFwmark(long mark) {
                throw new UnsupportedOperationException("no fwmark on macOS");
            }

            @Override
            public List<InetAddress> endpointAddresses() {
                return ENDPOINT;
            }
        });
    }

    static Config fullTunnel() throws Exception {
        return DarwinPlanTest.config("""
                Address = 10.8.0.2/24
                DNS = 10.8.0.1, corp.example
                """, """
                AllowedIPs = 0.0.0.0/0, 172.16.0.0/12
                Endpoint = 203.0.113.7:51820
                """);
    }

    private static final List<InetAddress> ENDPOINT = List.of(InetAddress.ofLiteral("203.0.113.7"));

    @Test
    void aNetworkChangeMovesTheEndpointRouteToTheNewGatewayAndDownUndoesEverything() throws Exception {
        ScriptedMac mac = ScriptedMac.home();
        TunnelNetwork t = tunnel(mac, fullTunnel());
        up(t);
        List<String> up = mac.takeMutations();
        assertEquals(List.of(
                "ifconfig utun4 inet 10.8.0.2/24 10.8.0.2 alias",
                "ifconfig utun4 mtu 1420",
                "ifconfig utun4 up",
                "route -q -n add -inet 172.16.0.0/12 -interface utun4",
                "route -q -n add -inet 0.0.0.0/1 -interface utun4",
                "route -q -n add -inet 128.0.0.0/1 -interface utun4",
                "route -q -n delete -inet 203.0.113.7",
                "route -q -n add -inet 203.0.113.7 -gateway 192.168.1.1",
                "networksetup -setdnsservers Wi-Fi 10.8.0.1",
                "networksetup -setsearchdomains Wi-Fi corp.example",
                "networksetup -setdnsservers 'USB 10/100/1000 LAN' 10.8.0.1",
                "networksetup -setsearchdomains 'USB 10/100/1000 LAN' corp.example"), up);
        assertNotNull(monitor.get(), "the route monitor runs while the tunnel is up");

        // Nothing changed: the endpoint route stays, the MTU is right, DNS is set again (darwin.bash does).
        mac.ifconfig("utun4", 1420);
        assertTrue(monitor.get().networkChanged());
        assertEquals(List.of(
                "networksetup -setdnsservers Wi-Fi 10.8.0.1",
                "networksetup -setsearchdomains Wi-Fi corp.example",
                "networksetup -setdnsservers 'USB 10/100/1000 LAN' 10.8.0.1",
                "networksetup -setsearchdomains 'USB 10/100/1000 LAN' corp.example"), mac.takeMutations());

        // Wi-Fi switch: a new gateway on a network with a 1400-byte MTU, and the USB adapter unplugged.
        mac.netstat4("""
                default            10.0.0.1           UGScg                 en0
                """);
        mac.ifconfig("en0", 1400);
        mac.answer("networksetup -listallnetworkservices", """
                An asterisk (*) denotes that a network service is disabled.
                Wi-Fi
                """);
        assertTrue(monitor.get().networkChanged());
        assertEquals(List.of(
                "route -q -n delete -inet 203.0.113.7",
                "route -q -n add -inet 203.0.113.7 -gateway 10.0.0.1",
                "ifconfig utun4 mtu 1320",
                "networksetup -setdnsservers Wi-Fi 10.8.0.1",
                "networksetup -setsearchdomains Wi-Fi corp.example"), mac.takeMutations());

        Path journal = stateDir.resolve("office.journal");
        assertTrue(Files.exists(journal));
        assertEquals(List.of(), t.down());
        assertEquals(null, monitor.get(), "down stops the monitor");
        assertEquals(List.of( // newest first: the endpoint route was re-added after the DNS change
                "route -q -n delete -inet 203.0.113.7",
                "networksetup -setdnsservers 'USB 10/100/1000 LAN' 9.9.9.9 149.112.112.112",
                "networksetup -setsearchdomains 'USB 10/100/1000 LAN' home.arpa",
                "networksetup -setdnsservers Wi-Fi Empty",
                "networksetup -setsearchdomains Wi-Fi Empty",
                "route -q -n delete -inet 128.0.0.0/1 -interface utun4",
                "route -q -n delete -inet 0.0.0.0/1 -interface utun4",
                "route -q -n delete -inet 172.16.0.0/12 -interface utun4"), mac.takeMutations());
        assertFalse(Files.exists(journal));
        assertEquals(List.of(), t.down(), "idempotent");
        assertEquals(List.of(), mac.takeMutations());
    }

    @Test
    void theMonitorStopsOnceTheInterfaceIsGone() throws Exception {
        ScriptedMac mac = ScriptedMac.home();
        TunnelNetwork t = tunnel(mac, fullTunnel());
        up(t);
        mac.takeMutations();
        assertFalse(monitor.get().networkChanged(), "ifconfig utun4 fails: nothing to do, the monitor ends");
        assertEquals(List.of(), mac.takeMutations());
        t.down();
    }

    @Test
    void aJournalLeftByAKilledRunIsUndoneWithoutTheConfig() throws Exception {
        ScriptedMac mac = ScriptedMac.home();
        TunnelNetwork killed = tunnel(mac, fullTunnel());
        up(killed);
        killed.close(); // no down; the lock goes, as with a killed process (close undoes nothing)
        mac.takeMutations();
        assertEquals(List.of("office: cleaned up after an unclean shutdown"),
                new MacNetworkSetup(mac).cleanUpStale(stateDir, log::add));
        List<String> undone = mac.takeMutations();
        assertEquals(8, undone.size(), undone.toString());
        assertEquals("networksetup -setdnsservers 'USB 10/100/1000 LAN' 9.9.9.9 149.112.112.112", undone.getFirst());
        assertTrue(undone.contains("route -q -n delete -inet 203.0.113.7"));
        assertFalse(Files.exists(stateDir.resolve("office.journal")));
        assertTrue(log.stream().anyMatch(l -> l.contains("earlier run of office (utun4)")), log.toString());
    }

    @Test
    void theJournalOfARunningTunnelIsLeftAlone() throws Exception {
        ScriptedMac mac = ScriptedMac.home();
        TunnelNetwork running = tunnel(mac, fullTunnel());
        up(running);
        mac.takeMutations();
        assertEquals(List.of("office: in use by a running process, left alone"),
                new MacNetworkSetup(mac).cleanUpStale(stateDir, log::add));
        assertEquals(List.of(), mac.takeMutations());
        assertTrue(Files.exists(stateDir.resolve("office.journal")));
        running.down();
        running.close();
    }

    @Test
    void hooksRunAroundACompletedBringUpOnly() throws Exception {
        Config withHooks = DarwinPlanTest.config("""
                Address = 10.8.0.2/24
                PreUp = echo pre-up %i
                PostUp = echo post-up %i
                PreDown = echo pre-down %I
                PostDown = echo post-down %I
                """, """
                AllowedIPs = 172.16.0.0/12
                """);
        ScriptedMac mac = ScriptedMac.home();
        TunnelNetwork t = tunnel(mac, withHooks);
        up(t);
        assertEquals("bash -c 'echo pre-up utun4'", mac.takeMutations().getFirst());
        t.down();
        List<String> down = mac.takeMutations();
        assertEquals("bash -c 'echo pre-down office'", down.getFirst());
        assertEquals("bash -c 'echo post-down office'", down.getLast());
        t.close();

        ScriptedMac failing = ScriptedMac.home();
        failing.fail("route -q -n add -inet 172.16.0.0/12 -interface utun4", "route: File exists");
        TunnelNetwork f = tunnel(failing, withHooks);
        assertThrows(NetconfigException.class, () -> up(f));
        assertTrue(failing.takeMutations().stream().noneMatch(l -> l.contains("-down")),
                "no PreDown/PostDown after a failed up");
        f.close();
    }

    @Test
    void aFailedRouteStopsTheBringUpAndItsJournalUndoesWhatWasDone() throws Exception {
        ScriptedMac mac = ScriptedMac.home();
        mac.fail("route -q -n add -inet 172.16.0.0/12 -interface utun4", "route: writing to routing socket: File exists");
        TunnelNetwork t = tunnel(mac, fullTunnel());
        NetconfigException e = assertThrows(NetconfigException.class, () -> up(t));
        assertEquals(NetconfigException.Kind.SETUP_FAILED, e.kind());
        assertTrue(e.getMessage().contains("172.16.0.0/12"), e.getMessage());
        List<String> ran = mac.takeMutations();
        assertEquals(List.of(
                "ifconfig utun4 inet 10.8.0.2/24 10.8.0.2 alias",
                "ifconfig utun4 mtu 1420",
                "ifconfig utun4 up",
                "route -q -n add -inet 172.16.0.0/12 -interface utun4",
                "route -q -n delete -inet 172.16.0.0/12 -interface utun4"), ran,
                "the failed route was journaled before it ran; the failed up undid it");
        assertFalse(Files.exists(stateDir.resolve("office.journal")));
        t.close();
    }

    @Test
    void theRouteMonitorHandlesABurstOfRoutingMessagesOnce() throws Exception {
        List<String> calls = new ArrayList<>();
        String events = """

                got message of size 176 on Wed Dec  2 21:00:00 2026
                RTM_DELETE: Delete Route: len 176, pid: 0, seq 0, errno 0, flags:<GATEWAY,DONE,STATIC>
                locks:  inits:
                sockaddrs: <DST,GATEWAY,NETMASK>
                 default 192.168.1.1 default

                got message of size 176 on Wed Dec  2 21:00:00 2026
                RTM_ADD: Add Route: len 176, pid: 0, seq 0, errno 0, flags:<UP,GATEWAY,DONE,STATIC>
                """;
        RouteMonitor.Target target = new RouteMonitor.Target() {
            @Override
            public synchronized boolean networkChanged() {
                calls.add("changed");
                return true;
            }

            @Override
            public void reapplyDns() {
            }

            @Override
            public boolean hasDns() {
                return false;
            }
        };
        try (RouteMonitor m = new RouteMonitor(new StringReader(events), () -> { }, target, 100, log::add)) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < deadline) {
                synchronized (target) {
                    if (!calls.isEmpty()) {
                        break;
                    }
                }
                Thread.sleep(20);
            }
            Thread.sleep(300);
            synchronized (target) {
                assertEquals(List.of("changed"), calls);
            }
            assertTrue(m.isRunning());
        }
    }
}
