package io.wirefx.daemon.ipc;

import io.wirefx.ipc.Event;
import io.wirefx.ipc.ImportEntry;
import io.wirefx.ipc.TunnelStats;
import io.wirefx.ipc.TunnelSettings;
import io.wirefx.ipc.TunnelSummary;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What the IPC server needs from the service: the tunnel manager implements it ({@link SimulatedTunnelService} is a
 * stand-in for tests and UI work). The server authorizes callers and redacts answers before and after calling it;
 * implementations return full data (secrets included) and never need to know who asks.
 *
 * <p>Methods may be called concurrently from many connection threads. They should not block for long: start and
 * stop return once the change is under way (the result arrives as {@link Event.TunnelStateChanged}). Refusals are
 * {@link TunnelServiceException}s with the protocol error code to answer with.
 */
public interface TunnelService {
    /** All tunnels, sorted by name. */
    List<TunnelSummary> list() throws TunnelServiceException;

    /** One tunnel, secrets included; NOT_FOUND. */
    TunnelView get(String name) throws TunnelServiceException;

    /** Imports one configuration under {@code name}; the single entry tells the outcome. */
    List<ImportEntry> importText(String name, String text, boolean replace) throws TunnelServiceException;

    /** Imports the {@code NAME.conf} entries of a zip, one entry each (plus {@code "(archive)"} for archive errors). */
    List<ImportEntry> importZip(byte[] zip, boolean replace) throws TunnelServiceException;

    /** ALREADY_EXISTS, INVALID_NAME, INVALID_CONFIG. */
    void create(String name, String text) throws TunnelServiceException;

    /** NOT_FOUND, INVALID_CONFIG; what happens to a running tunnel is the implementation's choice. */
    void update(String name, String text) throws TunnelServiceException;

    /** NOT_FOUND, ALREADY_EXISTS, INVALID_NAME, WRONG_STATE. */
    void rename(String name, String newName) throws TunnelServiceException;

    /** NOT_FOUND, WRONG_STATE. */
    void delete(String name) throws TunnelServiceException;

    /** Begins bringing the tunnel up (no-op if already up or starting); NOT_FOUND, INVALID_CONFIG, FAILED. */
    void start(String name) throws TunnelServiceException;

    /** Begins taking the tunnel down (no-op if not running); NOT_FOUND. */
    void stop(String name) throws TunnelServiceException;

    /** Counters of one running tunnel ({@code name}), or of every running tunnel if {@code name} is null. */
    List<TunnelStats> stats(String name) throws TunnelServiceException;

    /** One tunnel's settings; NOT_FOUND, FAILED (the settings file is not valid; the message names it). */
    TunnelSettings settings(String name) throws TunnelServiceException;

    /**
     * Replaces one tunnel's settings and announces them ({@link Event.SettingsChanged}); NOT_FOUND. A running
     * tunnel keeps its kill switch as it is until its next start.
     */
    void setSettings(String name, TunnelSettings settings) throws TunnelServiceException;

    /** Whether on-demand rules can take effect (the service can follow the machine's networks). Default false. */
    default boolean onDemandAvailable() {
        return false;
    }

    /** A zip of all configurations. */
    byte[] exportZip() throws TunnelServiceException;

    /**
     * Registers a receiver of events (state changes, tunnels changed, stats about once a second while tunnels run).
     * The receiver is quick and never blocks; it may be called from any thread. Closing the handle unregisters.
     * {@code wantsStats} tells, whenever asked, whether the receiver currently wants the stats events: while none
     * does, the service may read the tunnels' counters less often and send fewer of them.
     */
    AutoCloseable subscribe(Consumer<Event> receiver, BooleanSupplier wantsStats);

    /** A receiver of every event, stats included. */
    default AutoCloseable subscribe(Consumer<Event> receiver) {
        return subscribe(receiver, () -> true);
    }
}
