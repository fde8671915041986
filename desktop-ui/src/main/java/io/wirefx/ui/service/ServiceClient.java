package io.wirefx.ui.service;

import io.wirefx.ipc.Event;
import io.wirefx.ipc.ImportEntry;
import io.wirefx.ipc.LogEntry;
import io.wirefx.ipc.Response;
import io.wirefx.ipc.TunnelStats;
import io.wirefx.ipc.TunnelSummary;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The UI's view of the tunnel service: asynchronous requests and a stream of events and connection changes.
 *
 * <p>Futures complete on a background thread, exceptionally with {@link ServiceException}; listeners are called on
 * a background thread too. View models hop to the UI thread themselves. While the service is unreachable, requests
 * fail at once and the client keeps reconnecting on its own; after each (re)connect listeners get
 * {@link Listener#onConnectionChanged} and must re-read what they display.
 */
public interface ServiceClient extends AutoCloseable {

    /** Receives connection changes and service events (in order, on one background thread). */
    interface Listener {
        void onConnectionChanged(ConnectionState state);

        void onEvent(Event event);
    }

    void addListener(Listener listener);

    void removeListener(Listener listener);

    ConnectionState connectionState();

    /** Starts connecting (and reconnecting whenever the connection is lost). */
    void start();

    /** Tries to connect again now instead of waiting for the next attempt. */
    void reconnectNow();

    CompletableFuture<List<TunnelSummary>> listTunnels();

    CompletableFuture<Response.TunnelConfig> getTunnel(String name);

    CompletableFuture<List<ImportEntry>> importConfig(String name, String text, boolean replace);

    CompletableFuture<List<ImportEntry>> importZip(byte[] zip, boolean replace);

    CompletableFuture<Void> create(String name, String text);

    CompletableFuture<Void> update(String name, String text);

    CompletableFuture<Void> rename(String name, String newName);

    CompletableFuture<Void> delete(String name);

    CompletableFuture<Void> start(String name);

    CompletableFuture<Void> stop(String name);

    CompletableFuture<List<TunnelStats>> stats(String name);

    CompletableFuture<List<LogEntry>> logTail(int lines);

    CompletableFuture<byte[]> exportZip();

    /** A tunnel's settings and whether the service can apply on-demand rules. */
    CompletableFuture<Response.Settings> settings(String name);

    /** Replaces a tunnel's settings (admin). */
    CompletableFuture<Void> setSettings(String name, io.wirefx.ipc.TunnelSettings settings);

    @Override
    void close();
}
