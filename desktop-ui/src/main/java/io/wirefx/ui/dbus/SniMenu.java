package io.wirefx.ui.dbus;

import io.wirefx.ui.tray.TrayActions;
import io.wirefx.ui.tray.TraySnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * The tray menu as {@code com.canonical.dbusmenu}: a check item per tunnel (ticked while running or starting,
 * following the service's events, not the click), then Manage tunnels…, Import…, Quit. Each tunnel keeps its item
 * id for the life of the menu; every new snapshot is a new layout revision, announced with LayoutUpdated.
 */
final class SniMenu implements DBusMenu, Properties {
    private static final Logger LOG = Logger.getLogger(SniMenu.class.getName());
    static final int MANAGE = 1;
    static final int IMPORT = 2;
    static final int QUIT = 3;
    private static final int SEPARATOR_1 = 4;
    private static final int SEPARATOR_2 = 5;
    private static final int INFO = 6;
    private static final int FIRST_TUNNEL = 100;

    private final DBusConnection bus;
    private final String path;
    private final TrayActions actions;
    private final ResourceBundle bundle;
    private final Map<String, Integer> tunnelIds = new HashMap<>(); // guarded by this
    private TraySnapshot shown; // guarded by this
    private int revision = 1; // guarded by this

    SniMenu(DBusConnection bus, String path, TrayActions actions, ResourceBundle bundle) {
        this.bus = bus;
        this.path = path;
        this.actions = actions;
        this.bundle = bundle;
        this.shown = new TraySnapshot(false, false, false, "", List.of());
    }

    void show(TraySnapshot s) {
        int rev;
        synchronized (this) {
            if (s.serviceConnected() == shown.serviceConnected() && s.tunnels().equals(shown.tunnels())) {
                shown = s;
                return;
            }
            shown = s;
            rev = ++revision;
        }
        try {
            bus.sendMessage(new LayoutUpdated(path, new UInt32(rev), 0));
        } catch (DBusException e) {
            LOG.log(Level.FINE, "LayoutUpdated not sent", e);
        }
    }

    private synchronized int idOf(String tunnel) {
        return tunnelIds.computeIfAbsent(tunnel, t -> FIRST_TUNNEL + tunnelIds.size());
    }

    private synchronized List<Node> items() {
        List<Node> out = new ArrayList<>();
        if (!shown.serviceConnected()) {
            out.add(leaf(INFO, label(bundle.getString("tray.noService"), false)));
        } else if (shown.tunnels().isEmpty()) {
            out.add(leaf(INFO, label(bundle.getString("tray.noTunnels"), false)));
        }
        for (TraySnapshot.Entry e : shown.serviceConnected() ? shown.tunnels() : List.<TraySnapshot.Entry>of()) {
            Map<String, Variant<?>> p = label(e.label(), e.enabled());
            p.put("toggle-type", new Variant<>("checkmark"));
            p.put("toggle-state", new Variant<>(e.checked() ? 1 : 0));
            out.add(leaf(idOf(e.name()), p));
        }
        out.add(leaf(SEPARATOR_1, separator()));
        out.add(leaf(MANAGE, label(bundle.getString("tray.manage"), true)));
        out.add(leaf(IMPORT, label(bundle.getString("tray.import"), true)));
        out.add(leaf(SEPARATOR_2, separator()));
        out.add(leaf(QUIT, label(bundle.getString("tray.quit"), true)));
        return out;
    }

    private static Map<String, Variant<?>> label(String text, boolean enabled) {
        Map<String, Variant<?>> p = new LinkedHashMap<>();
        // dbusmenu labels use "_" for mnemonics: double the ones in tunnel names.
        p.put("label", new Variant<>(text.replace("_", "__")));
        p.put("enabled", new Variant<>(enabled));
        return p;
    }

    private static Map<String, Variant<?>> separator() {
        Map<String, Variant<?>> p = new LinkedHashMap<>();
        p.put("type", new Variant<>("separator"));
        return p;
    }

    private static Node leaf(int id, Map<String, Variant<?>> properties) {
        return new Node(id, properties, List.of());
    }

    private Node root(List<Node> children, int depth) {
        Map<String, Variant<?>> p = new LinkedHashMap<>();
        p.put("children-display", new Variant<>("submenu"));
        List<Variant<?>> kids = new ArrayList<>();
        if (depth != 0) {
            for (Node n : children) {
                kids.add(new Variant<>(n, NODE_SIGNATURE));
            }
        }
        return new Node(0, p, kids);
    }

    private static Map<String, Variant<?>> filter(Map<String, Variant<?>> p, List<String> names) {
        if (names == null || names.isEmpty()) {
            return p;
        }
        Map<String, Variant<?>> out = new LinkedHashMap<>();
        names.forEach(n -> {
            if (p.containsKey(n)) {
                out.put(n, p.get(n));
            }
        });
        return out;
    }

    // ---- com.canonical.dbusmenu ------------------------------------------------------------------------------------

    @Override
    public LayoutReply<UInt32, Node> GetLayout(int parentId, int recursionDepth, List<String> propertyNames) {
        List<Node> items = items();
        int rev;
        synchronized (this) {
            rev = revision;
        }
        if (parentId == 0) {
            return new LayoutReply<>(new UInt32(rev), root(items, recursionDepth));
        }
        for (Node n : items) {
            if (n.id == parentId) {
                return new LayoutReply<>(new UInt32(rev), new Node(n.id, filter(n.properties, propertyNames),
                        List.of()));
            }
        }
        throw new IllegalArgumentException("no menu item " + parentId);
    }

    @Override
    public List<ItemProperties> GetGroupProperties(List<Integer> ids, List<String> propertyNames) {
        List<ItemProperties> out = new ArrayList<>();
        for (Node n : items()) {
            if (ids == null || ids.isEmpty() || ids.contains(n.id)) {
                out.add(new ItemProperties(n.id, filter(n.properties, propertyNames)));
            }
        }
        return out;
    }

    @Override
    public Variant<?> GetProperty(int id, String name) {
        for (Node n : items()) {
            if (n.id == id && n.properties.containsKey(name)) {
                return n.properties.get(name);
            }
        }
        throw new IllegalArgumentException("no property " + name + " on item " + id);
    }

    @Override
    public void Event(int id, String eventId, Variant<?> data, UInt32 timestamp) {
        if (!"clicked".equals(eventId)) {
            return;
        }
        switch (id) {
            case MANAGE -> actions.showWindow();
            case IMPORT -> actions.importFiles();
            case QUIT -> actions.quit();
            default -> {
                String tunnel = null;
                synchronized (this) {
                    for (Map.Entry<String, Integer> e : tunnelIds.entrySet()) {
                        if (e.getValue() == id) {
                            tunnel = e.getKey();
                        }
                    }
                }
                if (tunnel != null) {
                    actions.toggle(tunnel);
                }
            }
        }
    }

    @Override
    public List<Integer> EventGroup(List<MenuEvent> events) {
        List<Integer> unknown = new ArrayList<>();
        for (MenuEvent e : events) {
            if (known(e.id)) {
                Event(e.id, e.eventId, e.data, e.timestamp);
            } else {
                unknown.add(e.id);
            }
        }
        return unknown;
    }

    @Override
    public boolean AboutToShow(int id) {
        return false;
    }

    @Override
    public GroupUpdates<List<Integer>, List<Integer>> AboutToShowGroup(List<Integer> ids) {
        List<Integer> unknown = new ArrayList<>();
        for (int id : ids) {
            if (!known(id)) {
                unknown.add(id);
            }
        }
        return new GroupUpdates<>(List.of(), unknown);
    }

    private boolean known(int id) {
        return id == 0 || items().stream().anyMatch(n -> n.id == id);
    }

    @Override
    public String getObjectPath() {
        return path;
    }

    // ---- org.freedesktop.DBus.Properties ---------------------------------------------------------------------------

    @Override
    @SuppressWarnings("unchecked")
    public <A> A Get(String iface, String property) {
        Variant<?> v = GetAll(iface).get(property);
        if (v == null) {
            throw new IllegalArgumentException("no property " + property);
        }
        return (A) v.getValue();
    }

    @Override
    public <A> void Set(String iface, String property, A value) {
        throw new UnsupportedOperationException("read-only");
    }

    @Override
    public Map<String, Variant<?>> GetAll(String iface) {
        Map<String, Variant<?>> p = new LinkedHashMap<>();
        p.put("Version", new Variant<>(new UInt32(3)));
        p.put("TextDirection", new Variant<>("ltr"));
        p.put("Status", new Variant<>("normal"));
        p.put("IconThemePath", new Variant<>(List.of(), "as"));
        return p;
    }
}
