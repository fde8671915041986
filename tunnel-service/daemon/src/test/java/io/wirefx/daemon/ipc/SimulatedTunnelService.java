package io.wirefx.daemon.ipc;

import io.wirefx.core.config.Config;
import io.wirefx.core.config.PeerConfig;
import io.wirefx.daemon.log.LogRing;
import io.wirefx.daemon.store.ConfigStore;
import io.wirefx.daemon.store.StoreException;
import io.wirefx.ipc.ErrorCode;
import io.wirefx.ipc.Event;
import io.wirefx.ipc.ImportEntry;
import io.wirefx.ipc.PeerStats;
import io.wirefx.ipc.TunnelState;
import io.wirefx.ipc.TunnelStats;
import io.wirefx.ipc.TunnelSummary;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link TunnelService} on the real {@link ConfigStore} whose tunnels only pretend to run: start goes STOPPED →
 * STARTING → RUNNING (after {@code transitionDelay}), stop goes RUNNING → STOPPING → STOPPED, counters grow while
 * running and a {@link Event.StatsUpdate} is pushed every {@code statsInterval}. For tests and for working on
 * clients without a packet engine. Running tunnels cannot be renamed or deleted (WRONG_STATE); updates are allowed.
 */
public final class SimulatedTunnelService implements TunnelService, AutoCloseable {
    private final ConfigStore store;
    private final LogRing log;
    private final Duration transitionDelay;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("wirefx-simulated-tunnels").factory());
    private final List<Consumer<Event>> receivers = new CopyOnWriteArrayList<>();
    private final Map<String, TunnelState> states = new HashMap<>(); // guarded by this
    private final Map<String, long[]> counters = new HashMap<>(); // per tunnel: rx, tx (guarded by this)
    private final Map<String, String> failNextStart = new HashMap<>(); // guarded by this

    /**
     * @param transitionDelay time in STARTING/STOPPING (zero: the second transition follows at once, still as its
     *                        own event)
     * @param statsInterval   period of stats events, or null for none (then {@link #publishStats()} pushes them)
     */
    public SimulatedTunnelService(ConfigStore store, LogRing log, Duration transitionDelay, Duration statsInterval,
                                  Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.log = Objects.requireNonNull(log, "log");
        this.transitionDelay = Objects.requireNonNull(transitionDelay, "transitionDelay");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (statsInterval != null) {
            scheduler.scheduleAtFixedRate(this::publishStats, statsInterval.toMillis(), statsInterval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Makes the next start of {@code name} end in FAILED with {@code reason}. */
    public synchronized void failNextStart(String name, String reason) {
        failNextStart.put(name, reason);
    }

    public synchronized TunnelState state(String name) {
        return states.getOrDefault(name, TunnelState.STOPPED);
    }

    @Override
    public List<TunnelSummary> list() throws TunnelServiceException {
        List<TunnelSummary> out = new ArrayList<>();
        for (String name : names()) {
            Config c;
            try {
                c = store.load(name);
            } catch (StoreException e) {
                c = null; // listed, without details: the file was edited into something invalid
            } catch (IOException e) {
                throw TunnelViews.exception(e);
            }
            out.add(TunnelViews.summary(name, state(name), c));
        }
        return out;
    }

    @Override
    public TunnelView get(String name) throws TunnelServiceException {
        String text = read(name);
        Config c;
        try {
            c = Config.parse(text);
        } catch (io.wirefx.core.config.BadConfigException e) {
            c = null;
        }
        return new TunnelView(name, state(name), text, c == null ? null : TunnelViews.details(c));
    }

    @Override
    public List<ImportEntry> importText(String name, String text, boolean replace) throws TunnelServiceException {
        return StoreCalls.importText(store, name, text, replace, this::changed);
    }

    @Override
    public List<ImportEntry> importZip(byte[] zip, boolean replace) throws TunnelServiceException {
        return StoreCalls.importZip(store, zip, replace, this::changed);
    }

    @Override
    public void create(String name, String text) throws TunnelServiceException {
        StoreCalls.run(() -> store.create(name, text));
        changed("created " + name);
    }

    @Override
    public void update(String name, String text) throws TunnelServiceException {
        StoreCalls.run(() -> store.update(name, text));
        changed("updated " + name);
    }

    @Override
    public void rename(String name, String newName) throws TunnelServiceException {
        synchronized (this) {
            requireStopped(name);
            StoreCalls.run(() -> store.rename(name, newName));
            states.remove(name);
        }
        changed("renamed " + name + " to " + newName);
    }

    @Override
    public void delete(String name) throws TunnelServiceException {
        synchronized (this) {
            requireStopped(name);
            StoreCalls.run(() -> store.delete(name));
            states.remove(name);
        }
        changed("deleted " + name);
    }

    private void requireStopped(String name) throws TunnelServiceException {
        TunnelState s = state(name);
        if (s != TunnelState.STOPPED && s != TunnelState.FAILED) {
            throw new TunnelServiceException(ErrorCode.WRONG_STATE, name + " is " + s + "; stop it first");
        }
    }

    @Override
    public void start(String name) throws TunnelServiceException {
        StoreCalls.run(() -> store.load(name));
        synchronized (this) {
            TunnelState s = state(name);
            if (s == TunnelState.RUNNING || s == TunnelState.STARTING) {
                return;
            }
            if (s == TunnelState.STOPPING) {
                throw new TunnelServiceException(ErrorCode.WRONG_STATE, name + " is stopping");
            }
            transition(name, TunnelState.STARTING, null);
            String failure = failNextStart.remove(name);
            schedule(() -> {
                synchronized (this) {
                    if (state(name) != TunnelState.STARTING) {
                        return;
                    }
                    if (failure != null) {
                        transition(name, TunnelState.FAILED, failure);
                    } else {
                        counters.put(name, new long[2]);
                        transition(name, TunnelState.RUNNING, null);
                    }
                }
            });
        }
    }

    @Override
    public void stop(String name) throws TunnelServiceException {
        if (!store.exists(name)) {
            throw new TunnelServiceException(ErrorCode.NOT_FOUND, "no tunnel named " + name);
        }
        synchronized (this) {
            TunnelState s = state(name);
            if (s == TunnelState.FAILED) {
                transition(name, TunnelState.STOPPED, null);
                return;
            }
            if (s != TunnelState.RUNNING && s != TunnelState.STARTING) {
                return;
            }
            transition(name, TunnelState.STOPPING, null);
            schedule(() -> {
                synchronized (this) {
                    if (state(name) == TunnelState.STOPPING) {
                        counters.remove(name);
                        transition(name, TunnelState.STOPPED, null);
                    }
                }
            });
        }
    }

    @Override
    public List<TunnelStats> stats(String name) throws TunnelServiceException {
        if (name != null && !store.exists(name)) {
            throw new TunnelServiceException(ErrorCode.NOT_FOUND, "no tunnel named " + name);
        }
        List<String> running;
        synchronized (this) {
            running = states.entrySet().stream().filter(e -> e.getValue() == TunnelState.RUNNING)
                    .map(Map.Entry::getKey).filter(n -> name == null || n.equals(name)).sorted().toList();
        }
        List<TunnelStats> out = new ArrayList<>();
        for (String n : running) {
            Config c;
            try {
                c = store.load(n);
            } catch (StoreException | IOException e) {
                continue;
            }
            long[] rxTx;
            synchronized (this) {
                rxTx = counters.getOrDefault(n, new long[2]).clone();
            }
            List<PeerStats> peers = new ArrayList<>();
            int i = 0;
            for (PeerConfig p : c.peers()) {
                i++;
                peers.add(new PeerStats(p.publicKey().toBase64(), rxTx[0] * i, rxTx[1] * i,
                        rxTx[0] == 0 ? 0 : clock.millis()));
            }
            // What a real tunnel reports: its configured port and MTU, or what the system chose.
            int port = c.iface().listenPort().orElse(40_000 + Math.floorMod(n.hashCode(), 20_000));
            int mtu = c.iface().mtu().orElse(1420);
            out.add(new TunnelStats(n, peers, null, port, mtu));
        }
        return out;
    }

    /** Advances the counters of running tunnels and pushes a stats event (if any tunnel runs). */
    public void publishStats() {
        synchronized (this) {
            for (long[] c : counters.values()) {
                c[0] += 1500;
                c[1] += 700;
            }
        }
        try {
            List<TunnelStats> stats = stats(null);
            if (!stats.isEmpty()) {
                emit(new Event.StatsUpdate(stats));
            }
        } catch (TunnelServiceException e) {
            // nothing to publish
        }
    }

    private volatile boolean onDemandAvailable;

    /** What {@link #onDemandAvailable()} answers. */
    public void setOnDemandAvailable(boolean value) {
        onDemandAvailable = value;
    }

    @Override
    public boolean onDemandAvailable() {
        return onDemandAvailable;
    }

    @Override
    public io.wirefx.ipc.TunnelSettings settings(String name) throws TunnelServiceException {
        return StoreCalls.call(() -> store.settings(name));
    }

    @Override
    public synchronized void setSettings(String name, io.wirefx.ipc.TunnelSettings settings)
            throws TunnelServiceException {
        StoreCalls.run(() -> store.setSettings(name, settings));
        emit(new Event.SettingsChanged(name, settings));
    }

    @Override
    public byte[] exportZip() throws TunnelServiceException {
        return StoreCalls.call(() -> store.exportZip());
    }

    @Override
    public AutoCloseable subscribe(Consumer<Event> receiver, java.util.function.BooleanSupplier wantsStats) {
        receivers.add(Objects.requireNonNull(receiver));
        return () -> receivers.remove(receiver);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    // ---- internals ---------------------------------------------------------------------------------------------

    private List<String> names() throws TunnelServiceException {
        return StoreCalls.call(() -> store.names());
    }

    private String read(String name) throws TunnelServiceException {
        return StoreCalls.call(() -> store.read(name));
    }

    private void schedule(Runnable r) {
        scheduler.schedule(r, transitionDelay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Caller holds this. Events are emitted under the lock so that each tunnel's transitions arrive in order. */
    private void transition(String name, TunnelState state, String reason) {
        states.put(name, state);
        log.log(state == TunnelState.FAILED ? io.wirefx.ipc.LogLevel.ERROR : io.wirefx.ipc.LogLevel.INFO, name,
                state + (reason == null ? "" : ": " + reason));
        emit(new Event.TunnelStateChanged(name, state, reason));
    }

    private void changed(String what) {
        log.info(null, what);
        emit(new Event.TunnelsChanged());
    }

    private void emit(Event e) {
        for (Consumer<Event> r : receivers) {
            try {
                r.accept(e);
            } catch (RuntimeException ignored) {
                // receivers must not break the service
            }
        }
    }
}
