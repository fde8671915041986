package io.wirefx.daemon.service;

import io.wirefx.core.config.BadConfigException;
import io.wirefx.core.config.Config;
import io.wirefx.core.config.Interface;
import io.wirefx.daemon.ipc.TunnelServiceException;
import io.wirefx.daemon.ipc.StoreCalls;
import io.wirefx.daemon.ipc.TunnelService;
import io.wirefx.daemon.ipc.TunnelView;
import io.wirefx.daemon.ipc.TunnelViews;
import io.wirefx.daemon.log.LogRing;
import io.wirefx.daemon.run.PeerCounters;
import io.wirefx.daemon.run.RunningTunnel;
import io.wirefx.daemon.run.TunnelFactory;
import io.wirefx.daemon.run.TunnelLifecycle;
import io.wirefx.platform.AtomicFiles;
import io.wirefx.platform.NetconfigException;
import io.wirefx.platform.NetworkSetup;
import io.wirefx.platform.TunnelNetworkSpec;
import io.wirefx.daemon.store.ConfigStore;
import io.wirefx.daemon.store.StoreException;
import io.wirefx.ipc.ErrorCode;
import io.wirefx.ipc.Event;
import io.wirefx.ipc.ImportEntry;
import io.wirefx.ipc.LogLevel;
import io.wirefx.ipc.OnDemandRules;
import io.wirefx.ipc.TunnelSettings;
import io.wirefx.ipc.PeerStats;
import io.wirefx.ipc.TunnelState;
import io.wirefx.ipc.TunnelStats;
import io.wirefx.ipc.TunnelSummary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The real {@link TunnelService}: owns every tunnel of the service.
 *
 * <p>Per tunnel a state machine STOPPED → STARTING → RUNNING → STOPPING → STOPPED, or FAILED (with a reason) when
 * the bring-up fails or the tunnel stops by itself (its interface was deleted). A tunnel is RUNNING once the TUN
 * interface exists, the engine carries the configuration and the whole network configuration (addresses, MTU,
 * routes, rules, DNS) is up; it does not wait for a handshake (a peer may be offline and the tunnel is still usable
 * as soon as it appears). The bring-up and teardown are those of {@code wirefx run} (a {@link TunnelLifecycle} over
 * the platform's {@link NetworkSetup}, journaled in the runtime directory) and run on their own threads;
 * {@link #start} and {@link #stop} return at once.
 *
 * <p>Policies:
 * <ul>
 *   <li>Overlap: starting a tunnel whose addresses or allowed IPs overlap those of a tunnel that is starting or
 *   running is refused (WRONG_STATE, naming both prefixes). Nothing is stopped implicitly.</li>
 *   <li>Scripts: Pre/PostUp/Down commands run only if {@link ServiceSettings#allowScripts()}; otherwise they are
 *   removed from the configuration before it is used (a warning is logged).</li>
 *   <li>SaveConfig is ignored: the service never rewrites a stored configuration behind the user's back.</li>
 *   <li>Store: update, rename and delete of a tunnel that is not STOPPED or FAILED are refused (WRONG_STATE).</li>
 *   <li>Restore: the set of tunnels that should be up is kept in {@code .running} in the store directory
 *   (written atomically); {@link #restore()} starts them again, after undoing what stale journals in the runtime
 *   directory list (a killed service). {@link #close()} stops all tunnels but keeps the set.</li>
 * </ul>
 *
 * <p>Everything is logged to the {@link LogRing} (never keys).
 */
public final class TunnelManager implements TunnelService, AutoCloseable {
    static final String RUNNING_FILE = ".running";

    private final ConfigStore store;
    private final LogRing log;
    private final TunnelFactory factory;
    private final NetworkSetup network;
    private final UnaryOperator<String> interfaceNames;
    private final ServiceSettings settings;
    private final Path runningFile;
    private record Receiver(Consumer<Event> events, BooleanSupplier wantsStats) {
    }

    private final List<Receiver> receivers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final Map<String, Slot> slots = new HashMap<>(); // guarded by this
    private final Set<String> wanted = new TreeSet<>(); // tunnels that should be up; guarded by this
    private boolean closing; // guarded by this
    private volatile BooleanSupplier onDemandAvailable = () -> false;

    /** One tunnel's life. Fields guarded by the manager. */
    private static final class Slot {
        final String name;
        TunnelState state = TunnelState.STOPPED;
        String reason;
        Config config; // while starting/running
        io.wirefx.platform.TrafficPolicy policy = io.wirefx.platform.TrafficPolicy.NONE; // while starting/running
        TunnelLifecycle life;
        RunningTunnel tunnel;
        boolean stopRequested;

        Slot(String name) {
            this.name = name;
        }
    }

    private final HandshakeLog handshakes; // used by the stats thread only
    private volatile long lastStatsMs;     // the stats thread's last look; a tunnel that starts resets it
    /** With no subscriber the counters are read this often (for the handshake log), not every stats interval. */
    private static final long UNWATCHED_STATS_MS = 5_000;

    /**
     * @param network        the platform's network configuration
     * @param interfaceNames the platform's interface name for a tunnel name
     */
    public TunnelManager(ConfigStore store, LogRing log, TunnelFactory factory, NetworkSetup network,
                         UnaryOperator<String> interfaceNames, ServiceSettings settings) {
        this.store = Objects.requireNonNull(store, "store");
        this.log = Objects.requireNonNull(log, "log");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.network = Objects.requireNonNull(network, "network");
        this.interfaceNames = Objects.requireNonNull(interfaceNames, "interfaceNames");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.runningFile = store.directory().resolve(RUNNING_FILE);
        this.handshakes = new HandshakeLog(log);
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("wirefx-stats").factory());
        long ms = settings.statsInterval().toMillis();
        scheduler.scheduleAtFixedRate(this::publishStats, ms, ms, TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ restore

    /**
     * Cleans up after a killed service (stale journals in the runtime directory) and starts the tunnels that were
     * up when the service last stopped. Problems are logged; returns the names it started.
     */
    public List<String> restore() {
        cleanStaleJournals();
        List<String> names = readRunningSet();
        List<String> started = new ArrayList<>();
        for (String n : names) {
            try {
                start(n);
                started.add(n);
            } catch (TunnelServiceException e) {
                log.error(n, "not restored: " + e.getMessage());
                synchronized (this) {
                    wanted.remove(n);
                    writeRunningSet();
                }
            }
        }
        if (!names.isEmpty()) {
            log.info(null, "restoring " + started.size() + " tunnel(s): " + String.join(", ", started));
        }
        return started;
    }

    /** Undoes every journal of the runtime directory: no tunnel of this service is up yet. */
    private void cleanStaleJournals() {
        for (String line : network.cleanUpStale(settings.runtimeDir(), l -> log.info(null, l))) {
            log.info(null, line);
        }
    }

    private List<String> readRunningSet() {
        try {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(runningFile, StandardCharsets.UTF_8)) {
                String n = line.strip();
                if (ConfigStore.isValidName(n)) {
                    out.add(n);
                }
            }
            return out;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            log.error(null, "cannot read " + runningFile + ": " + e.getMessage());
            return List.of();
        }
    }

    /** Caller holds this. */
    private void writeRunningSet() {
        StringBuilder sb = new StringBuilder();
        wanted.forEach(n -> sb.append(n).append('\n'));
        try {
            AtomicFiles.write(runningFile, sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            log.error(null, "cannot save the running set: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ queries

    /** The interface a tunnel runs on, or null when it has none. */
    private synchronized String interfaceOf(String name) {
        Slot s = slots.get(name);
        return s == null || s.tunnel == null ? null : s.tunnel.interfaceName();
    }

    /** The state of a tunnel (STOPPED if unknown). */
    public synchronized TunnelState state(String name) {
        Slot s = slots.get(name);
        return s == null ? TunnelState.STOPPED : s.state;
    }

    @Override
    public List<TunnelSummary> list() throws TunnelServiceException {
        List<TunnelSummary> out = new ArrayList<>();
        for (String name : names()) {
            Config c;
            try {
                c = store.load(name);
            } catch (StoreException e) {
                c = null;
            } catch (IOException e) {
                throw TunnelViews.exception(e);
            }
            out.add(TunnelViews.summary(name, state(name), c, interfaceOf(name)));
        }
        return out;
    }

    @Override
    public TunnelView get(String name) throws TunnelServiceException {
        String text = StoreCalls.call(() -> store.read(name));
        Config c;
        try {
            c = Config.parse(text);
        } catch (BadConfigException e) {
            c = null;
        }
        return new TunnelView(name, state(name), text, c == null ? null : TunnelViews.details(c));
    }

    @Override
    public List<TunnelStats> stats(String name) throws TunnelServiceException {
        if (name != null && !store.exists(name)) {
            throw new TunnelServiceException(ErrorCode.NOT_FOUND, "no tunnel named " + name);
        }
        List<Slot> running;
        synchronized (this) {
            running = slots.values().stream().filter(s -> s.state == TunnelState.RUNNING && s.tunnel != null)
                    .filter(s -> name == null || s.name.equals(name))
                    .sorted((a, b) -> a.name.compareTo(b.name)).toList();
        }
        List<TunnelStats> out = new ArrayList<>();
        for (Slot s : running) {
            RunningTunnel t;
            synchronized (this) {
                t = s.tunnel;
            }
            if (t == null) {
                continue;
            }
            List<PeerStats> peers = new ArrayList<>();
            for (PeerCounters p : t.peerCounters()) {
                peers.add(new PeerStats(p.publicKey().toBase64(), p.rxBytes(), p.txBytes(),
                        p.lastHandshakeEpochNanos() / 1_000_000));
            }
            java.util.OptionalInt port = t.listenPort();
            java.util.OptionalInt mtu = t.mtu();
            out.add(new TunnelStats(s.name, peers, t.interfaceName(), port.isPresent() ? port.getAsInt() : null,
                    mtu.isPresent() ? mtu.getAsInt() : null));
        }
        return out;
    }

    private void publishStats() {
        long nowMs = System.currentTimeMillis();
        if (nowMs - lastStatsMs < UNWATCHED_STATS_MS && !statsWanted()) {
            return; // nobody shows the counters: the handshake log needs a look every few seconds only
        }
        lastStatsMs = nowMs;
        try {
            List<TunnelStats> stats = stats(null);
            handshakes.observe(stats, nowMs);
            if (!stats.isEmpty()) {
                emit(new Event.StatsUpdate(stats));
            }
        } catch (TunnelServiceException | RuntimeException e) {
            // nothing to publish this time
        }
    }

    /** A plain loop: this runs once a stats interval in an idle service, where its code stays interpreted. */
    private boolean statsWanted() {
        for (Receiver r : receivers) {
            if (r.wantsStats().getAsBoolean()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public byte[] exportZip() throws TunnelServiceException {
        return StoreCalls.call(() -> store.exportZip());
    }

    @Override
    public AutoCloseable subscribe(Consumer<Event> receiver, BooleanSupplier wantsStats) {
        Receiver r = new Receiver(Objects.requireNonNull(receiver, "receiver"), Objects.requireNonNull(wantsStats));
        receivers.add(r);
        return () -> receivers.remove(r);
    }

    // ------------------------------------------------------------------ store changes

    @Override
    public List<ImportEntry> importText(String name, String text, boolean replace) throws TunnelServiceException {
        synchronized (this) {
            if (replace && store.exists(name)) {
                requireStopped(name, "replace");
            }
            return StoreCalls.importText(store, name, text, replace, this::changed);
        }
    }

    @Override
    public List<ImportEntry> importZip(byte[] zip, boolean replace) throws TunnelServiceException {
        synchronized (this) {
            if (replace) {
                for (Slot s : slots.values()) {
                    if (!isIdle(s.state)) {
                        throw new TunnelServiceException(ErrorCode.WRONG_STATE, "replacing imports are refused while "
                                + s.name + " is " + s.state + "; stop the tunnels first");
                    }
                }
            }
            return StoreCalls.importZip(store, zip, replace, this::changed);
        }
    }

    @Override
    public void create(String name, String text) throws TunnelServiceException {
        StoreCalls.run(() -> store.create(name, text));
        changed("created " + name);
    }

    /** Refused while the tunnel is not STOPPED or FAILED (stop it, update, start it). */
    @Override
    public void update(String name, String text) throws TunnelServiceException {
        synchronized (this) {
            requireStopped(name, "update");
            StoreCalls.run(() -> store.update(name, text));
        }
        changed("updated " + name);
    }

    @Override
    public void rename(String name, String newName) throws TunnelServiceException {
        synchronized (this) {
            requireStopped(name, "rename");
            StoreCalls.run(() -> store.rename(name, newName));
            slots.remove(name);
            if (wanted.remove(name)) {
                writeRunningSet();
            }
        }
        changed("renamed " + name + " to " + newName);
    }

    @Override
    public void delete(String name) throws TunnelServiceException {
        synchronized (this) {
            requireStopped(name, "delete");
            StoreCalls.run(() -> store.delete(name));
            slots.remove(name);
            if (wanted.remove(name)) {
                writeRunningSet();
            }
        }
        changed("deleted " + name);
    }

    // ------------------------------------------------------------------ settings

    /** What {@link #onDemandAvailable()} reports from now on (e.g. whether NetworkManager is reachable). */
    public void setOnDemandAvailability(BooleanSupplier available) {
        onDemandAvailable = Objects.requireNonNull(available, "available");
    }

    @Override
    public boolean onDemandAvailable() {
        try {
            return onDemandAvailable.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public TunnelSettings settings(String name) throws TunnelServiceException {
        return StoreCalls.call(() -> store.settings(name));
    }

    @Override
    public void setSettings(String name, TunnelSettings value) throws TunnelServiceException {
        Objects.requireNonNull(value, "settings");
        boolean running;
        synchronized (this) {
            StoreCalls.run(() -> store.setSettings(name, value));
            running = !isIdle(state(name));
        }
        log.info(name, "settings: block untunneled " + (value.blockUntunneled() ? "on" : "off")
                + (value.allowLan() ? " (LAN allowed)" : "") + ", on demand " + describe(value.onDemand())
                + (running ? "; the kill switch setting applies from the next start" : ""));
        emit(new Event.SettingsChanged(name, value));
    }

    /**
     * The on-demand rules of every tunnel that has any; a tunnel whose settings cannot be read is left out (logged).
     * Changes arrive afterwards as {@link Event.SettingsChanged} (and {@link Event.TunnelsChanged} for renames and
     * deletions) through {@link #subscribe}.
     */
    public Map<String, OnDemandRules> onDemandRules() {
        Map<String, OnDemandRules> out = new java.util.TreeMap<>();
        List<String> names;
        try {
            names = store.names();
        } catch (IOException e) {
            log.error(null, "cannot list tunnels for on-demand rules: " + e.getMessage());
            return out;
        }
        for (String n : names) {
            try {
                OnDemandRules r = store.settings(n).onDemand();
                if (r.enabled()) {
                    out.put(n, r);
                }
            } catch (IOException | StoreException e) {
                log.warn(n, "on-demand rules not applied: " + e.getMessage());
            }
        }
        return out;
    }

    private static String describe(OnDemandRules r) {
        if (!r.enabled()) {
            return "off";
        }
        List<String> parts = new ArrayList<>();
        if (r.onWifi()) {
            parts.add("on Wi-Fi" + (r.trustedSsids().isEmpty() ? "" : " except " + r.trustedSsids().size()
                    + " trusted SSID(s)"));
        }
        if (r.onWired()) {
            parts.add("on wired");
        }
        return String.join(", ", parts);
    }

    private void requireStopped(String name, String what) throws TunnelServiceException {
        TunnelState s = state(name);
        if (!isIdle(s)) {
            throw new TunnelServiceException(ErrorCode.WRONG_STATE, "cannot " + what + " " + name + " while it is " + s
                    + "; stop it first");
        }
    }

    private static boolean isIdle(TunnelState s) {
        return s == TunnelState.STOPPED || s == TunnelState.FAILED;
    }

    // ------------------------------------------------------------------ start / stop

    @Override
    public void start(String name) throws TunnelServiceException {
        Config stored = StoreCalls.call(() -> store.load(name));
        Config config = settings.allowScripts() ? stored : withoutScripts(name, stored);
        // Unreadable settings refuse the start: a tunnel meant to block untunneled traffic must not come up open.
        TunnelSettings tunnelSettings = StoreCalls.call(() -> store.settings(name));
        synchronized (this) {
            if (closing) {
                throw new TunnelServiceException(ErrorCode.FAILED, "the service is shutting down");
            }
            Slot slot = slots.computeIfAbsent(name, Slot::new);
            if (slot.state == TunnelState.RUNNING || slot.state == TunnelState.STARTING) {
                return;
            }
            if (slot.state == TunnelState.STOPPING) {
                throw new TunnelServiceException(ErrorCode.WRONG_STATE, name + " is stopping; start it again afterwards");
            }
            for (Slot other : slots.values()) {
                if (other == slot || other.config == null || isIdle(other.state)) {
                    continue;
                }
                Optional<String> clash = Overlap.find(config, other.config);
                if (clash.isPresent()) {
                    String msg = "cannot start " + name + ": it overlaps tunnel " + other.name + " (" + other.state
                            + "): " + clash.get() + "; stop " + other.name + " first";
                    log.warn(name, msg);
                    throw new TunnelServiceException(ErrorCode.WRONG_STATE, msg);
                }
            }
            Optional<String> unavailable = factory.unavailabilityCause();
            if (unavailable.isPresent()) {
                throw new TunnelServiceException(ErrorCode.FAILED, "cannot create tunnels here: " + unavailable.get());
            }
            slot.config = config;
            slot.policy = new io.wirefx.platform.TrafficPolicy(tunnelSettings.blockUntunneled(),
                    tunnelSettings.allowLan());
            slot.stopRequested = false;
            transition(slot, TunnelState.STARTING, null);
            if (wanted.add(name)) {
                writeRunningSet();
            }
            Thread.ofVirtual().name("wirefx-up-" + name).start(() -> bringUp(slot));
        }
    }

    private Config withoutScripts(String name, Config c) {
        Interface i = c.iface();
        if (i.preUp().isEmpty() && i.postUp().isEmpty() && i.preDown().isEmpty() && i.postDown().isEmpty()) {
            return c;
        }
        log.warn(name, "PreUp/PostUp/PreDown/PostDown ignored: scripts are disabled in the service settings");
        Interface stripped = i.toBuilder().preUp(List.of()).postUp(List.of()).preDown(List.of())
                .postDown(List.of()).build();
        return c.toBuilder().iface(stripped).build();
    }

    /** On its own thread: the steps of {@code wirefx run} up to "is up". */
    private void bringUp(Slot slot) {
        String name = slot.name;
        Config config;
        io.wirefx.platform.TrafficPolicy policy;
        synchronized (this) {
            config = slot.config;
            policy = slot.policy;
        }
        String iface = interfaceNames.apply(name);
        // No config file: SaveConfig never rewrites the store.
        TunnelLifecycle life = new TunnelLifecycle(name, iface, config, factory, network.forTunnel(
                new TunnelNetworkSpec(name, iface, config, settings.runtimeDir(), Optional.empty(),
                        line -> log.info(name, line), policy)));
        try {
            life.prepare();
            RunningTunnel tunnel = life.startTunnel();
            synchronized (this) {
                slot.life = life;
                slot.tunnel = tunnel;
            }
            tunnel.onStopped(why -> Thread.ofVirtual().start(() -> stoppedByItself(slot, tunnel, why)));
            life.networkUp();
        } catch (NetconfigException | RuntimeException e) {
            life.close();
            synchronized (this) {
                slot.life = null;
                slot.tunnel = null;
                slot.config = null;
                if (!closing && !slot.stopRequested) {
                    wanted.remove(name);
                    writeRunningSet();
                }
                String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                if (slot.stopRequested) {
                    transition(slot, TunnelState.STOPPED, null);
                } else {
                    transition(slot, TunnelState.FAILED, msg);
                }
            }
            return;
        }
        boolean stopNow;
        synchronized (this) {
            stopNow = slot.stopRequested;
            if (stopNow) {
                transition(slot, TunnelState.STOPPING, null);
            } else {
                transition(slot, TunnelState.RUNNING, null);
                lastStatsMs = 0; // the handshake log's clock for this tunnel starts at the next tick
            }
        }
        if (stopNow) {
            tearDown(slot, null);
        }
    }

    @Override
    public void stop(String name) throws TunnelServiceException {
        if (!store.exists(name)) {
            throw new TunnelServiceException(ErrorCode.NOT_FOUND, "no tunnel named " + name);
        }
        stopSlot(name, true);
    }

    /** {@code forget}: also remove it from the set restored at the next start. */
    private void stopSlot(String name, boolean forget) {
        Slot slot;
        synchronized (this) {
            if (forget && wanted.remove(name)) {
                writeRunningSet();
            }
            slot = slots.get(name);
            if (slot == null) {
                return;
            }
            switch (slot.state) {
                case FAILED -> {
                    transition(slot, TunnelState.STOPPED, null);
                    return;
                }
                case STARTING -> {
                    slot.stopRequested = true; // the bring-up thread tears down when it is done
                    return;
                }
                case RUNNING -> transition(slot, TunnelState.STOPPING, null);
                default -> {
                    return;
                }
            }
        }
        Thread.ofVirtual().name("wirefx-down-" + name).start(() -> tearDown(slot, null));
    }

    /** The interface disappeared or the engine failed: tear down the rest, end in FAILED. */
    private void stoppedByItself(Slot slot, RunningTunnel which, String why) {
        synchronized (this) {
            if (slot.tunnel != which || slot.state != TunnelState.RUNNING) {
                return; // a stop of ours, or the bring-up will notice
            }
            transition(slot, TunnelState.STOPPING, why);
            if (!closing) {
                wanted.remove(slot.name);
                writeRunningSet();
            }
        }
        tearDown(slot, "tunnel stopped by itself: " + why);
    }

    /** On its own thread: from STOPPING to STOPPED (or FAILED with {@code failure}). */
    private void tearDown(Slot slot, String failure) {
        TunnelLifecycle life;
        synchronized (this) {
            life = slot.life;
        }
        List<String> problems = List.of();
        if (life != null) {
            problems = life.down();
            life.close();
        }
        synchronized (this) {
            slot.life = null;
            slot.tunnel = null;
            slot.config = null;
            if (!problems.isEmpty()) {
                transition(slot, TunnelState.FAILED, "teardown incomplete: " + String.join("; ", problems));
            } else if (failure != null) {
                transition(slot, TunnelState.FAILED, failure);
            } else {
                transition(slot, TunnelState.STOPPED, null);
            }
            notifyAll();
        }
    }

    /**
     * Stops every tunnel (waiting up to the settings' stop timeout) without forgetting which were up, so that the
     * next start restores them; then stops the stats timer.
     */
    @Override
    public void close() {
        List<String> names;
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            names = new ArrayList<>(slots.keySet());
        }
        for (String n : names) {
            stopSlot(n, false);
        }
        long deadline = System.nanoTime() + settings.stopTimeout().toNanos();
        synchronized (this) {
            while (slots.values().stream().anyMatch(s -> !isIdle(s.state))) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    log.error(null, "tunnels still not down at shutdown: " + slots.values().stream()
                            .filter(s -> !isIdle(s.state)).map(s -> s.name).toList());
                    break;
                }
                try {
                    wait(Math.min(left, 200));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        scheduler.shutdownNow();
    }

    // ------------------------------------------------------------------ internals

    private List<String> names() throws TunnelServiceException {
        return StoreCalls.call(() -> store.names());
    }

    /** Caller holds this; events go out under the lock so each tunnel's transitions arrive in order. */
    private void transition(Slot slot, TunnelState state, String reason) {
        slot.state = state;
        slot.reason = reason;
        log.log(state == TunnelState.FAILED ? LogLevel.ERROR : LogLevel.INFO, slot.name,
                state + (reason == null ? "" : ": " + reason));
        emit(new Event.TunnelStateChanged(slot.name, state, reason));
        notifyAll();
    }

    private void changed(String what) {
        log.info(null, what);
        emit(new Event.TunnelsChanged());
    }

    private void emit(Event e) {
        for (Receiver r : receivers) {
            try {
                r.events().accept(e);
            } catch (RuntimeException ignored) {
                // receivers must not break the service
            }
        }
    }
}
