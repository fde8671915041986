package io.wirefx.ui.tray;

import java.awt.AWTException;
import java.awt.BasicStroke;
import java.awt.CheckboxMenuItem;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.EventQueue;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.RenderingHints;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.event.ItemEvent;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ResourceBundle;

/**
 * The system tray icon (AWT: JavaFX has none). The icon shows connected / not connected; the menu lists every
 * tunnel as a checkbox that starts or stops it, then "Manage tunnels…", "Import…" and "Quit". Left click (the
 * icon's action) opens the window. All AWT calls run on the AWT event thread.
 */
public final class TrayController implements TrayIconHost {
    private final TrayActions actions;
    private final ResourceBundle bundle;
    private final TrayIcon icon;
    private final PopupMenu menu = new PopupMenu();
    private final Image connectedImage;
    private final Image disconnectedImage;
    private final Image noServiceImage;
    private final Image waitingImage;
    private final List<CheckboxMenuItem> tunnelItems = new ArrayList<>();
    private TraySnapshot shown;

    private TrayController(TrayActions actions, ResourceBundle bundle, Dimension size) {
        this.actions = actions;
        this.bundle = bundle;
        connectedImage = draw(size, new Color(0x2E9E4F), true);
        disconnectedImage = draw(size, new Color(0x6B7280), true);
        noServiceImage = draw(size, new Color(0xB91C1C), false);
        waitingImage = draw(size, new Color(0xC27803), true);
        icon = new TrayIcon(disconnectedImage, bundle.getString("app.name"), menu);
        icon.setImageAutoSize(true);
        icon.addActionListener(e -> actions.showWindow());
        rebuild(new TraySnapshot(false, false, false, bundle.getString("tray.tooltip.noService"), List.of()));
    }

    /** Why the tray is missing, or empty if {@link #install} can work. */
    public static Optional<String> unavailabilityCause() {
        try {
            if (java.awt.GraphicsEnvironment.isHeadless()) {
                return Optional.of("headless (java.awt.headless=true or no DISPLAY)");
            }
            if (!SystemTray.isSupported()) {
                return Optional.of("no system tray on this desktop (SystemTray.isSupported() is false)");
            }
            return Optional.empty();
        } catch (RuntimeException | LinkageError | java.awt.AWTError e) {
            // e.g. "Can't connect to X11 window server" on a Wayland session without XWayland
            return Optional.of(e.toString());
        }
    }

