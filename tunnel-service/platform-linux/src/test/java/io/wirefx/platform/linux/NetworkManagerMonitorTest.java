package io.wirefx.platform.linux;

import io.wirefx.platform.NetworkMonitor;
import io.wirefx.platform.NetworkMonitor.Connection;
import io.wirefx.platform.NetworkMonitor.Kind;
import io.wirefx.platform.NetworkMonitor.Snapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link NetworkManagerMonitor} against python3-dbusmock's NetworkManager on a private bus: what it reads, the
 * changes it follows, NetworkManager or the bus going away and coming back. Waits are hang guards only.
 */
@Timeout(120)
class NetworkManagerMonitorTest {
    @TempDir
    Path tmp;

    PrivateBus bus;
    MockNetworkManager nm;
    NetworkManagerMonitor monitor;
    final LinkedBlockingQueue<Snapshot> heard = new LinkedBlockingQueue<>();

    void startAll() throws Exception {
        bus = PrivateBus.start(tmp);
        nm = MockNetworkManager.start(bus);
        startMonitor();
    }

    void startMonitor() {
        monitor = NetworkManagerMonitor.start(bus.address(), Duration.ofMillis(200));
        monitor.subscribe(heard::add);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (monitor != null) {
            monitor.close();
        }
        if (nm != null) {
            nm.close();
        }
        if (bus != null) {
            bus.close();
        }
    }

    /** The first snapshot heard (or current) that matches. */
    Snapshot await(Predicate<Snapshot> p) throws InterruptedException {
        if (p.test(monitor.current())) {
            return monitor.current();
        }
        while (true) {
            Snapshot s = heard.poll(30, TimeUnit.SECONDS);
            if (s == null) {
                throw new AssertionError("no matching snapshot; now " + monitor.current());
            }
            if (p.test(s)) {
                return s;
            }
        }
    }

    static Predicate<Snapshot> exactly(Connection... c) {
        return s -> s.available() && s.connections().equals(List.of(c));
    }

    static Connection wifi(String id, String ssid) {
        return new Connection(id, Kind.WIFI, Optional.of(ssid));
    }

    @Test
    void followsWifiAndWired() throws Exception {
        startAll();
        assertEquals(Snapshot.of(List.of()), monitor.current(), "no network at first");
        String cafe = nm.joinWifi("Cafe");
        await(exactly(wifi("Cafe", "Cafe")));
        String wired = nm.joinWired();
        Snapshot both = await(s -> s.connections().size() == 2);
        assertTrue(both.connections().contains(new Connection("Wired connection 2", Kind.WIRED, Optional.empty())),
                both.toString());
        nm.leaveWifi(cafe);
        await(exactly(new Connection("Wired connection 2", Kind.WIRED, Optional.empty())));
        nm.leaveWired(wired);
        await(exactly());
        nm.joinWifi("Home ☕");
        await(exactly(wifi("Home ☕", "Home ☕")));
    }

    @Test
    void activatingConnectionsDoNotCount() throws Exception {
        startAll();
        nm.joinWifi("Slow", 1);
        nm.joinWifi("Fast");
        Snapshot s = await(x -> !x.connections().isEmpty());
        assertEquals(List.of(wifi("Fast", "Fast")), s.connections());
    }

    @Test
    void ssidThatIsNotUtf8() throws Exception {
        startAll();
        String active = nm.joinWifi("Cafe");
        await(exactly(wifi("Cafe", "Cafe")));
        nm.setSsid(nm.accessPointOf(active), new byte[] {'C', 'a', 'f', (byte) 0xe9});
        Snapshot s = await(x -> x.connections().size() == 1 && !x.connections().getFirst().ssid().get().equals("Cafe"));
        assertEquals("Caf" + NetworkMonitor.NOT_UTF8, s.connections().getFirst().ssid().get());
        assertEquals("Café", NetworkManagerMonitor.decodeSsid("Café".getBytes(StandardCharsets.UTF_8)));
        assertEquals("", NetworkManagerMonitor.decodeSsid(new byte[0]));
    }

    @Test
    void networkManagerLeavesAndComesBack() throws Exception {
        bus = PrivateBus.start(tmp);
        startMonitor();
        Snapshot none = monitor.current();
        assertFalse(none.available());
        assertTrue(none.unavailable().get().contains("NetworkManager is not running"), none.toString());

        nm = MockNetworkManager.start(bus);
        await(exactly());
        nm.joinWifi("Cafe");
        await(exactly(wifi("Cafe", "Cafe")));

        nm.stop();
        Snapshot gone = await(x -> !x.available());
        assertTrue(gone.unavailable().get().contains("NetworkManager is not running"), gone.toString());
        nm.restart();
        await(exactly());
    }

    @Test
    void busLostAndReconnected() throws Exception {
        startAll();
        nm.joinWired();
        await(s -> s.connections().size() == 1);
        nm.stop();
        bus.stop();
        Snapshot lost = await(s -> !s.available() && !s.unavailable().get().contains("NetworkManager is not running"));
        assertTrue(lost.unavailable().get().contains("system bus"), lost.toString());

        bus.restart();
        nm.restart();
        nm.joinWifi("Back");
        await(exactly(wifi("Back", "Back")));
    }

    @Test
    void noBusAtAll() {
        long t0 = System.nanoTime();
        monitor = NetworkManagerMonitor.start("unix:path=" + tmp.resolve("nothing-here"), Duration.ofSeconds(30));
        Snapshot s = monitor.current();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 2000, "start took " + ms + " ms");
        assertFalse(s.available());
        assertTrue(s.unavailable().get().contains("is not reachable: no socket at " + tmp.resolve("nothing-here")),
                s.toString());
    }
}
