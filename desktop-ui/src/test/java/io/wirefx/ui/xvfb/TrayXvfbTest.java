package io.wirefx.ui.xvfb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wirefx.ui.FakeService;
import io.wirefx.ui.TestTexts;
import io.wirefx.ui.format.Formats;
import io.wirefx.ui.tray.TrayActions;
import io.wirefx.ui.tray.TrayController;
import io.wirefx.ui.tray.TrayViewModel;
import io.wirefx.ui.tunnels.TunnelsViewModel;
import java.awt.CheckboxMenuItem;
import java.awt.EventQueue;
import java.awt.MenuItem;
import java.awt.SystemTray;
import java.awt.event.ActionEvent;
import java.awt.event.ActionListener;
import java.awt.event.ItemEvent;
import java.awt.event.ItemListener;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The AWT tray under a real X server with a real tray (trayer). */
@Tag("xvfb")
@ExtendWith(XvfbExtension.class)
class TrayXvfbTest {
    private final ExecutorService ui = Executors.newSingleThreadExecutor();
    private TrayController tray;

    @AfterEach
    void tearDown() throws Exception {
        if (tray != null) {
            tray.remove();
            EventQueue.invokeAndWait(() -> { });
        }
        ui.shutdownNow();
    }

    @Test
    void iconIsAddedAndMenuItemsToggleTunnels() throws Exception {
        FakeService service = new FakeService();
        service.texts.put("home", TestTexts.conf(1));
        service.texts.put("work", TestTexts.conf(2));
        TunnelsViewModel tunnels = call(() -> new TunnelsViewModel(service, ui, System::currentTimeMillis,
                new Formats(TestTexts.BUNDLE), TestTexts.BUNDLE));
        TrayViewModel trayVm = call(() -> new TrayViewModel(tunnels, TestTexts.BUNDLE));
        AtomicInteger shown = new AtomicInteger();
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
            }
        };

        assertTrue(SystemTray.isSupported(), "trayer provides a tray");
        tray = TrayController.install(actions, TestTexts.BUNDLE).orElseThrow();
        assertTrue(Arrays.asList(SystemTray.getSystemTray().getTrayIcons()).contains(tray.trayIcon()),
                "our icon is in the system tray");
        ui.submit(() -> {
            tray.update(trayVm.snapshotProperty().get());
            trayVm.snapshotProperty().addListener((obs, o, n) -> tray.update(n));
        }).get();

        waitUntil(() -> item("tunnel:work") != null, "the menu lists the tunnels");
        CheckboxMenuItem work = (CheckboxMenuItem) item("tunnel:work");
        assertEquals("work", work.getLabel());
        assertFalse(work.getState());
        assertEquals("WireFX: not connected", tray.trayIcon().getToolTip());

        // AWT popups cannot be clicked reliably under Xvfb: deliver the click's event to the item's listeners.
        select(work, true);
        waitUntil(() -> service.calls.contains("start work"), "the click starts the tunnel");
        waitUntil(() -> onEdt(work::getState), "the item is ticked once the service reports it running");
        waitUntil(() -> "WireFX: connected (work)".equals(tray.trayIcon().getToolTip()), "tooltip says connected");

        select(work, false);
        waitUntil(() -> service.calls.contains("stop work"), "a second click stops it");
        waitUntil(() -> !onEdt(work::getState), "and unticks it");

        MenuItem manage = item("manage");
        assertNotNull(manage);
        assertEquals("Manage tunnels\u2026", manage.getLabel());
        EventQueue.invokeAndWait(() -> {
            for (ActionListener l : manage.getActionListeners()) {
                l.actionPerformed(new ActionEvent(manage, ActionEvent.ACTION_PERFORMED, manage.getActionCommand()));
            }
        });
        assertEquals(1, shown.get());
        assertEquals("Import\u2026", item("import").getLabel());
        assertEquals("Quit", item("quit").getLabel());
    }

    private static void select(CheckboxMenuItem item, boolean selected) throws Exception {
        EventQueue.invokeAndWait(() -> {
            item.setState(selected);
            ItemEvent e = new ItemEvent(item, ItemEvent.ITEM_STATE_CHANGED, item.getLabel(),
                    selected ? ItemEvent.SELECTED : ItemEvent.DESELECTED);
            for (ItemListener l : item.getItemListeners()) {
                l.itemStateChanged(e);
            }
        });
    }

    private MenuItem item(String name) {
        return onEdt(() -> {
            for (int i = 0; i < tray.menu().getItemCount(); i++) {
                MenuItem m = tray.menu().getItem(i);
                if (name.equals(m.getName())) {
                    return m;
                }
            }
            return null;
        });
    }

    private static <T> T onEdt(java.util.function.Supplier<T> s) {
        Object[] out = new Object[1];
        try {
            EventQueue.invokeAndWait(() -> out[0] = s.get());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        @SuppressWarnings("unchecked")
        T t = (T) out[0];
        return t;
    }

    private <T> T call(java.util.concurrent.Callable<T> c) throws Exception {
        return ui.submit(c).get();
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting: " + what);
    }
}
