package io.wirefx.ui.service;

import io.wirefx.ipc.ErrorCode;
import io.wirefx.ipc.Event;
import io.wirefx.ipc.EventKind;
import io.wirefx.ipc.ImportEntry;
import io.wirefx.ipc.IpcClient;
import io.wirefx.ipc.IpcException;
import io.wirefx.ipc.LogEntry;
import io.wirefx.ipc.Response;
import io.wirefx.ipc.TunnelStats;
import io.wirefx.ipc.TunnelSummary;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link ServiceClient} over the service's endpoint ({@link IpcClient}; the transport by the address), reconnecting by itself with a capped
 * backoff. Requests run one at a time on a worker thread, so they reach the service in the order they were made;
 * listener calls (connection changes and events) are serialized on one dispatcher thread.
 */
public final class IpcServiceClient implements ServiceClient {
    private static final Logger LOG = Logger.getLogger(IpcServiceClient.class.getName());
    private static final Duration MIN_BACKOFF = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(3);

    private final Path socket;
    private final String clientName;
    private final Duration timeout;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService requests = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("wirefx-ui-requests").factory());
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("wirefx-ui-events").factory());
    private final LinkedBlockingQueue<Boolean> wakeups = new LinkedBlockingQueue<>();
    private final Object lock = new Object();
    private volatile IpcClient client;
    private volatile ConnectionState state;
    private volatile boolean closed;
    private Thread connector;

    public IpcServiceClient(Path socket, String clientName, Duration timeout) {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.clientName = Objects.requireNonNull(clientName, "clientName");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.state = ConnectionState.connecting(socket);
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    @Override
    public ConnectionState connectionState() {
        return state;
    }

    @Override
    public void start() {
        synchronized (lock) {
            if (connector != null || closed) {
                return;
            }
            connector = Thread.ofPlatform().daemon().name("wirefx-ui-connector").start(this::connectLoop);
        }
    }

    @Override
    public void reconnectNow() {
        wakeups.offer(Boolean.TRUE);
    }

    private void connectLoop() {
        Duration backoff = MIN_BACKOFF;
        while (!closed) {
            IpcClient current = client;
            if (current == null || !current.isConnected()) {
                ConnectionState next = tryConnect();
                if (next.isConnected()) {
                    backoff = MIN_BACKOFF;
                } else {
                    publish(next);
                }
            }
            try {
                // Woken early by reconnectNow() or a lost connection; otherwise poll with backoff while down.
                Boolean wake = wakeups.poll(client != null && client.isConnected() ? 3_600_000 : backoff.toMillis(),
                        TimeUnit.MILLISECONDS);
                if (wake == null && (client == null || !client.isConnected())) {
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private ConnectionState tryConnect() {
        IpcClient c;
        try {
            c = IpcClient.connect(socket.toString(), clientName, new IpcClient.Listener() {
                @Override
                public void onEvent(Event event) {
                    dispatch(l -> l.onEvent(event));
                }

                @Override
                public void onDisconnected(Exception cause) {
                    onLost(cause);
                }
            }, timeout);
        } catch (IpcException e) {
            return refused(e.code(), e.getMessage());
        } catch (IOException e) {
            return unreachable(e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "connecting to the service failed", e);
            return new ConnectionState(ConnectionState.Status.INCOMPATIBLE, null, socket, e.toString());
        }
        try {
            c.subscribe(EnumSet.allOf(EventKind.class));
        } catch (IpcException e) {
            c.close();
            return refused(e.code(), e.getMessage());
        } catch (IOException e) {
            c.close();
            return unreachable(e);
        }
        client = c;
        ConnectionState connected = ConnectionState.connected(socket, c.role());
        publish(connected);
        return connected;
    }

    private ConnectionState refused(ErrorCode code, String message) {
        ConnectionState.Status status = switch (code) {
            case ACCESS_DENIED, FORBIDDEN -> ConnectionState.Status.ACCESS_DENIED;
            case BUSY -> ConnectionState.Status.BUSY;
            default -> ConnectionState.Status.INCOMPATIBLE;
        };
        return new ConnectionState(status, null, socket, message);
    }

    private ConnectionState unreachable(IOException e) {
        boolean permission = e instanceof AccessDeniedException
                || (e instanceof SocketException && String.valueOf(e.getMessage()).contains("ermission denied"))
                || (Files.exists(socket) && !Files.isWritable(socket));
        return new ConnectionState(permission ? ConnectionState.Status.PERMISSION_DENIED
                : ConnectionState.Status.UNREACHABLE, null, socket, e.getMessage());
    }

    private void onLost(Exception cause) {
        if (closed) {
            return;
        }
        client = null;
        LOG.fine(() -> "service connection lost: " + cause);
        publish(new ConnectionState(ConnectionState.Status.UNREACHABLE, null, socket,
                cause == null ? null : cause.getMessage()));
        wakeups.offer(Boolean.TRUE);
    }

    private void publish(ConnectionState next) {
        ConnectionState previous = state;
        state = next;
        if (!next.equals(previous)) {
            dispatch(l -> l.onConnectionChanged(next));
        }
    }

    private void dispatch(java.util.function.Consumer<Listener> call) {
        if (dispatcher.isShutdown()) {
            return;
        }
        try {
            dispatcher.execute(() -> {
                for (Listener l : listeners) {
                    try {
                        call.accept(l);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "UI listener failed", e);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // closing
        }
    }

    // ---- requests ------------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Call<T> {
        T run(IpcClient client) throws IOException, IpcException;
    }

    private <T> CompletableFuture<T> submit(Call<T> call) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            requests.execute(() -> {
                IpcClient c = client;
                if (c == null || !c.isConnected()) {
                    future.completeExceptionally(ServiceException.connection("not connected to the WireFX service"));
                    return;
                }
                try {
                    future.complete(call.run(c));
                } catch (IpcException e) {
                    future.completeExceptionally(new ServiceException(e.code(), e.getMessage(), e.configError()));
                } catch (IOException e) {
                    future.completeExceptionally(ServiceException.connection(e.getMessage()));
                } catch (RuntimeException e) {
                    future.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            future.completeExceptionally(ServiceException.connection("client closed"));
        }
        return future;
    }

    @Override
    public CompletableFuture<List<TunnelSummary>> listTunnels() {
        return submit(IpcClient::list);
    }

    @Override
    public CompletableFuture<Response.Settings> settings(String name) {
        return submit(c -> c.settings(name));
    }

    @Override
    public CompletableFuture<Void> setSettings(String name, io.wirefx.ipc.TunnelSettings settings) {
        return submit(c -> {
            c.setSettings(name, settings);
            return null;
        });
    }

    @Override
    public CompletableFuture<Response.TunnelConfig> getTunnel(String name) {
        return submit(c -> c.get(name));
    }

    @Override
    public CompletableFuture<List<ImportEntry>> importConfig(String name, String text, boolean replace) {
        return submit(c -> c.importConfig(name, text, replace));
    }

    @Override
    public CompletableFuture<List<ImportEntry>> importZip(byte[] zip, boolean replace) {
        return submit(c -> c.importZip(zip, replace));
    }

    @Override
    public CompletableFuture<Void> create(String name, String text) {
        return submit(c -> {
            c.create(name, text);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> update(String name, String text) {
        return submit(c -> {
            c.update(name, text);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> rename(String name, String newName) {
        return submit(c -> {
            c.rename(name, newName);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> delete(String name) {
        return submit(c -> {
            c.delete(name);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> start(String name) {
        return submit(c -> {
            c.start(name);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> stop(String name) {
        return submit(c -> {
            c.stop(name);
            return null;
        });
    }

    @Override
    public CompletableFuture<List<TunnelStats>> stats(String name) {
        return submit(c -> c.stats(name));
    }

    @Override
    public CompletableFuture<List<LogEntry>> logTail(int lines) {
        return submit(c -> c.logTail(lines).lines());
    }

    @Override
    public CompletableFuture<byte[]> exportZip() {
        return submit(IpcClient::exportZip);
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (connector != null) {
                connector.interrupt();
            }
        }
        IpcClient c = client;
        client = null;
        if (c != null) {
            c.close();
        }
        requests.shutdownNow();
        dispatcher.shutdownNow();
    }
}
