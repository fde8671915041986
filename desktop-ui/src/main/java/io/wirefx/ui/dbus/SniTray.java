package io.wirefx.ui.dbus;

import io.wirefx.ui.tray.TrayActions;
import io.wirefx.ui.tray.TrayIconHost;
import io.wirefx.ui.tray.TraySnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;

/**
 * The tray icon as a StatusNotifierItem at {@code /StatusNotifierItem} with its {@link SniMenu} at {@code /MenuBar},
 * registered with the session's {@code org.kde.StatusNotifierWatcher}. Icon by state as a themed name
 * ({@code network-vpn}, {@code -acquiring}, {@code -disabled}, {@code -no-route}) with a drawn pixmap for hosts
 * without those icons; tooltip; activate opens the window. Methods arrive on dbus-java's threads; state changes
 * from {@link #update} are sent as NewIcon/NewToolTip/LayoutUpdated signals.
 */
public final class SniTray implements StatusNotifierItem, Properties, TrayIconHost {
    private static final Logger LOG = Logger.getLogger(SniTray.class.getName());
    static final String ITEM_PATH = "/StatusNotifierItem";
    static final String MENU_PATH = "/MenuBar";
    private static final String ITEM_INTERFACE = "org.kde.StatusNotifierItem";

    private final DBusConnection bus;
    private final TrayActions actions;
    private final ResourceBundle bundle;
    private final SniMenu menu;
    private final String busName;
    private volatile TraySnapshot shown;

    private SniTray(DBusConnection bus, TrayActions actions, ResourceBundle bundle, String busName) {
        this.bus = bus;
        this.actions = actions;
        this.bundle = bundle;
        this.busName = busName;
        this.menu = new SniMenu(bus, MENU_PATH, actions, bundle);
        this.shown = new TraySnapshot(false, false, false, bundle.getString("tray.tooltip.noService"), List.of());
    }