    /**
     * Adds the icon to the system tray. Call from any thread; blocks until the icon is added.
     *
     * @return the controller, or empty if the desktop has no tray (the caller keeps the window open instead)
     */
    public static Optional<TrayController> install(TrayActions actions, ResourceBundle bundle) {
        Objects.requireNonNull(actions, "actions");
        if (unavailabilityCause().isPresent()) {
            return Optional.empty();
        }
        TrayController[] result = new TrayController[1];
        try {
            EventQueue.invokeAndWait(() -> {
                SystemTray tray = SystemTray.getSystemTray();
                TrayController c = new TrayController(actions, bundle, tray.getTrayIconSize());
                try {
                    tray.add(c.icon);
                    result[0] = c;
                } catch (AWTException e) {
                    result[0] = null;
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (java.lang.reflect.InvocationTargetException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(result[0]);
    }

    @Override
    public void update(TraySnapshot snapshot) {
        EventQueue.invokeLater(() -> rebuild(snapshot));
    }

    private void rebuild(TraySnapshot s) {
        if (s.equals(shown)) {
            return;
        }
        Image image = !s.serviceConnected() ? noServiceImage : s.onlyWaiting() ? waitingImage
                : s.anyActive() ? connectedImage : disconnectedImage;
        // Setting the same image again makes the XEmbed icon repaint blank for a moment.
        if (icon.getImage() != image) {
            icon.setImage(image);
        }
        if (!s.tooltip().equals(icon.getToolTip())) {
            icon.setToolTip(s.tooltip());
        }
        boolean sameNames = shown != null && shown.tunnels().stream().map(TraySnapshot.Entry::name).toList()
                .equals(s.tunnels().stream().map(TraySnapshot.Entry::name).toList());
        if (sameNames && shown.serviceConnected() == s.serviceConnected()) {
            // Update in place: rebuilding would close a menu the user has open.
            for (int i = 0; i < tunnelItems.size(); i++) {
                TraySnapshot.Entry e = s.tunnels().get(i);
                CheckboxMenuItem item = tunnelItems.get(i);
                item.setLabel(e.label());
                item.setState(e.checked());
                item.setEnabled(e.enabled() && s.serviceConnected());
            }
            shown = s;
            return;
        }
        shown = s;
        menu.removeAll();
        tunnelItems.clear();
        if (!s.serviceConnected()) {
            MenuItem none = new MenuItem(bundle.getString("tray.noService"));
            none.setEnabled(false);
            menu.add(none);
        } else if (s.tunnels().isEmpty()) {
            MenuItem none = new MenuItem(bundle.getString("tray.noTunnels"));
            none.setEnabled(false);
            menu.add(none);
        }
        for (TraySnapshot.Entry e : s.serviceConnected() ? s.tunnels() : List.<TraySnapshot.Entry>of()) {
            CheckboxMenuItem item = new CheckboxMenuItem(e.label(), e.checked());
            item.setName("tunnel:" + e.name());
            item.setEnabled(e.enabled());
            item.addItemListener(ev -> {
                // Show the service's truth, not the click: events tick the box when the tunnel is up.
                item.setState(shown != null && shown.tunnels().stream()
                        .anyMatch(x -> x.name().equals(e.name()) && x.checked()));
                if (ev.getStateChange() == ItemEvent.SELECTED || ev.getStateChange() == ItemEvent.DESELECTED) {
                    actions.toggle(e.name());
                }
            });
            menu.add(item);
            tunnelItems.add(item);
        }
        menu.addSeparator();
        menu.add(item("tray.manage", "manage", actions::showWindow));
        menu.add(item("tray.import", "import", actions::importFiles));
        menu.addSeparator();
        menu.add(item("tray.quit", "quit", actions::quit));
    }

    private MenuItem item(String key, String name, Runnable action) {
        MenuItem item = new MenuItem(bundle.getString(key));
        item.setName(name);
        item.addActionListener(e -> action.run());
        return item;
    }

    @Override
    public void remove() {
        EventQueue.invokeLater(() -> SystemTray.getSystemTray().remove(icon));
    }

    /** The AWT icon (tests look it up in {@link SystemTray#getTrayIcons()}). */
    public TrayIcon trayIcon() {
        return icon;
    }

    /** The popup menu (tests invoke its items' listeners: AWT menus cannot be clicked reliably under Xvfb). */
    public PopupMenu menu() {
        return menu;
    }

    /** A rounded badge with a stylized "W" wave; a gap in the wave when the service is unreachable. */
    static Image draw(Dimension size, Color fill, boolean whole) {
        int w = Math.max(16, size.width);
        int h = Math.max(16, size.height);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            double s = Math.min(w, h);
            double x0 = (w - s) / 2;
            double y0 = (h - s) / 2;
            g.setColor(fill);
            g.fill(new RoundRectangle2D.Double(x0 + s * 0.04, y0 + s * 0.04, s * 0.92, s * 0.92, s * 0.35, s * 0.35));
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke((float) (s * 0.11), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            Path2D wave = new Path2D.Double();
            wave.moveTo(x0 + s * 0.22, y0 + s * 0.30);
            wave.lineTo(x0 + s * 0.36, y0 + s * 0.72);
            wave.lineTo(x0 + s * 0.50, y0 + s * 0.40);
            wave.lineTo(x0 + s * 0.64, y0 + s * 0.72);
            wave.lineTo(x0 + s * 0.78, y0 + s * 0.30);
            g.draw(wave);
            if (!whole) {
                g.setColor(fill);
                g.setStroke(new BasicStroke((float) (s * 0.09)));
                g.drawLine((int) (x0 + s * 0.15), (int) (y0 + s * 0.85), (int) (x0 + s * 0.85), (int) (y0 + s * 0.15));
            }
        } finally {
            g.dispose();
        }
        return img;
    }
}
