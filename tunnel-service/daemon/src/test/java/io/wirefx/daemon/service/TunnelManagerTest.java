package io.wirefx.daemon.service;

import io.wirefx.platform.unix.UnixSocketEndpoints;
import io.wirefx.core.config.Config;
import io.wirefx.core.crypto.Key;
import io.wirefx.core.crypto.KeyPair;
import io.wirefx.core.net.IpPrefix;
import io.wirefx.daemon.ipc.IpcServer;
import io.wirefx.daemon.ipc.TunnelServiceException;
import io.wirefx.daemon.log.LogRing;
import io.wirefx.platform.CommandRunner;
import io.wirefx.platform.FakeRunner;
import io.wirefx.platform.linux.LinuxPlatform;
import io.wirefx.platform.linux.Journal;
import io.wirefx.platform.linux.JournalEntry;
import io.wirefx.daemon.run.PeerCounters;
import io.wirefx.daemon.run.RunningTunnel;
import io.wirefx.daemon.run.TunnelFactory;
import io.wirefx.daemon.store.ConfigStore;
import io.wirefx.ipc.ErrorCode;
import io.wirefx.ipc.Event;
import io.wirefx.ipc.EventKind;
import io.wirefx.ipc.IpcClient;
import io.wirefx.ipc.IpcException;
import io.wirefx.ipc.IpcJson;
import io.wirefx.ipc.Response;
import io.wirefx.ipc.Role;
import io.wirefx.ipc.TunnelState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The manager's state machine and policies without privileges: the network commands go to {@link FakeRunner} and
 * the tunnels are stand-ins that report counters. Waits are hang guards only (the @Timeout).
 */
@Timeout(60)
class TunnelManagerTest {
    @TempDir
    Path tmp;

    final SecureRandom rng = new SecureRandom();
    final LogRing log = new LogRing(4096, Clock.systemUTC());
    final FakeRunner fake = new FakeRunner();
    final CommandRunner runner = new CommandRunner() { // the fake is not thread-safe
        @Override
        public synchronized CommandResult run(List<String> argv, String stdin) {
            return fake.run(argv, stdin);
        }

        @Override
        public synchronized boolean hasProgram(String program) {
            return fake.hasProgram(program);
        }
    };
    final StubFactory factory = new StubFactory();
    final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    ConfigStore store;
    TunnelManager manager;

    /** Creates "interfaces" in the fake runner and tunnels that count. */
    final class StubFactory implements TunnelFactory {
        final Map<String, StubTunnel> tunnels = new ConcurrentHashMap<>();
        volatile String failWith;

        @Override
        public Optional<String> unavailabilityCause() {
            return Optional.empty();
        }

        @Override
        public RunningTunnel start(String iface, Config config) throws IOException {
            if (failWith != null) {
                throw new IOException(failWith);
            }
            synchronized (runner) {
                fake.links.add(iface);
            }
            StubTunnel t = new StubTunnel(iface, config);
            tunnels.put(iface, t);
            return t;
        }
    }

    final class StubTunnel implements RunningTunnel {
        final String iface;
        final Config config;
        volatile boolean closed;
        volatile long rx;
        final List<Consumer<String>> stopListeners = new ArrayList<>();

        StubTunnel(String iface, Config config) {
            this.iface = iface;
            this.config = config;
        }

        @Override
        public String interfaceName() {
            return iface;
        }

        @Override
        public void setFwmark(long mark) {
        }

        @Override
        public List<InetAddress> endpointAddresses() {
            return List.of();
        }

        @Override
        public List<PeerCounters> peerCounters() {
            rx += 100;
            return config.peers().stream().map(p -> new PeerCounters(p.publicKey(), rx, rx / 2,
                    System.currentTimeMillis() * 1_000_000L)).toList();
        }

        @Override
        public synchronized void onStopped(Consumer<String> listener) {
            stopListeners.add(listener);
        }

        /** As if the interface had been deleted. */
        void vanish() {
            synchronized (runner) {
                fake.links.remove(iface);
            }
            List<Consumer<String>> l;
            synchronized (this) {
                l = List.copyOf(stopListeners);
            }
            l.forEach(c -> c.accept("interface " + iface + " removed"));
        }

        @Override
        public void close() {
            closed = true;
            synchronized (runner) {
                fake.links.remove(iface);
            }
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        store = ConfigStore.open(tmp.resolve("tunnels"));
        manager = newManager(false);
    }

