package io.wirefx.daemon.service;

import io.wirefx.daemon.ipc.TunnelServiceException;
import io.wirefx.daemon.log.LogRing;
import io.wirefx.ipc.OnDemandRules;
import io.wirefx.ipc.TunnelState;
import io.wirefx.platform.NetworkMonitor;
import io.wirefx.platform.NetworkMonitor.Connection;
import io.wirefx.platform.NetworkMonitor.Kind;
import io.wirefx.platform.NetworkMonitor.Snapshot;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops tunnels by their {@link OnDemandRules} when the network changes (see {@link OnDemandDecision}
 * for how the rules read with several connections).
 *
 * <p><b>Manual toggles.</b> The controller acts only when the set of Wi-Fi and wired networks changes (a network
 * joined or left, another SSID), when a tunnel's rules change ({@link #rulesChanged}), and once when it starts or the
 * network state becomes known again. Between those moments it leaves the tunnels alone: a user who stops an
 * on-demand tunnel on an untrusted Wi-Fi, or starts one at home, keeps it so until the next network change, which
 * applies the rules again. Connections of other kinds (loopback, VPNs, WireFX's own tunnels) coming and going are
 * not a network change.
 *
 * <p>A tunnel that should start while it is still stopping (a network left and joined again quickly) is started as
 * soon as it is down, if the rules still ask for it then. A start the manager refuses (an overlap with a running
 * tunnel, a broken configuration) is logged as a warning and not retried.
 *
 * <p><b>Unknown network.</b> While the monitor is unavailable (no NetworkManager, bus lost), nothing is started or
 * stopped; {@link #available()} is false and {@link #unavailableReason()} says why, for the UI.
 *
 * <p>Every decision that starts or stops a tunnel is logged under the tunnel's name:
 * {@code on-demand: on Wi-Fi 'Cafe' (untrusted) → starting work}.
 */
public final class OnDemandController implements AutoCloseable {

    /** Where the rules come from: each tunnel's rules, by name; tunnels without rules may be left out. */
    @FunctionalInterface
    public interface RulesSource {
        Map<String, OnDemandRules> rules();
    }

    /** What the controller does to tunnels; {@link #of(TunnelManager)} for the real one. */
    public interface Tunnels {
        TunnelState state(String name);

        void start(String name) throws TunnelServiceException;

        void stop(String name) throws TunnelServiceException;

        static Tunnels of(TunnelManager manager) {
            Objects.requireNonNull(manager, "manager");
            return new Tunnels() {
                @Override
                public TunnelState state(String name) {
                    return manager.state(name);
                }

                @Override
                public void start(String name) throws TunnelServiceException {
                    manager.start(name);
                }

                @Override
                public void stop(String name) throws TunnelServiceException {
                    manager.stop(name);
                }
            };
        }
    }

    private final NetworkMonitor monitor;
    private final RulesSource source;
    private final Tunnels tunnels;
    private final LogRing log;
    private AutoCloseable subscription; // guarded by this
    private List<String> lastNetworks; // kind:SSID of the networks last acted on; null = unknown; guarded by this
    private boolean closed; // guarded by this

    public OnDemandController(NetworkMonitor monitor, RulesSource source, Tunnels tunnels, LogRing log) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.source = Objects.requireNonNull(source, "source");
        this.tunnels = Objects.requireNonNull(tunnels, "tunnels");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Follows the monitor and applies the rules to the current network once. */
    public synchronized OnDemandController start() {
        if (subscription == null && !closed) {
            subscription = monitor.subscribe(this::networkChanged);
            networkChanged(monitor.current());
        }
        return this;
    }

    /** Whether the network is known, i.e. the rules are enforced. */
    public boolean available() {
        return monitor.current().available();
    }

    /** Why the rules are not enforced now, or empty when they are. */
    public Optional<String> unavailableReason() {
        return monitor.current().unavailable();
    }

    /**
     * Applies {@code name}'s (new) rules to the current network now, as a network change would; for the settings
     * store to call after it saved a tunnel's rules. Rules turned off leave the tunnel as it is.
     */
    public synchronized void rulesChanged(String name) {
        Snapshot now = monitor.current();
        if (closed || !now.available()) {
            return;
        }
        OnDemandRules rules;
        try {
            rules = source.rules().get(name);
        } catch (RuntimeException e) {
            log.error(name, "on-demand: cannot read the rules of " + name + ": " + e.getMessage());
            return;
        }
        if (rules != null && rules.enabled()) {
            apply(name, rules, relevant(now.connections()));
        }
    }

    synchronized void networkChanged(Snapshot snapshot) {
        if (closed) {
            return;
        }
        if (!snapshot.available()) {
            if (!warnedUnknown) {
                log.warn(null, "on-demand: network state unknown (" + snapshot.unavailable().get()
                        + "); tunnels are left as they are");
                warnedUnknown = true;
            }
            lastNetworks = null;
            return;
        }
        warnedUnknown = false;
        List<Connection> networks = relevant(snapshot.connections());
        List<String> key = networks.stream().map(c -> c.kind() + ":" + c.ssid().orElse("")).distinct().toList();
        if (key.equals(lastNetworks)) {
            return; // manual toggles stand until the next change
        }
        lastNetworks = key;
        log.info(null, "on-demand: networks now " + (networks.isEmpty() ? "none"
                : String.join(", ", networks.stream().map(Connection::describe).toList())));
        Map<String, OnDemandRules> all;
        try {
            all = source.rules();
        } catch (RuntimeException e) {
            log.error(null, "on-demand: cannot read the tunnels' rules: " + e.getMessage());
            return;
        }
        all.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .filter(e -> e.getValue() != null && e.getValue().enabled())
                .forEach(e -> apply(e.getKey(), e.getValue(), networks));
    }

    private boolean warnedUnknown; // guarded by this
    private ScheduledExecutorService retries; // created on first use; guarded by this
    static final long RETRY_MS = 200;

    private void apply(String name, OnDemandRules rules, List<Connection> networks) {
        OnDemandDecision d = OnDemandDecision.decide(rules, networks);
        TunnelState state = tunnels.state(name);
        boolean running = state == TunnelState.RUNNING || state == TunnelState.STARTING;
        boolean idle = state == TunnelState.STOPPED || state == TunnelState.FAILED;
        if (d.up() && state == TunnelState.STOPPING) {
            retryLater(name); // the network came back while the tunnel was going down: start it once it is down
            return;
        }
        try {
            if (d.up() && idle) {
                log.info(name, "on-demand: " + d.reason() + " → starting " + name);
                tunnels.start(name);
            } else if (!d.up() && running) {
                log.info(name, "on-demand: " + d.reason() + " → stopping " + name);
                tunnels.stop(name);
            }
        } catch (TunnelServiceException | RuntimeException e) {
            log.warn(name, "on-demand: could not " + (d.up() ? "start " : "stop ") + name + ": " + e.getMessage());
        }
    }

    private void retryLater(String name) {
        if (closed) {
            return;
        }
        if (retries == null) {
            retries = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("wirefx-on-demand").factory());
        }
        retries.schedule(() -> rulesChanged(name), RETRY_MS, TimeUnit.MILLISECONDS);
    }

    /** The Wi-Fi and wired connections in a stable order (the monitor's order may vary). */
    static List<Connection> relevant(List<Connection> all) {
        return all.stream().filter(c -> c.kind() != Kind.OTHER)
                .sorted(Comparator.comparing(Connection::kind).thenComparing(c -> c.ssid().orElse(""))
                        .thenComparing(Connection::id))
                .toList();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                log.warn(null, "on-demand: " + e.getMessage());
            }
            subscription = null;
        }
        if (retries != null) {
            retries.shutdownNow();
        }
    }
}
