package io.wirefx.ui.dbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wirefx.ipc.TunnelState;
import io.wirefx.ui.RealService;
import io.wirefx.ui.TestTexts;
import io.wirefx.ui.format.Formats;
import io.wirefx.ui.notify.Notice;
import io.wirefx.ui.notify.TunnelNotifications;
import io.wirefx.ui.tray.TrayActions;
import io.wirefx.ui.tray.TrayViewModel;
import io.wirefx.ui.tunnels.TunnelsViewModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import io.wirefx.platform.linux.PrivateBus;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The StatusNotifierItem, its dbusmenu and the desktop notifications on a real session bus (a dbus-daemon the test
 * starts) against a watcher and a notification server written here, with a real (simulated-tunnel) service behind
 * the menu.
 */
class SniTrayDbusTest {
    private PrivateBus bus;
    private DBusConnection host; // the desktop's side: watcher + notification server
    private DBusConnection app; // the app's side
    private RealService service;
    private final ExecutorService ui = Executors.newSingleThreadExecutor();
    private final List<String> registered = new CopyOnWriteArrayList<>();
    private final List<String[]> notified = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp(@TempDir Path dir) throws Exception {
        bus = PrivateBus.start(dir);
        host = SessionBus.connect(bus.address());
        host.requestBusName(StatusNotifierWatcher.BUS_NAME);
        host.exportObject(StatusNotifierWatcher.PATH, new StatusNotifierWatcher() {
            @Override
            public void RegisterStatusNotifierItem(String service) {
                registered.add(service);
            }

            @Override
            public void RegisterStatusNotifierHost(String service) {
            }

            @Override
            public String getObjectPath() {
                return StatusNotifierWatcher.PATH;
            }
        });
        host.requestBusName(Notifications.BUS_NAME);
        host.exportObject(Notifications.PATH, new Notifications() {
            private final AtomicInteger ids = new AtomicInteger();

            @Override
            public UInt32 Notify(String appName, UInt32 replacesId, String appIcon, String summary, String body,
                                 List<String> actions, Map<String, Variant<?>> hints, int expireTimeout) {
                notified.add(new String[] {appName, appIcon, summary, body,
                        String.valueOf(hints.get("urgency").getValue())});
                return new UInt32(ids.incrementAndGet());
            }

            @Override
            public String getObjectPath() {
                return Notifications.PATH;
            }
        });
        app = SessionBus.connect(bus.address());
        service = new RealService(dir, Duration.ofMillis(50), null);
    }

    @AfterEach
    void tearDown() throws Exception {
        ui.shutdownNow();
        if (service != null) {
            service.close();
        }
        for (DBusConnection c : new DBusConnection[] {app, host}) {
            if (c != null) {
                SessionBus.close(c);
            }
        }
        if (bus != null) {
            bus.close();
        }
    }

    private <T> T call(Callable<T> c) throws Exception {
        return ui.submit(c).get();
    }

