package io.wirefx.daemon.run;

import io.wirefx.platform.NetconfigException;
import io.wirefx.platform.TunnelNetwork;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * One tunnel's life, the same for the service and for {@code wirefx run}: {@link #prepare()} (preconditions, stale
 * state of the same tunnel undone, journal started) → {@link #startTunnel()} (the interface opened by the platform's
 * driver and recorded, the engine started on it with the configuration) → {@link #networkUp()} (addresses, routes,
 * DNS...) → running → {@link #down()} (network undone, engine and interface closed) → {@link #close()}.
 *
 * <p>Each step undoes what it did when it fails, so a caller that gets an exception only has to {@link #close()}.
 * Callers may stop between steps (a stop requested during the bring-up): {@link #down()} undoes whatever was done.
 * Not thread-safe: one thread drives the steps; {@link #tunnel()} may be read by others once started.
 */
public final class TunnelLifecycle implements AutoCloseable {
    private final String tunnelName;
    private final String interfaceName;
    private final TunnelFactory factory;
    private final TunnelNetwork network;
    private final io.wirefx.core.config.Config config;
    private volatile RunningTunnel tunnel;

    /**
     * @param interfaceName the interface to ask the driver for ({@link io.wirefx.platform.Platform#interfaceNameFor})
     */
    public TunnelLifecycle(String tunnelName, String interfaceName, io.wirefx.core.config.Config config,
                           TunnelFactory factory, TunnelNetwork network) {
        this.tunnelName = Objects.requireNonNull(tunnelName, "tunnelName");
        this.interfaceName = Objects.requireNonNull(interfaceName, "interfaceName");
        this.config = Objects.requireNonNull(config, "config");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.network = Objects.requireNonNull(network, "network");
    }

    public String tunnelName() {
        return tunnelName;
    }

    /** The network configuration (for its journal location and notes). */
    public TunnelNetwork network() {
        return network;
    }

    /** The running tunnel once {@link #startTunnel()} succeeded, else null. */
    public RunningTunnel tunnel() {
        return tunnel;
    }

    /** Step 1: preconditions checked, stale state of this tunnel undone, a new journal begun. */
    public void prepare() throws NetconfigException {
        network.prepare();
    }

    /**
     * Step 2: the interface and the engine. On failure nothing of it is left (the journal is undone).
     *
     * @throws NetconfigException SETUP_FAILED naming the cause
     */
    public RunningTunnel startTunnel() throws NetconfigException {
        RunningTunnel t;
        try {
            t = factory.start(interfaceName, config);
        } catch (IOException | RuntimeException e) {
            network.down();
            throw new NetconfigException(NetconfigException.Kind.SETUP_FAILED, "cannot create the interface "
                    + interfaceName + ": " + e.getMessage(), e);
        }
        try {
            network.interfaceOpened(t.interfaceName());
        } catch (NetconfigException | RuntimeException e) {
            t.close();
            network.down();
            throw e;
        }
        tunnel = t;
        return t;
    }

    /** Step 3: the OS network configuration. On failure the network is undone and the tunnel closed. */
    public void networkUp() throws NetconfigException {
        RunningTunnel t = tunnel;
        if (t == null) {
            throw new IllegalStateException("startTunnel() first");
        }
        try {
            network.up(t);
        } catch (NetconfigException | RuntimeException e) {
            tunnel = null;
            t.close();
            throw e;
        }
    }

    /**
     * Undoes whatever was done, newest first: the network configuration, then the engine and the interface.
     *
     * @return what could not be undone (empty: clean)
     */
    public List<String> down() {
        List<String> problems = network.down();
        RunningTunnel t = tunnel;
        tunnel = null;
        if (t != null) {
            t.close();
        }
        return problems;
    }

    /**
     * Releases the tunnel's lock. A tunnel still open here (a caller that gave up between steps) is closed; its
     * network configuration stays in the journal for the next start to undo. Never throws.
     */
    @Override
    public void close() {
        RunningTunnel t = tunnel;
        tunnel = null;
        if (t != null) {
            t.close();
        }
        network.close();
    }
}
