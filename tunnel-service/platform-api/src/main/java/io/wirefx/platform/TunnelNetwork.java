package io.wirefx.platform;

import java.util.List;

/**
 * The OS network configuration of one tunnel. Life cycle, one instance per bring-up:
 * {@link #prepare()} → (the caller opens the interface) {@link #interfaceOpened} → (the caller starts the engine)
 * {@link #up} → {@link #down()} → {@link #close()}. A failed {@code up} has undone everything it did.
 */
public interface TunnelNetwork extends AutoCloseable {

    /**
     * Checks the preconditions (tools, the interface not already in use, no other process holding this tunnel),
     * undoes a stale journal of the same tunnel, and starts a new journal. Changes nothing else.
     *
     * @throws NetconfigException PRECONDITION or JOURNAL
     */
    void prepare() throws NetconfigException;

    /** Records the interface the driver opened, so that teardown and crash recovery remove it. */
    void interfaceOpened(String interfaceName) throws NetconfigException;

    /**
     * Brings the network configuration up on the running tunnel. On failure everything recorded is undone.
     *
     * @throws NetconfigException SETUP_FAILED (naming the failing step) or JOURNAL
     */
    void up(TunnelControl tunnel) throws NetconfigException;

    /** Undoes everything recorded, newest first; returns what could not be undone (empty: all clean). */
    List<String> down();

    /** Where the journal of this tunnel is (for messages that tell a user where to look). */
    String journalLocation();

    /** A short note for the "is up" message, e.g. {@code fwmark 51820}; empty if there is nothing to say. */
    default String upNote() {
        return "";
    }

    /** Releases the lock; does not undo anything (call {@link #down()} first). Never throws. */
    @Override
    void close();
}