    TunnelManager newManager(boolean scripts) {
        LinuxPlatform linux = new LinuxPlatform(runner);
        TunnelManager m = new TunnelManager(store, log, factory, linux.network(), linux::interfaceNameFor,
                new ServiceSettings(tmp.resolve("run"),
                scripts, Duration.ofMillis(100), Duration.ofSeconds(30)));
        m.subscribe(events::add);
        return m;
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    String config(String address, String allowed, String extra) {
        KeyPair me = KeyPair.generate(rng);
        KeyPair peer = KeyPair.generate(rng);
        return "[Interface]\nPrivateKey = " + me.privateKey().toBase64() + "\nAddress = " + address
                + "\nMTU = 1420\n" + extra + "\n[Peer]\nPublicKey = " + peer.publicKey().toBase64()
                + "\nPresharedKey = " + Key.fromBytes(rng.generateSeed(32)).toBase64()
                + "\nAllowedIPs = " + allowed + "\nEndpoint = 192.0.2.1:51820\n";
    }

    TunnelState awaitState(String name, TunnelState... wanted) throws InterruptedException {
        while (true) {
            Event e = events.take();
            if (e instanceof Event.TunnelStateChanged s && s.name().equals(name)) {
                for (TunnelState w : wanted) {
                    if (s.state() == w) {
                        return w;
                    }
                }
            }
        }
    }

    /** For several tunnels at once (their events interleave). */
    void awaitPolling(String name, TunnelState wanted) throws InterruptedException {
        while (manager.state(name) != wanted) {
            Thread.sleep(10);
        }
    }

    @Test
    void aTunnelStartsWithItsKillSwitchSettingAndSettingsChangesAreAnnounced() throws Exception {
        manager.create("wfk", config("10.4.0.2/24", "0.0.0.0/0", ""));
        io.wirefx.ipc.TunnelSettings on = new io.wirefx.ipc.TunnelSettings(true, false,
                new io.wirefx.ipc.OnDemandRules(false, true, List.of()));
        manager.setSettings("wfk", on);
        Event e;
        do {
            e = events.poll(30, java.util.concurrent.TimeUnit.SECONDS);
        } while (e != null && !(e instanceof Event.SettingsChanged));
        assertEquals(new Event.SettingsChanged("wfk", on), e);
        assertEquals(on, manager.settings("wfk"));
        assertEquals(Map.of("wfk", on.onDemand()), manager.onDemandRules());

        manager.start("wfk");
        awaitState("wfk", TunnelState.RUNNING);
        List<String> cmds;
        String ruleset;
        synchronized (runner) {
            cmds = fake.commands();
            ruleset = fake.stdinOf("nft -f -", 1); // after the full tunnel's own table
        }
        int route = cmds.indexOf("ip -4 route add 0.0.0.0/0 dev wfk table 51820");
        int ks = cmds.lastIndexOf("nft -f -");
        assertTrue(ruleset.startsWith("table inet wirefx_ks_wfk {") && ruleset.contains("policy drop;"), ruleset);
        assertFalse(ruleset.contains("10.0.0.0/8"), "no LAN unless allowed");
        assertTrue(route >= 0 && ks > route, cmds::toString);
        assertTrue(Files.readString(tmp.resolve("run/wfk.state")).contains("nft inet wirefx_ks_wfk"));
        manager.stop("wfk");
        awaitState("wfk", TunnelState.STOPPED);
        assertTrue(fake.commands().contains("nft delete table inet wirefx_ks_wfk"), fake.commands()::toString);
    }

    @Test
    void unreadableSettingsRefuseTheStartNamingTheFileAndAvailabilityComesFromTheSupplier() throws Exception {
        manager.create("wfc", config("10.5.0.2/24", "0.0.0.0/0", ""));
        Files.writeString(store.directory().resolve("wfc.settings.json"), "{\"version\":1,\"blockUntunneled\":1}");
        TunnelServiceException e = assertThrows(TunnelServiceException.class, () -> manager.start("wfc"));
        assertEquals(ErrorCode.FAILED, e.code());
        assertTrue(e.getMessage().contains("wfc.settings.json") && e.getMessage().contains("blockUntunneled"),
                e.getMessage());
        assertEquals(TunnelState.STOPPED, manager.list().getFirst().state());
        assertEquals(Map.of(), manager.onDemandRules(), "left out, logged");

        assertFalse(manager.onDemandAvailable(), "false until wired");
        java.util.concurrent.atomic.AtomicBoolean nm = new java.util.concurrent.atomic.AtomicBoolean(true);
        manager.setOnDemandAvailability(nm::get);
        assertTrue(manager.onDemandAvailable());
        nm.set(false);
        assertFalse(manager.onDemandAvailable());
        manager.setOnDemandAvailability(() -> {
            throw new IllegalStateException("bus gone");
        });
        assertFalse(manager.onDemandAvailable(), "a failing supplier means unavailable");
    }

    @Test
    void aLongTunnelNameRunsOnThePlatformsInterfaceNameShownInListAndStats() throws Exception {
        String name = "home-office-vpn-2026";
        manager.create(name, config("10.3.0.2/24", "10.3.0.0/24", ""));
        assertNull(manager.list().getFirst().interfaceName(), "no interface while stopped");
        manager.start(name);
        awaitState(name, TunnelState.RUNNING);
        String iface = new LinuxPlatform(runner).interfaceNameFor(name);
        assertTrue(iface.matches("home-offic-[0-9a-f]{4}"), iface);
        assertTrue(factory.tunnels.containsKey(iface), factory.tunnels.keySet()::toString);
        assertEquals(iface, manager.list().getFirst().interfaceName());
        assertEquals(iface, manager.stats(name).getFirst().interfaceName());
        assertTrue(fake.commands().contains("ip -4 address add 10.3.0.2/24 dev " + iface), fake.commands()::toString);
        manager.stop(name);
        awaitState(name, TunnelState.STOPPED);
        assertNull(manager.list().getFirst().interfaceName());
    }

    @Test
    void withoutStatsSubscribersTheCountersAreReadEveryFewSecondsOnly() throws Exception {
        manager.close();
        LinuxPlatform linux = new LinuxPlatform(runner);
        manager = new TunnelManager(store, log, factory, linux.network(), linux::interfaceNameFor,
                new ServiceSettings(tmp.resolve("run"), false, Duration.ofMillis(100), Duration.ofSeconds(30)));
        manager.subscribe(e -> { }, () -> false); // a receiver of state changes only, as the service's own
        manager.create("wfq", config("10.4.0.2/24", "10.4.0.0/24", ""));
        manager.start("wfq");
        awaitPolling("wfq", TunnelState.RUNNING);
        StubTunnel t = factory.tunnels.get("wfq");
        Thread.sleep(1500); // 15 stats intervals
        long unwatched = t.rx / 100; // each read of the counters adds 100
        assertTrue(unwatched <= 1, "read " + unwatched + " times with nobody subscribed (once, as it started)");
        try (AutoCloseable s = manager.subscribe(e -> { })) {
            Thread.sleep(1000);
        }
        long watched = t.rx / 100 - unwatched;
        assertTrue(watched >= 5, "read " + watched + " times in 1 s with a subscriber (every 100 ms)");
    }

    @Test
    void startGoesThroughStartingToRunningWithStatsAndStopsCleanly() throws Exception {
        manager.create("wfa", config("10.1.0.2/24", "10.1.0.0/24", ""));
        manager.start("wfa");
        List<TunnelState> seen = new ArrayList<>();
        int stats = 0;
        while (stats < 2) {
            Event e = events.take();
            if (e instanceof Event.TunnelStateChanged s) {
                seen.add(s.state());
            } else if (e instanceof Event.StatsUpdate u) {
                assertEquals("wfa", u.tunnels().getFirst().name());
                assertTrue(u.tunnels().getFirst().peers().getFirst().rxBytes() > 0);
                stats++;
            }
        }
        assertEquals(List.of(TunnelState.STARTING, TunnelState.RUNNING), seen);
        assertEquals(TunnelState.RUNNING, manager.state("wfa"));
        assertTrue(fake.commands().contains("ip -4 address add 10.1.0.2/24 dev wfa"), fake.commands().toString());
        assertTrue(Files.exists(tmp.resolve("run/wfa.state")), "journal while running");
        assertEquals("wfa\n", Files.readString(tmp.resolve("tunnels/.running")));

        manager.stop("wfa");
        awaitState("wfa", TunnelState.STOPPED);
        assertTrue(factory.tunnels.get("wfa").closed);
        assertFalse(Files.exists(tmp.resolve("run/wfa.state")), "journal gone after a clean stop");
        assertEquals("", Files.readString(tmp.resolve("tunnels/.running")));
        assertTrue(manager.stats(null).isEmpty());
    }

    @Test
    void failedBringUpEndsInFailedWithTheReason() throws Exception {
        manager.create("wfa", config("10.1.0.2/24", "10.1.0.0/24", ""));
        fake.fail("ip -4 address add 10.1.0.2/24 dev wfa", "RTNETLINK answers: Permission denied");
        manager.start("wfa");
        awaitState("wfa", TunnelState.FAILED);
        assertEquals(TunnelState.FAILED, manager.state("wfa"));
        assertTrue(log.tail(50).stream().anyMatch(e -> e.message().contains("Permission denied")));
        assertTrue(factory.tunnels.get("wfa").closed);
        assertEquals("", Files.readString(tmp.resolve("tunnels/.running")), "a failed tunnel is not restored");
        manager.stop("wfa"); // FAILED -> STOPPED
        assertEquals(TunnelState.STOPPED, manager.state("wfa"));
    }

    @Test
    void overlappingTunnelsAreRefusedWithBothPrefixes() throws Exception {
        manager.create("wfa", config("10.1.0.2/24", "10.1.0.0/24", ""));
        manager.create("wfb", config("10.2.0.2/24", "10.1.0.128/25", ""));
        manager.create("wfc", config("10.3.0.2/24", "10.3.0.0/24", ""));
        manager.start("wfa");
        awaitState("wfa", TunnelState.RUNNING);
        TunnelServiceException e = assertThrows(TunnelServiceException.class, () -> manager.start("wfb"));
        assertEquals(ErrorCode.WRONG_STATE, e.code());
        assertTrue(e.getMessage().contains("overlaps tunnel wfa") && e.getMessage().contains("10.1.0.128/25"),
                e.getMessage());
        assertEquals(TunnelState.STOPPED, manager.state("wfb"));
        manager.start("wfc"); // disjoint: both run
        awaitState("wfc", TunnelState.RUNNING);
        assertEquals(2, manager.stats(null).size());
    }

    @Test
    void overlapRules() {
        Function<String, IpPrefix> n = IpPrefix::parse;
        assertTrue(Overlap.overlaps(n.apply("0.0.0.0/0"), n.apply("10.0.0.1/32")));
        assertTrue(Overlap.overlaps(n.apply("10.0.0.7/24"), n.apply("10.0.0.200/30")));
        assertFalse(Overlap.overlaps(n.apply("10.0.0.0/25"), n.apply("10.0.0.128/25")));
        assertFalse(Overlap.overlaps(n.apply("::/0"), n.apply("10.0.0.1/32")), "families never overlap");
        assertTrue(Overlap.overlaps(n.apply("fd00::1/64"), n.apply("fd00::/48")));
        assertFalse(Overlap.overlaps(n.apply("fd00:1::/64"), n.apply("fd00:2::/64")));
    }

    @Test
    void scriptsDoNotRunUnlessEnabled() throws Exception {
        Path marker = tmp.resolve("marker");
        manager.create("wfa", config("10.1.0.2/24", "10.1.0.0/24", "PostUp = touch " + marker
                + "\nPreDown = touch " + marker + "\n"));
        manager.start("wfa");
        awaitState("wfa", TunnelState.RUNNING);
        assertTrue(fake.commands().stream().noneMatch(c -> c.startsWith("bash")), fake.commands().toString());
        assertTrue(log.tail(100).stream().anyMatch(e -> e.message().contains("scripts are disabled")));
        manager.stop("wfa");
        awaitState("wfa", TunnelState.STOPPED);
        assertTrue(fake.commands().stream().noneMatch(c -> c.startsWith("bash")));
        manager.close();

        manager = newManager(true);
        manager.start("wfa");
        awaitState("wfa", TunnelState.RUNNING);
        assertTrue(fake.commands().contains("bash -e -o pipefail -c touch " + marker), fake.commands().toString());
    }

    @Test
    void runningTunnelsCannotBeUpdatedRenamedOrDeleted() throws Exception {
        String text = config("10.1.0.2/24", "10.1.0.0/24", "");
        manager.create("wfa", text);
        manager.start("wfa");
        awaitState("wfa", TunnelState.RUNNING);
        for (var op : List.<ThrowingRunnable>of(() -> manager.update("wfa", text), () -> manager.rename("wfa", "x"),
                () -> manager.delete("wfa"), () -> manager.importText("wfa", text, true))) {
            TunnelServiceException e = assertThrows(TunnelServiceException.class, op::run);
            assertEquals(ErrorCode.WRONG_STATE, e.code());
        }
        manager.stop("wfa");
        awaitState("wfa", TunnelState.STOPPED);
        manager.update("wfa", text);
        manager.rename("wfa", "wfb");
        manager.delete("wfb");
        assertTrue(store.names().isEmpty());
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aVanishedInterfaceFailsTheTunnelAndTearsDown() throws Exception {
        manager.create("wfa", config("10.1.0.2/24", "10.1.0.0/24", ""));
        manager.start("wfa");
        awaitState("wfa", TunnelState.RUNNING);
        factory.tunnels.get("wfa").vanish();
        awaitState("wfa", TunnelState.FAILED);
        assertFalse(Files.exists(tmp.resolve("run/wfa.state")));
    }

    @Test
    void closeRemembersRunningTunnelsAndRestoreStartsThemAfterCleaningStaleJournals() throws Exception {
        manager.create("wfa", config("10.1.0.2/24", "10.1.0.0/24", ""));
        manager.create("wfb", config("10.2.0.2/24", "10.2.0.0/24", ""));
        manager.create("wfc", config("10.3.0.2/24", "10.3.0.0/24", ""));
        manager.start("wfa");
        manager.start("wfb");
        awaitPolling("wfa", TunnelState.RUNNING);
        awaitPolling("wfb", TunnelState.RUNNING);
        manager.close();
        assertEquals(TunnelState.STOPPED, manager.state("wfa"));
        assertEquals("wfa\nwfb\n", Files.readString(tmp.resolve("tunnels/.running")));
        // A journal as a killed service leaves it: the interface wfc was created and never taken down.
        Journal.create(tmp.resolve("run/wfc.state"), new Journal.Header(1, FakeRunner.NETNS, "wfc"))
                .record(new JournalEntry.Link("wfc"));
        fake.links.add("wfc");
        fake.clear();

        manager = newManager(false);
        assertEquals(List.of("wfa", "wfb"), manager.restore());
        awaitPolling("wfa", TunnelState.RUNNING);
        awaitPolling("wfb", TunnelState.RUNNING);
        assertEquals(TunnelState.STOPPED, manager.state("wfc"));
        List<String> changes = fake.changes();
        assertTrue(changes.indexOf("ip link delete dev wfc") >= 0, changes.toString());
        assertFalse(Files.exists(tmp.resolve("run/wfc.state")));
    }

    @Test
    void operatorsSeeNoKeysInAnswersOrEvents() throws Exception {
        String text = config("10.1.0.2/24", "10.1.0.0/24", "");
        Config parsed = Config.parse(text);
        String priv = parsed.iface().privateKey().toBase64();
        String psk = parsed.peers().getFirst().presharedKey().orElseThrow().toBase64();
        manager.create("wfa", text);
        Path socket = tmp.resolve("s.sock");
        try (IpcServer server = IpcServer.builder(manager, log).socketPath(socket)
                .endpoints(new UnixSocketEndpoints((u, g) -> Optional.of(Role.OPERATOR))).build().start()) {
            List<String> received = new ArrayList<>();
            LinkedBlockingQueue<Event> clientEvents = new LinkedBlockingQueue<>();
            try (IpcClient c = IpcClient.connect(socket, "test", clientEvents::add, Duration.ofSeconds(30))) {
                c.subscribe(EnumSet.allOf(EventKind.class));
                c.logFollow(true);
                Response.TunnelConfig cfg = c.get("wfa");
                received.add(new String(IpcJson.encode(cfg), StandardCharsets.UTF_8));
                assertTrue(cfg.redacted());
                received.add(String.valueOf(c.list()));
                c.start("wfa");
                int stats = 0;
                boolean running = false;
                while (stats < 2 || !running) {
                    Event e = clientEvents.take();
                    received.add(new String(IpcJson.encode(e), StandardCharsets.UTF_8));
                    stats += e instanceof Event.StatsUpdate ? 1 : 0;
                    running |= e instanceof Event.TunnelStateChanged s && s.state() == TunnelState.RUNNING;
                }
                received.add(String.valueOf(c.stats(null)));
                received.add(new String(IpcJson.encode(c.logTail(1000)), StandardCharsets.UTF_8));
                IpcException denied = assertThrows(IpcException.class, c::exportZip);
                assertEquals(ErrorCode.FORBIDDEN, denied.code());
            }
            String all = String.join("\n", received);
            assertTrue(all.contains(parsed.iface().publicKey().toBase64()), "public key is shown");
            assertFalse(all.contains(priv), "private key leaked");
            assertFalse(all.contains(psk), "preshared key leaked");
        }
    }
}
