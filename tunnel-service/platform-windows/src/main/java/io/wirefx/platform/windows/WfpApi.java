package io.wirefx.platform.windows;

import io.wirefx.tun.windows.Guid;

/**
 * The Windows Filtering Platform calls the kill switch makes ({@code fwpuclnt.dll}). {@link FwpmLibrary} binds
 * them with JNA on Windows; tests use a fake that records the filters and evaluates flows against them.
 */
public interface WfpApi {

    /** {@code FwpmEngineOpen0} with a session flagged {@code FWPM_SESSION_FLAG_DYNAMIC}; returns the engine handle. */
    long openDynamicSession(String displayName) throws WindowsException;

    /** {@code FwpmTransactionBegin0}. */
    void begin(long engine) throws WindowsException;

    /** {@code FwpmTransactionCommit0}. */
    void commit(long engine) throws WindowsException;

    /** {@code FwpmTransactionAbort0}. */
    void abort(long engine) throws WindowsException;

    /** {@code FwpmProviderAdd0}. */
    void addProvider(long engine, Guid key, String displayName) throws WindowsException;

    /** {@code FwpmSubLayerAdd0} with the given weight ({@code UINT16}). */
    void addSublayer(long engine, Guid key, Guid provider, String displayName, int weight) throws WindowsException;

    /** {@code FwpmFilterAdd0} in the sublayer; returns the filter id. */
    long addFilter(long engine, Guid provider, Guid sublayer, WfpFilter filter) throws WindowsException;

    /** {@code FwpmEngineClose0}: ends the session, which deletes every object it added. */
    void close(long engine) throws WindowsException;
}
