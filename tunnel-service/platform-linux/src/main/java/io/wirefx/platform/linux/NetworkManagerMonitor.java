package io.wirefx.platform.linux;

import io.wirefx.platform.NetworkMonitor;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.IDisconnectCallback;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.matchrules.DBusMatchRuleBuilder;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.messages.constants.MessageTypes;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The networks as NetworkManager sees them, read over the system bus ({@code DBUS_SYSTEM_BUS_ADDRESS} when set, as
 * for every D-Bus client).
 *
 * <p>Read: the manager's {@code ActiveConnections}; of each one in state ACTIVATED, its {@code Type}
 * ({@code 802-11-wireless} → Wi-Fi, {@code 802-3-ethernet} → wired, anything else → other) and {@code Id}; for Wi-Fi,
 * the {@code Ssid} of its device's {@code ActiveAccessPoint} (or of the connection's {@code SpecificObject}, which
 * NetworkManager sets to the access point). SSIDs are bytes: valid UTF-8 is read as such, anything else with U+FFFD
 * for each malformed sequence ({@link NetworkMonitor#NOT_UTF8}), which the rules never trust.
 *
 * <p>Followed: every signal under {@code /org/freedesktop/NetworkManager} (PropertiesChanged, StateChanged of the
 * manager, devices and active connections) and the bus name's owner changes; each burst of signals leads to one
 * re-read after {@value #SETTLE_MS} ms, and listeners hear of the result when it differs. When NetworkManager is not
 * on the bus the snapshot is unavailable ("NetworkManager is not running") until it appears; when the connection to
 * the bus is lost, the snapshot is unavailable and the monitor reconnects every {@code retry}. A read that fails
 * otherwise is retried a few times at once (an object removed between two reads), then reported as unavailable and
 * retried every {@code retry}.
 *
 * <p>One thread ({@code wirefx-netmon}) does all reads, reconnects and listener calls.
 */
public final class NetworkManagerMonitor implements NetworkMonitor {
    private static final Logger LOG = Logger.getLogger(NetworkManagerMonitor.class.getName());

    static final String NM = "org.freedesktop.NetworkManager";
    static final String NM_PATH = "/org/freedesktop/NetworkManager";
    static final String ACTIVE = NM + ".Connection.Active";
    static final String WIRELESS = NM + ".Device.Wireless";
    static final String ACCESS_POINT = NM + ".AccessPoint";
    static final int ACTIVATED = 2;
    static final long SETTLE_MS = 100;
    /** The system bus where {@code DBUS_SYSTEM_BUS_ADDRESS} is not set. */
    public static final String DEFAULT_SYSTEM_BUS = "unix:path=/run/dbus/system_bus_socket";

    private final String address;
    private final Duration retry;
    private final ScheduledExecutorService thread;
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean refreshPending = new AtomicBoolean();
    private volatile Snapshot current = Snapshot.unavailable("not connected to the system bus yet");
    private volatile boolean closed;
    private DBusConnection bus; // the monitor thread only
    private boolean reconnectPending; // the monitor thread only
    private int failedReads; // in a row; the monitor thread only
    private boolean slowRetryPending; // the monitor thread only
    private static final int QUICK_RETRIES = 5;

    private NetworkManagerMonitor(String address, Duration retry) {
        this.address = address;
        this.retry = retry;
        this.thread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("wirefx-netmon").factory());
    }

    /** The system bus's address: {@code DBUS_SYSTEM_BUS_ADDRESS}, else {@value #DEFAULT_SYSTEM_BUS}. */
    public static String systemBusAddress() {
        String a = System.getenv("DBUS_SYSTEM_BUS_ADDRESS");
        return a == null || a.isBlank() ? DEFAULT_SYSTEM_BUS : a;
    }

    /**
     * Connects to the bus at {@code address} and reads the state once before returning (at most a few seconds;
     * {@link #current()} then tells whether that worked and why not).
     *
     * @param retry how often to try again while the bus is unreachable
     */
    public static NetworkManagerMonitor start(String address, Duration retry) {
        NetworkManagerMonitor m = new NetworkManagerMonitor(address, retry);
        try {
            m.thread.submit(m::connect).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.FINE, "first NetworkManager read", e);
        }
        return m;
    }

    @Override
    public Snapshot current() {
        return current;
    }

    @Override
    public AutoCloseable subscribe(Consumer<Snapshot> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
        DBusConnection b = bus;
        if (b != null) {
            closeQuietly(b);
        }
    }

    // ------------------------------------------------------------------ the monitor thread

    private void connect() {
        reconnectPending = false;
        if (closed) {
            return;
        }
        Optional<String> missing = missingSocket(address);
        if (missing.isPresent()) { // dbus-java would wait for a long time on it
            publish(Snapshot.unavailable("the system bus (" + address + ") is not reachable: no socket at "
                    + missing.get()));
            scheduleReconnect();
            return;
        }
        DBusConnection b;
        try {
            b = DBusConnectionBuilder.forAddress(address).withShared(false)
                    .withDisconnectCallback(new IDisconnectCallback() {
                        @Override
                        public void disconnectOnError(IOException e) {
                            lost("the system bus connection was lost: " + e.getMessage());
                        }

                        @Override
                        public void exceptionOnTerminate(IOException e) {
                            lost("the system bus connection was lost: " + e.getMessage());
                        }
                    }).build();
            b.addGenericSigHandler(DBusMatchRuleBuilder.create().withType(MessageTypes.SIGNAL)
                    .withPathNamespace(NM_PATH).build(), this::signal);
            b.addGenericSigHandler(DBusMatchRuleBuilder.create().withType(MessageTypes.SIGNAL)
                    .withInterface("org.freedesktop.DBus").withMember("NameOwnerChanged")
                    .withArg0123(0, NM).build(), this::signal);
        } catch (DBusException | RuntimeException e) {
            publish(Snapshot.unavailable("the system bus (" + address + ") is not reachable: " + message(e)));
            scheduleReconnect();
            return;
        }
        bus = b;
        refresh();
    }

    /** For a {@code unix:path=} address whose socket file does not exist, that path. */
    static Optional<String> missingSocket(String address) {
        if (!address.startsWith("unix:path=")) {
            return Optional.empty();
        }
        String path = address.substring("unix:path=".length());
        int comma = path.indexOf(',');
        if (comma >= 0) {
            path = path.substring(0, comma);
        }
        return java.nio.file.Files.exists(java.nio.file.Path.of(path)) ? Optional.empty() : Optional.of(path);
    }

    private void lost(String why) {
        if (closed) {
            return;
        }
        try {
            thread.execute(() -> {
                if (bus != null) {
                    closeQuietly(bus);
                    bus = null;
                }
                publish(Snapshot.unavailable(why));
                scheduleReconnect();
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private void scheduleReconnect() {
        if (!closed && !reconnectPending) {
            reconnectPending = true;
            thread.schedule(this::connect, retry.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** On dbus-java's thread: coalesce a burst of signals into one re-read. */
    private void signal(DBusSignal s) {
        if (!closed && refreshPending.compareAndSet(false, true)) {
            try {
                thread.schedule(() -> {
                    refreshPending.set(false);
                    refresh();
                }, SETTLE_MS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    private void refresh() {
        DBusConnection b = bus;
        if (b == null || closed) {
            return;
        }
        if (!b.isConnected()) {
            lost("the system bus connection was lost");
            return;
        }
        try {
            publish(Snapshot.of(read(b)));
            failedReads = 0;
        } catch (DBusException | DBusExecutionException e) {
            String m = message(e);
            if (m.contains("ServiceUnknown") || m.contains("NameHasNoOwner") || m.contains("was not provided")) {
                publish(Snapshot.unavailable("NetworkManager is not running (" + NM + " is not on the system bus)"));
            } else if (!b.isConnected()) {
                lost("the system bus connection was lost: " + m);
            } else if (++failedReads <= QUICK_RETRIES) {
                // Most likely an object went away between two reads: read again shortly.
                LOG.log(Level.FINE, "NetworkManager read", e);
                signal(null);
            } else {
                publish(Snapshot.unavailable("cannot read NetworkManager's state: " + m));
                if (!slowRetryPending) {
                    slowRetryPending = true;
                    thread.schedule(() -> {
                        slowRetryPending = false;
                        refresh();
                    }, retry.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    private void publish(Snapshot s) {
        if (s.equals(current) || closed) {
            return;
        }
        current = s;
        for (Consumer<Snapshot> l : listeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "network listener failed", e);
            }
        }
    }

    // ------------------------------------------------------------------ reading NetworkManager

    private static List<Connection> read(DBusConnection b) throws DBusException {
        Properties nm = b.getRemoteObject(NM, NM_PATH, Properties.class);
        List<Connection> out = new ArrayList<>();
        for (String path : paths(nm.Get(NM, "ActiveConnections"))) {
            Map<String, Variant<?>> p = b.getRemoteObject(NM, path, Properties.class).GetAll(ACTIVE);
            if (number(p.get("State")) != ACTIVATED) {
                continue;
            }
            String type = string(p.get("Type"));
            String id = string(p.get("Id"));
            Kind kind = switch (type) {
                case "802-11-wireless" -> Kind.WIFI;
                case "802-3-ethernet" -> Kind.WIRED;
                default -> Kind.OTHER;
            };
            Optional<String> ssid = kind == Kind.WIFI ? Optional.of(ssid(b, p)) : Optional.empty();
            out.add(new Connection(id.isEmpty() ? path : id, kind, ssid));
        }
        return out;
    }

    /** The SSID of a Wi-Fi active connection, empty when no access point is known. */
    private static String ssid(DBusConnection b, Map<String, Variant<?>> active) throws DBusException {
        List<String> candidates = new ArrayList<>();
        for (String device : paths(value(active.get("Devices")))) {
            try {
                candidates.add(path(b.getRemoteObject(NM, device, Properties.class).Get(WIRELESS, "ActiveAccessPoint")));
            } catch (DBusExecutionException e) {
                LOG.log(Level.FINE, "no ActiveAccessPoint on " + device, e);
            }
        }
        candidates.add(path(value(active.get("SpecificObject"))));
        for (String ap : candidates) {
            if (ap == null || ap.equals("/") || !ap.startsWith(NM_PATH + "/AccessPoint/")) {
                continue;
            }
            return decodeSsid(bytes(b.getRemoteObject(NM, ap, Properties.class).Get(ACCESS_POINT, "Ssid")));
        }
        return "";
    }

    /** UTF-8 when valid; otherwise each malformed sequence becomes U+FFFD. */
    static String decodeSsid(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            String s = new String(raw, StandardCharsets.UTF_8);
            return s.indexOf(NOT_UTF8) >= 0 ? s : s + NOT_UTF8;
        }
    }

    private static Object value(Object o) {
        return o instanceof Variant<?> v ? v.getValue() : o;
    }

    private static long number(Object o) {
        Object v = value(o);
        return v instanceof UInt32 u ? u.longValue() : v instanceof Number n ? n.longValue() : -1;
    }

    private static String string(Object o) {
        Object v = value(o);
        return v == null ? "" : v.toString();
    }

    private static String path(Object o) {
        Object v = value(o);
        return v instanceof DBusPath p ? p.getPath() : v == null ? null : v.toString();
    }

    private static List<String> paths(Object o) {
        Object v = value(o);
        List<String> out = new ArrayList<>();
        if (v instanceof Object[] a) {
            for (Object x : a) {
                out.add(path(x));
            }
        } else if (v instanceof Collection<?> c) {
            for (Object x : c) {
                out.add(path(x));
            }
        }
        return out;
    }

    private static byte[] bytes(Object o) {
        Object v = value(o);
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof Collection<?> c) {
            byte[] b = new byte[c.size()];
            int i = 0;
            for (Object x : c) {
                b[i++] = ((Number) x).byteValue();
            }
            return b;
        }
        return new byte[0];
    }

    private static String message(Exception e) {
        String m = e.getMessage();
        return (e instanceof DBusExecutionException x && x.getType() != null ? x.getType() + ": " : "")
                + (m == null ? e.getClass().getSimpleName() : m);
    }

    private static void closeQuietly(DBusConnection b) {
        try {
            b.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "system bus close", e);
        }
    }
}
