package io.wirefx.ui;

import io.wirefx.core.config.BadConfigException;
import io.wirefx.core.config.Config;
import io.wirefx.ipc.ConfigError;
import io.wirefx.ipc.ErrorCode;
import io.wirefx.ipc.Event;
import io.wirefx.ipc.ImportEntry;
import io.wirefx.ipc.InterfaceDetails;
import io.wirefx.ipc.LogEntry;
import io.wirefx.ipc.PeerDetails;
import io.wirefx.ipc.Response;
import io.wirefx.ipc.Role;
import io.wirefx.ipc.TunnelDetails;
import io.wirefx.ipc.TunnelState;
import io.wirefx.ipc.TunnelStats;
import io.wirefx.ipc.TunnelSummary;
import io.wirefx.ui.service.ConnectionState;
import io.wirefx.ui.service.ServiceClient;
import io.wirefx.ui.service.ServiceException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A synchronous in-memory {@link ServiceClient} for view-model tests: answers at once on the calling thread, emits
 * the events the real service would (state changes, tunnels changed), and validates texts with the core parser.
 * Start does not complete a start: tests push states with {@link #setState}, unless {@link #autoRun} is set.
 */
public class FakeService implements ServiceClient {
    public final Map<String, String> texts = new TreeMap<>();
    public final Map<String, TunnelState> states = new TreeMap<>();
    public final List<String> calls = new ArrayList<>();
    public final List<LogEntry> log = new ArrayList<>();
    public boolean autoRun = true;
    /** Each tunnel's settings (absent: the defaults) and what {@link #settings} says about on-demand rules. */
    public final Map<String, io.wirefx.ipc.TunnelSettings> tunnelSettings = new TreeMap<>();
    public volatile boolean onDemandAvailable;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private ConnectionState state = ConnectionState.connected(Path.of("/test.sock"), Role.ADMIN);

    @Override
    public void addListener(Listener l) {
        listeners.add(l);
    }

    @Override
    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    @Override
    public ConnectionState connectionState() {
        return state;
    }

    public void setConnection(ConnectionState s) {
        state = s;
        listeners.forEach(l -> l.onConnectionChanged(s));
    }

    public void emit(Event e) {
        listeners.forEach(l -> l.onEvent(e));
    }

    public void setState(String name, TunnelState s, String reason) {
        states.put(name, s);
        emit(new Event.TunnelStateChanged(name, s, reason));
    }

    @Override
    public void start() {
    }

    @Override
    public void reconnectNow() {
        calls.add("reconnect");
    }

    private <T> CompletableFuture<T> guard(String call, java.util.function.Supplier<T> body) {
        calls.add(call);
        if (!state.isConnected()) {
            return CompletableFuture.failedFuture(ServiceException.connection("not connected"));
        }
        try {
            return CompletableFuture.completedFuture(body.get());
        } catch (ServiceException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static ServiceException fail(ErrorCode code) {
        return new ServiceException(code, code.defaultMessage(), null);
    }

    static ConfigError error(BadConfigException e) {
        return new ConfigError(e.lineNumber(), e.section().name(), e.key().orElse(null), e.reason().name(),
                e.getMessage());
    }

    private static Config parse(String text) {
        try {
            return Config.parse(text);
        } catch (BadConfigException e) {
            throw new ServiceException(ErrorCode.INVALID_CONFIG, e.getMessage(), error(e));
        }
    }

    @Override
    public CompletableFuture<List<TunnelSummary>> listTunnels() {
        return guard("list", () -> texts.entrySet().stream().map(e -> {
            Config c = parse(e.getValue());
            return new TunnelSummary(e.getKey(), states.getOrDefault(e.getKey(), TunnelState.STOPPED),
                    c.iface().addresses().stream().map(Object::toString).toList(), c.peers().size(),
                    c.iface().publicKey().toBase64());
        }).toList());
    }

    @Override
    public CompletableFuture<Response.TunnelConfig> getTunnel(String name) {
        return guard("get " + name, () -> {
            String text = texts.get(name);
            if (text == null) {
                throw fail(ErrorCode.NOT_FOUND);
            }
            Config c = parse(text);
            InterfaceDetails iface = new InterfaceDetails(c.iface().privateKey().toBase64(),
                    c.iface().publicKey().toBase64(),
                    c.iface().listenPort().isPresent() ? c.iface().listenPort().getAsInt() : null, null,
                    c.iface().addresses().stream().map(Object::toString).toList(),
                    c.iface().dnsServers().stream().map(a -> a.getHostAddress()).toList(),
                    c.iface().mtu().isPresent() ? c.iface().mtu().getAsInt() : null, "auto", List.of(), List.of(),
                    List.of(), List.of(), false);
            List<PeerDetails> peers = c.peers().stream().map(p -> new PeerDetails(p.publicKey().toBase64(), null,
                    p.presharedKey().isPresent(), p.allowedIps().stream().map(Object::toString).toList(),
                    p.endpoint().map(Object::toString).orElse(null),
                    p.persistentKeepalive().isPresent() ? p.persistentKeepalive().getAsInt() : null)).toList();
            return new Response.TunnelConfig(0, name, states.getOrDefault(name, TunnelState.STOPPED), text, false,
                    new TunnelDetails(iface, peers),
                    tunnelSettings.getOrDefault(name, io.wirefx.ipc.TunnelSettings.DEFAULT));
        });
    }

    @Override
    public CompletableFuture<Response.Settings> settings(String name) {
        return guard("settings " + name, () -> {
            if (!texts.containsKey(name)) {
                throw fail(ErrorCode.NOT_FOUND);
            }
            return new Response.Settings(0, name,
                    tunnelSettings.getOrDefault(name, io.wirefx.ipc.TunnelSettings.DEFAULT), onDemandAvailable);
        });
    }

    @Override
    public CompletableFuture<Void> setSettings(String name, io.wirefx.ipc.TunnelSettings settings) {
        return guard("setSettings " + name + " " + settings, () -> {
            if (!state.isAdmin()) {
                throw fail(ErrorCode.FORBIDDEN);
            }
            if (!texts.containsKey(name)) {
                throw fail(ErrorCode.NOT_FOUND);
            }
            tunnelSettings.put(name, settings);
            emit(new Event.SettingsChanged(name, settings));
            return null;
        });
    }

    @Override
    public CompletableFuture<List<ImportEntry>> importConfig(String name, String text, boolean replace) {
        return guard("import " + name, () -> {
            if (!Config.isValidInterfaceName(name)) {
                return List.of(new ImportEntry(name + ".conf", name, ErrorCode.INVALID_NAME, null, null));
            }
            if (texts.containsKey(name) && !replace) {
                return List.of(new ImportEntry(name + ".conf", name, ErrorCode.ALREADY_EXISTS, null, null));
            }
            try {
                Config.parse(text);
            } catch (BadConfigException e) {
                return List.of(new ImportEntry(name + ".conf", name, ErrorCode.INVALID_CONFIG, e.getMessage(),
                        error(e)));
            }
            texts.put(name, text);
            emit(new Event.TunnelsChanged());
            return List.of(new ImportEntry(name + ".conf", name, null, null, null));
        });
    }

    @Override
    public CompletableFuture<List<ImportEntry>> importZip(byte[] zip, boolean replace) {
        return guard("importZip", () -> {
            List<ImportEntry> out = new ArrayList<>();
            try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
                for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    String entry = e.getName();
                    String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    String name = io.wirefx.core.config.TunnelNames.fromFileName(entry).orElse(null);
                    if (name == null) {
                        out.add(new ImportEntry(entry, null, ErrorCode.INVALID_NAME, null, null));
                        continue;
                    }
                    try {
                        Config.parse(text);
                        texts.put(name, text);
                        out.add(new ImportEntry(entry, name, null, null, null));
                    } catch (BadConfigException ex) {
                        out.add(new ImportEntry(entry, name, ErrorCode.INVALID_CONFIG, ex.getMessage(), error(ex)));
                    }
                }
            } catch (java.io.IOException e) {
                throw fail(ErrorCode.INVALID_ARCHIVE);
            }
            emit(new Event.TunnelsChanged());
            return out;
        });
    }

    @Override
    public CompletableFuture<Void> create(String name, String text) {
        return guard("create " + name, () -> {
            if (texts.containsKey(name)) {
                throw fail(ErrorCode.ALREADY_EXISTS);
            }
            parse(text);
            texts.put(name, text);
            emit(new Event.TunnelsChanged());
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> update(String name, String text) {
        return guard("update " + name, () -> {
            if (!texts.containsKey(name)) {
                throw fail(ErrorCode.NOT_FOUND);
            }
            parse(text);
            texts.put(name, text);
            emit(new Event.TunnelsChanged());
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> rename(String name, String newName) {
        return guard("rename " + name + " " + newName, () -> {
            if (states.getOrDefault(name, TunnelState.STOPPED) != TunnelState.STOPPED) {
                throw fail(ErrorCode.WRONG_STATE);
            }
            texts.put(newName, texts.remove(name));
            emit(new Event.TunnelsChanged());
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> delete(String name) {
        return guard("delete " + name, () -> {
            if (texts.remove(name) == null) {
                throw fail(ErrorCode.NOT_FOUND);
            }
            states.remove(name);
            emit(new Event.TunnelsChanged());
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> start(String name) {
        return guard("start " + name, () -> {
            if (!texts.containsKey(name)) {
                throw fail(ErrorCode.NOT_FOUND);
            }
            if (autoRun) {
                setState(name, TunnelState.STARTING, null);
                setState(name, TunnelState.RUNNING, null);
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> stop(String name) {
        return guard("stop " + name, () -> {
            setState(name, TunnelState.STOPPING, null);
            setState(name, TunnelState.STOPPED, null);
            return null;
        });
    }

    public final Map<String, TunnelStats> stats = new TreeMap<>();

    @Override
    public CompletableFuture<List<TunnelStats>> stats(String name) {
        return guard("stats " + name, () -> name == null ? List.copyOf(stats.values())
                : stats.containsKey(name) ? List.of(stats.get(name)) : List.of());
    }

    @Override
    public CompletableFuture<List<LogEntry>> logTail(int lines) {
        return guard("logTail", () -> List.copyOf(log.subList(Math.max(0, log.size() - lines), log.size())));
    }

    @Override
    public CompletableFuture<byte[]> exportZip() {
        return guard("export", () -> new byte[0]);
    }

    @Override
    public void close() {
    }

    /** Runs {@code body} with every listener call captured instead of delivered. */
    public void silently(Consumer<FakeService> body) {
        List<Listener> saved = List.copyOf(listeners);
        listeners.clear();
        try {
            body.accept(this);
        } finally {
            listeners.addAll(saved);
        }
    }
}