    private static void waitUntil(BooleanSupplier ok, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void itemRegistersServesItsPropertiesAndItsMenuTogglesATunnel() throws Exception {
        service.tunnels.create("home", TestTexts.conf(1));
        service.tunnels.create("work_1", TestTexts.conf(2));
        service.client.start();
        TunnelsViewModel tunnels = call(() -> new TunnelsViewModel(service.client, ui, System::currentTimeMillis,
                new Formats(TestTexts.BUNDLE), TestTexts.BUNDLE));
        TrayViewModel trayVm = call(() -> new TrayViewModel(tunnels, TestTexts.BUNDLE));
        AtomicInteger shown = new AtomicInteger();
        AtomicBoolean quit = new AtomicBoolean();
        TrayActions actions = new TrayActions() {
            @Override
            public void toggle(String tunnel) {
                ui.execute(() -> trayVm.toggle(tunnel));
            }

            @Override
            public void showWindow() {
                shown.incrementAndGet();
            }

            @Override
            public void importFiles() {
            }

            @Override
            public void quit() {
                quit.set(true);
            }
        };
        assertTrue(SniTray.watcherPresent(app), "the watcher is found on the bus");
        SniTray tray = SniTray.install(app, actions, TestTexts.BUNDLE);
        waitUntil(() -> registered.contains(tray.busName()), "the item registers with the watcher");
        call(() -> {
            tray.update(trayVm.snapshotProperty().get());
            trayVm.snapshotProperty().addListener((obs, o, n) -> tray.update(n));
            return null;
        });
        waitUntil(() -> call0(() -> tunnels.tunnels().size() == 2), "tunnels listed");

        Properties props = host.getRemoteObject(tray.busName(), SniTray.ITEM_PATH, Properties.class, false);
        String iface = "org.kde.StatusNotifierItem";
        assertEquals("wirefx", (String) props.Get(iface, "Id"));
        assertEquals("ApplicationStatus", (String) props.Get(iface, "Category"));
        assertEquals("WireFX", (String) props.Get(iface, "Title"));
        waitUntil(() -> "network-vpn-disabled".equals(props.Get(iface, "IconName")), "icon: no tunnel active");
        assertEquals(SniTray.MENU_PATH, ((DBusPath) props.Get(iface, "Menu")).getPath());
        assertFalse((Boolean) props.Get(iface, "ItemIsMenu"));
        Map<String, Variant<?>> all = props.GetAll(iface);
        assertTrue(all.containsKey("IconPixmap") && all.containsKey("ToolTip"), all.keySet().toString());
        String tooltip = java.util.Arrays.deepToString(new Object[] {all.get("ToolTip").getValue()});
        assertTrue(tooltip.contains("WireFX: no tunnel active"), tooltip);

        DBusMenu menu = host.getRemoteObject(tray.busName(), SniTray.MENU_PATH, DBusMenu.class, false);
        List<String[]> items = items(menu);
        assertEquals(List.of("home", "work__1", "", "Manage tunnels\u2026", "Import\u2026", "", "Quit"),
                items.stream().map(i -> i[1]).toList(), "labels (an underscore doubled: no mnemonic)");
        assertEquals("checkmark", items.get(1)[2]);
        assertEquals("0", items.get(1)[3]);

        // A click on "work_1" in the host's menu starts the tunnel on the service; the tick follows its events.
        // Hosts built on libdbusmenu (Xfce, GNOME's AppIndicator extension, KDE) ask AboutToShowGroup on opening
        // the menu and send clicks as EventGroup; others call Event.
        int workId = Integer.parseInt(items.get(1)[0]);
        DBusMenu.GroupUpdates<List<Integer>, List<Integer>> shownGroup = menu.AboutToShowGroup(List.of(0, 4711));
        assertEquals(List.of(4711), shownGroup.idErrors, "an id not in the menu is reported");
        assertEquals(List.of(4711), menu.EventGroup(List.of(
                new DBusMenu.MenuEvent(workId, "clicked", new Variant<>(0), new UInt32(0)),
                new DBusMenu.MenuEvent(4711, "clicked", new Variant<>(0), new UInt32(0)))));
        waitUntil(() -> service.tunnels.state("work_1") == TunnelState.RUNNING, "the click starts the tunnel");
        waitUntil(() -> "1".equals(items0(menu).get(1)[3]), "the item is ticked");
        waitUntil(() -> "network-vpn-acquiring".equals(props.Get(iface, "IconName")), "icon: waiting for handshake");
        service.tunnels.publishStats();
        waitUntil(() -> "network-vpn".equals(props.Get(iface, "IconName")), "icon: connected");
        menu.Event(workId, "clicked", new Variant<>(0), new UInt32(0));
        waitUntil(() -> service.tunnels.state("work_1") == TunnelState.STOPPED, "a second click stops it");

        menu.Event(SniMenu.MANAGE, "clicked", new Variant<>(0), new UInt32(0));
        waitUntil(() -> shown.get() == 1, "Manage tunnels… opens the window");
        host.getRemoteObject(tray.busName(), SniTray.ITEM_PATH, StatusNotifierItem.class, false).Activate(0, 0);
        waitUntil(() -> shown.get() == 2, "activating the icon opens the window");
        menu.Event(SniMenu.QUIT, "clicked", new Variant<>(0), new UInt32(0));
        waitUntil(quit::get, "Quit");

        // The tray host restarts: its watcher name goes away and comes back; the item registers again.
        registered.clear();
        host.releaseBusName(StatusNotifierWatcher.BUS_NAME);
        host.requestBusName(StatusNotifierWatcher.BUS_NAME);
        waitUntil(() -> registered.contains(tray.busName()), "registered with the new watcher");
    }

    private <T> T call0(Callable<T> c) {
        try {
            return call(c);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String[]> items0(DBusMenu menu) {
        return items(menu);
    }

    /** The root's children as {id, label, toggle-type, toggle-state}; separators have an empty label. */
    private static List<String[]> items(DBusMenu menu) {
        DBusMenu.LayoutReply<UInt32, DBusMenu.Node> reply = menu.GetLayout(0, -1, List.of());
        assertEquals(0, reply.layout.id);
        List<String[]> out = new ArrayList<>();
        for (Variant<?> v : reply.layout.children) {
            Object node = v.getValue();
            int id;
            Map<?, ?> p;
            if (node instanceof DBusMenu.Node n) {
                id = n.id;
                p = n.properties;
            } else {
                Object[] fields = node instanceof Object[] a ? a : ((List<?>) node).toArray();
                id = ((Number) fields[0]).intValue();
                p = (Map<?, ?>) fields[1];
            }
            out.add(new String[] {String.valueOf(id), value(p, "label"), value(p, "toggle-type"),
                    value(p, "toggle-state")});
        }
        return out;
    }

    private static String value(Map<?, ?> p, String key) {
        Object v = p.get(key);
        if (v instanceof Variant<?> var) {
            v = var.getValue();
        }
        return v == null ? "" : String.valueOf(v);
    }

    @Test
    void notificationsOncePerEventAndNoneWhileTheWindowHasFocus() throws Exception {
        service.tunnels.create("home", TestTexts.conf(3));
        service.client.start();
        TunnelsViewModel tunnels = call(() -> new TunnelsViewModel(service.client, ui, System::currentTimeMillis,
                new Formats(TestTexts.BUNDLE), TestTexts.BUNDLE));
        waitUntil(() -> call0(() -> tunnels.find("home") != null), "listed");
        AtomicLong clock = new AtomicLong(1_000_000);
        AtomicBoolean focused = new AtomicBoolean();
        TunnelNotifications notes = call(() -> new TunnelNotifications(tunnels, TestTexts.BUNDLE, clock::get,
                focused::get, new DesktopNotifier(app, "WireFX")));

        service.tunnels.start("home");
        waitUntil(() -> notified.size() == 1, "up");
        assertEquals(List.of("WireFX", "network-vpn", "\u201chome\u201d is connected", "", "1"),
                List.of(notified.get(0)));

        // No handshake (no stats at all here): after two minutes of running, once.
        clock.addAndGet(TunnelNotifications.NO_HANDSHAKE_MS - 1000);
        call(() -> {
            notes.tick();
            return null;
        });
        clock.addAndGet(2000);
        call(() -> {
            notes.tick();
            notes.tick();
            return null;
        });
        waitUntil(() -> notified.size() == 2, "no handshake");
        assertEquals("\u201chome\u201d: no handshake for 2 minutes", notified.get(1)[2]);
        assertEquals("2", notified.get(1)[4], "critical urgency");

        service.tunnels.stop("home");
        waitUntil(() -> notified.size() == 3, "down");
        assertEquals("\u201chome\u201d is disconnected", notified.get(2)[2]);

        service.tunnels.failNextStart("home", "cannot create interface home: permission denied");
        service.tunnels.start("home");
        waitUntil(() -> notified.size() == 4, "failed");
        assertEquals("\u201chome\u201d failed to start", notified.get(3)[2]);
        assertEquals("cannot create interface home: permission denied", notified.get(3)[3]);

        // While the window has the focus it shows all this itself.
        focused.set(true);
        service.tunnels.stop("home");
        service.tunnels.start("home");
        waitUntil(() -> service.tunnels.state("home") == TunnelState.RUNNING
                && call0(() -> tunnels.find("home").state() == TunnelState.RUNNING), "running again");
        Thread.sleep(300);
        assertEquals(4, notified.size(), "nothing while focused");
    }
}