    /** Whether a StatusNotifierWatcher (a tray host that takes StatusNotifierItems) runs on {@code bus}. */
    public static boolean watcherPresent(DBusConnection bus) {
        try {
            DBus dbus = bus.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
            return dbus.NameHasOwner(StatusNotifierWatcher.BUS_NAME);
        } catch (DBusException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Exports the item and its menu on {@code bus} under a name of its own and registers it with the watcher.
     *
     * @throws DBusException when there is no watcher or the bus refuses
     */
    public static SniTray install(DBusConnection bus, TrayActions actions, ResourceBundle bundle)
            throws DBusException {
        String name = "org.kde.StatusNotifierItem-" + ProcessHandle.current().pid() + "-1";
        SniTray tray = new SniTray(bus, actions, bundle, name);
        bus.requestBusName(name);
        bus.exportObject(ITEM_PATH, tray);
        bus.exportObject(MENU_PATH, tray.menu);
        tray.register();
        // A tray host that restarts (a shell reload, a panel restart) forgets its items: register again.
        tray.watcherFollow = bus.addSigHandler(DBus.NameOwnerChanged.class, signal -> {
            if (StatusNotifierWatcher.BUS_NAME.equals(signal.name) && !signal.newOwner.isEmpty()) {
                Thread.ofVirtual().start(() -> {
                    try {
                        tray.register();
                        LOG.info(() -> "tray: registered again with a new " + StatusNotifierWatcher.BUS_NAME);
                    } catch (DBusException | RuntimeException e) {
                        LOG.log(Level.INFO, "tray: new watcher refused the item", e);
                    }
                });
            }
        });
        return tray;
    }

    private void register() throws DBusException {
        StatusNotifierWatcher watcher = bus.getRemoteObject(StatusNotifierWatcher.BUS_NAME,
                StatusNotifierWatcher.PATH, StatusNotifierWatcher.class, false);
        watcher.RegisterStatusNotifierItem(busName);
    }

    private volatile AutoCloseable watcherFollow;

    /** The bus name the item registered under. */
    public String busName() {
        return busName;
    }

    @Override
    public void update(TraySnapshot s) {
        TraySnapshot old = shown;
        shown = s;
        menu.show(s);
        try {
            if (!iconName(old).equals(iconName(s))) {
                bus.sendMessage(new NewIcon(ITEM_PATH));
            }
            if (!old.tooltip().equals(s.tooltip())) {
                bus.sendMessage(new NewToolTip(ITEM_PATH));
            }
        } catch (DBusException e) {
            LOG.log(Level.FINE, "tray signal not sent", e);
        }
    }

    @Override
    public void remove() {
        try {
            if (watcherFollow != null) {
                watcherFollow.close();
            }
        } catch (Exception e) {
            LOG.log(Level.FINE, "signal handler not removed", e);
        }
        bus.unExportObject(ITEM_PATH);
        bus.unExportObject(MENU_PATH);
        try {
            bus.releaseBusName(busName);
        } catch (DBusException e) {
            LOG.log(Level.FINE, "bus name not released", e);
        }
    }

    static String iconName(TraySnapshot s) {
        if (!s.serviceConnected()) {
            return "network-vpn-no-route";
        }
        if (s.onlyWaiting()) {
            return "network-vpn-acquiring";
        }
        return s.anyActive() ? "network-vpn" : "network-vpn-disabled";
    }

    /** The themed icon of a notification. */
    static String iconNameFor(io.wirefx.ui.notify.Notice.Kind kind) {
        return switch (kind) {
            case UP -> "network-vpn";
            case DOWN -> "network-vpn-disabled";
            case FAILED, NO_HANDSHAKE -> "network-vpn-no-route";
        };
    }

    /** The state's colour (as in the AWT icon): green up, amber waiting, grey none, red no service. */
    static int argb(TraySnapshot s) {
        if (!s.serviceConnected()) {
            return 0xFFB91C1C;
        }
        if (s.onlyWaiting()) {
            return 0xFFC27803;
        }
        return s.anyActive() ? 0xFF2E9E4F : 0xFF6B7280;
    }

    // ---- org.kde.StatusNotifierItem --------------------------------------------------------------------------------

    @Override
    public void Activate(int x, int y) {
        actions.showWindow();
    }

    @Override
    public void SecondaryActivate(int x, int y) {
        actions.showWindow();
    }

    @Override
    public void ContextMenu(int x, int y) {
        actions.showWindow();
    }

    @Override
    public void Scroll(int delta, String orientation) {
        // nothing to scroll through
    }

    @Override
    public String getObjectPath() {
        return ITEM_PATH;
    }

    // ---- org.freedesktop.DBus.Properties ---------------------------------------------------------------------------

    @Override
    @SuppressWarnings("unchecked")
    public <A> A Get(String iface, String property) {
        Variant<?> v = properties().get(property);
        if (v == null) {
            throw new IllegalArgumentException("no property " + property + " on " + iface);
        }
        return (A) v.getValue();
    }

    @Override
    public <A> void Set(String iface, String property, A value) {
        throw new UnsupportedOperationException("read-only");
    }

    @Override
    public Map<String, Variant<?>> GetAll(String iface) {
        return ITEM_INTERFACE.equals(iface) || iface == null || iface.isEmpty() ? properties() : Map.of();
    }

    private Map<String, Variant<?>> properties() {
        TraySnapshot s = shown;
        Map<String, Variant<?>> p = new LinkedHashMap<>();
        p.put("Category", new Variant<>("ApplicationStatus"));
        p.put("Id", new Variant<>("wirefx"));
        p.put("Title", new Variant<>(bundle.getString("app.name")));
        p.put("Status", new Variant<>("Active"));
        p.put("WindowId", new Variant<>(0));
        p.put("IconName", new Variant<>(iconName(s)));
        p.put("IconPixmap", new Variant<>(pixmaps(argb(s)), "a(iiay)"));
        p.put("OverlayIconName", new Variant<>(""));
        p.put("AttentionIconName", new Variant<>(""));
        p.put("ToolTip", new Variant<>(new ToolTip("", pixmaps(argb(s)), bundle.getString("app.name"),
                s.tooltip()), "(sa(iiay)ss)"));
        p.put("ItemIsMenu", new Variant<>(false));
        p.put("Menu", new Variant<>(new DBusPath(MENU_PATH)));
        return p;
    }

    private static List<Pixmap> pixmaps(int argb) {
        List<Pixmap> out = new ArrayList<>();
        for (int size : new int[] {22, 44}) {
            out.add(Pixmap.badge(size, argb));
        }
        return out;
    }

    /** A StatusNotifierItem tooltip: icon name, icon pixmaps, title, text. */
    public static final class ToolTip extends Struct {
        @Position(0)
        public final String iconName;
        @Position(1)
        public final List<Pixmap> pixmaps;
        @Position(2)
        public final String title;
        @Position(3)
        public final String text;

        public ToolTip(String iconName, List<Pixmap> pixmaps, String title, String text) {
            this.iconName = iconName;
            this.pixmaps = pixmaps;
            this.title = title;
            this.text = text;
        }
    }

    /** An icon image: width, height, ARGB32 pixels in network byte order. */
    public static final class Pixmap extends Struct {
        @Position(0)
        public final int width;
        @Position(1)
        public final int height;
        @Position(2)
        public final byte[] data;

        public Pixmap(int width, int height, byte[] data) {
            this.width = width;
            this.height = height;
            this.data = data;
        }

        /** A rounded square of {@code argb} with a white bar across its middle, drawn without AWT. */
        static Pixmap badge(int size, int argb) {
            byte[] px = new byte[size * size * 4];
            double r = size * 0.22;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double dx = Math.max(Math.max(r - x - 0.5, x + 0.5 - (size - r)), 0);
                    double dy = Math.max(Math.max(r - y - 0.5, y + 0.5 - (size - r)), 0);
                    boolean inside = dx * dx + dy * dy <= r * r;
                    boolean bar = y >= size * 0.42 && y < size * 0.58 && x >= size * 0.2 && x < size * 0.8;
                    int c = !inside ? 0 : bar ? 0xFFFFFFFF : argb;
                    int i = (y * size + x) * 4;
                    px[i] = (byte) (c >>> 24);
                    px[i + 1] = (byte) (c >>> 16);
                    px[i + 2] = (byte) (c >>> 8);
                    px[i + 3] = (byte) c;
                }
            }
            return new Pixmap(size, size, px);
        }
    }
}
