package io.wirefx.daemon.service;

import io.wirefx.daemon.log.LogRing;
import io.wirefx.ipc.OnDemandRules;
import io.wirefx.ipc.TunnelState;
import io.wirefx.platform.NetworkMonitor;
import io.wirefx.platform.NetworkMonitor.Connection;
import io.wirefx.platform.NetworkMonitor.Kind;
import io.wirefx.platform.NetworkMonitor.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controller's policy (when it acts, manual toggles, unknown network) over a monitor driven by the test. Waits
 * are hang guards only (the @Timeout).
 */
@Timeout(30)
class OnDemandControllerTest {

    /** A monitor whose snapshots the test sets. */
    static final class ScriptedMonitor implements NetworkMonitor {
        volatile Snapshot now = Snapshot.unavailable("not started");
        final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();

        void set(Snapshot s) {
            now = s;
            listeners.forEach(l -> l.accept(s));
        }

        void join(Connection... c) {
            set(Snapshot.of(List.of(c)));
        }

        @Override
        public Snapshot current() {
            return now;
        }

        @Override
        public AutoCloseable subscribe(Consumer<Snapshot> listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }

        @Override
        public void close() {
        }
    }

    /** Tunnels that switch at once and record what was done. */
    static final class Switches implements OnDemandController.Tunnels {
        final Map<String, TunnelState> states = new HashMap<>();
        final List<String> actions = new ArrayList<>();

        @Override
        public synchronized TunnelState state(String name) {
            return states.getOrDefault(name, TunnelState.STOPPED);
        }

        @Override
        public synchronized void start(String name) {
            actions.add("start " + name);
            states.put(name, TunnelState.RUNNING);
        }

        @Override
        public synchronized void stop(String name) {
            actions.add("stop " + name);
            states.put(name, TunnelState.STOPPED);
        }

        synchronized List<String> take() {
            List<String> a = List.copyOf(actions);
            actions.clear();
            return a;
        }
    }

    static Connection wifi(String ssid) {
        return new Connection("wlan0", Kind.WIFI, Optional.of(ssid));
    }

    static final Connection WIRED = new Connection("Wired connection 1", Kind.WIRED, Optional.empty());

    final ScriptedMonitor monitor = new ScriptedMonitor();
    final Switches tunnels = new Switches();
    final LogRing log = new LogRing(256, Clock.systemUTC());
    final Map<String, OnDemandRules> rules = new HashMap<>(Map.of(
            "work", new OnDemandRules(true, false, List.of("Home")),
            "lab", new OnDemandRules(false, true, List.of()),
            "plain", OnDemandRules.OFF));

    OnDemandController controller() {
        return new OnDemandController(monitor, () -> Map.copyOf(rules), tunnels, log).start();
    }

    @Test
    void followsTheNetwork() {
        monitor.join(wifi("Home"));
        try (OnDemandController c = controller()) {
            assertTrue(c.available());
            assertEquals(List.of(), tunnels.take(), "nothing to do at home");
            monitor.join(wifi("Cafe"));
            assertEquals(List.of("start work"), tunnels.take());
            monitor.join(WIRED);
            assertEquals(List.of("start lab", "stop work"), tunnels.take());
            monitor.join(wifi("Home"));
            assertEquals(List.of("stop lab"), tunnels.take());
            monitor.join();
            assertEquals(List.of(), tunnels.take());
        }
        assertTrue(log.tail(50).stream().anyMatch(e -> e.message()
                .equals("on-demand: on Wi-Fi 'Cafe' (untrusted) → starting work")), log.tail(50).toString());
    }

    @Test
    void manualToggleStandsUntilTheNextChange() {
        monitor.join(wifi("Cafe"));
        try (OnDemandController c = controller()) {
            assertEquals(List.of("start work"), tunnels.take());
            tunnels.states.put("work", TunnelState.STOPPED); // the user stopped it
            monitor.join(wifi("Cafe"));                       // same network again (a signal, no change)
            monitor.join(wifi("Cafe"), new Connection("lo", Kind.OTHER, Optional.empty()));
            assertEquals(List.of(), tunnels.take(), "the user's stop stands");
            monitor.join(wifi("Airport"));
            assertEquals(List.of("start work"), tunnels.take(), "a new network applies the rules again");
        }
    }

    @Test
    void unknownNetworkTouchesNothing() {
        monitor.join(wifi("Cafe"));
        try (OnDemandController c = controller()) {
            assertEquals(List.of("start work"), tunnels.take());
            monitor.set(Snapshot.unavailable("NetworkManager left the bus"));
            assertFalse(c.available());
            assertEquals(Optional.of("NetworkManager left the bus"), c.unavailableReason());
            assertEquals(List.of(), tunnels.take());
            tunnels.states.put("work", TunnelState.STOPPED);
            monitor.join(wifi("Cafe"));
            assertEquals(List.of("start work"), tunnels.take(), "back from unknown counts as a change");
        }
    }

    @Test
    void rulesChangedAppliesAtOnce() {
        monitor.join(wifi("Cafe"));
        try (OnDemandController c = controller()) {
            tunnels.take();
            rules.put("plain", new OnDemandRules(true, false, List.of()));
            c.rulesChanged("plain");
            assertEquals(List.of("start plain"), tunnels.take());
            rules.put("work", new OnDemandRules(true, false, List.of("Cafe")));
            c.rulesChanged("work");
            assertEquals(List.of("stop work"), tunnels.take());
        }
    }

    @Test
    void aTunnelStillStoppingStartsOnceDown() throws Exception {
        monitor.join(wifi("Home"));
        try (OnDemandController c = controller()) {
            synchronized (tunnels) {
                tunnels.states.put("work", TunnelState.STOPPING);
            }
            monitor.join(wifi("Cafe"));
            synchronized (tunnels) {
                assertEquals(List.of(), tunnels.take(), "not while it is stopping");
                tunnels.states.put("work", TunnelState.STOPPED);
            }
            while (true) {
                synchronized (tunnels) {
                    if (!tunnels.actions.isEmpty()) {
                        assertEquals(List.of("start work"), tunnels.take());
                        break;
                    }
                }
                Thread.sleep(10);
            }
        }
    }

    @Test
    void closedControllerIgnoresChanges() {
        monitor.join(wifi("Home"));
        controller().close();
        monitor.join(wifi("Cafe"));
        assertEquals(List.of(), tunnels.take());
        assertTrue(monitor.listeners.isEmpty());
    }
}
