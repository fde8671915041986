package io.wirefx.ui.xvfb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wirefx.ipc.TunnelState;
import io.wirefx.ui.RealService;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The AWT tray under a real X server with a real tray (trayer), against the real service. */
@Tag("xvfb")
@ExtendWith(XvfbExtension.class)
class TrayXvfbTest {
    private final ExecutorService ui = Executors.newSingleThreadExecutor();
    private TrayController tray;
    private RealService service;

    @BeforeEach
    void startService(@TempDir Path dir) throws Exception {
        service = new RealService(dir, Duration.ofMillis(100), null);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (tray != null) {
            tray.remove();
            EventQueue.invokeAndWait(() -> { });
        }
        ui.shutdownNow();
        service.close();
    }

    @Test
    void iconIsAddedAndMenuItemsToggleTunnels() throws Exception {
        service.tunnels.create("home", TestTexts.conf(1));
        service.tunnels.create("work", TestTexts.conf(2));
        service.client.start();
        TunnelsViewModel tunnels = call(() -> new TunnelsViewModel(service.client, ui, System::currentTimeMillis,
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
        assertEquals("WireFX: no tunnel active", tray.trayIcon().getToolTip());

        // AWT popups cannot be clicked reliably under Xvfb: deliver the click's event to the item's listeners.
        select(work, true);
        waitUntil(() -> service.tunnels.state("work") == TunnelState.RUNNING, "the click starts the tunnel");
        waitUntil(() -> onEdt(work::getState), "the item is ticked once the service reports it running");
        waitUntil(() -> "WireFX\nwork: waiting for handshake".equals(tray.trayIcon().getToolTip()),
                "tooltip says it waits for the first handshake");
        service.tunnels.publishStats();
        waitUntil(() -> "WireFX: connected (work)".equals(tray.trayIcon().getToolTip()), "tooltip says connected");

        select(work, false);
        waitUntil(() -> service.tunnels.state("work") == TunnelState.STOPPED, "a second click stops it");
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

        // A picture of the real menu: right-click the icon in trayer's panel and capture the screen around it.
        service.tunnels.start("home");
        waitUntil(() -> item("tunnel:home") instanceof CheckboxMenuItem c && onEdt(c::getState), "home ticked");
        screenshotMenu();
    }

    private void screenshotMenu() throws Exception {
        String out = System.getProperty("wirefx.ui.screenshotDir");
        java.awt.Rectangle panel = panelBounds();
        if (out == null || panel == null) {
            return;
        }
        java.awt.Robot robot = new java.awt.Robot();
        robot.mouseMove(panel.x + panel.width - 14, panel.y + panel.height / 2);
        robot.mousePress(java.awt.event.InputEvent.BUTTON3_DOWN_MASK);
        robot.mouseRelease(java.awt.event.InputEvent.BUTTON3_DOWN_MASK);
        robot.delay(700);
        robot.waitForIdle();
        int x = Math.max(0, panel.x + panel.width - 300);
        java.awt.image.BufferedImage shot = robot.createScreenCapture(new java.awt.Rectangle(x, 0,
                Math.min(300, 1280 - x), 230));
        robot.keyPress(java.awt.event.KeyEvent.VK_ESCAPE);
        robot.keyRelease(java.awt.event.KeyEvent.VK_ESCAPE);
        Path file = Path.of(out, "tray-menu.png");
        java.nio.file.Files.createDirectories(file.getParent());
        javax.imageio.ImageIO.write(shot, "png", file.toFile());
        System.out.println("screenshot: " + file.toAbsolutePath().normalize());
    }

    /** trayer's panel window, from xwininfo ("WxH+X+Y"). */
    private static java.awt.Rectangle panelBounds() throws Exception {
        Process p = new ProcessBuilder("xwininfo", "-root", "-children").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("\\(\"panel\" \"trayer\"\\)\\s+(\\d+)x(\\d+)\\+(-?\\d+)\\+(-?\\d+)").matcher(text);
        return m.find() ? new java.awt.Rectangle(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))) : null;
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

    private void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting: " + what + "; menu: " + onEdt(() -> {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < tray.menu().getItemCount(); i++) {
                MenuItem m = tray.menu().getItem(i);
                sb.append(m.getName()).append('=').append(m.getLabel())
                        .append(m instanceof CheckboxMenuItem c ? "[" + c.getState() + "]" : "").append(' ');
            }
            return sb.toString();
        }));
    }
}
