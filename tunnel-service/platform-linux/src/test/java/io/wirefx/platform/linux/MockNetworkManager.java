package io.wirefx.platform.linux;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * NetworkManager as python3-dbusmock's {@code networkmanager} template plays it, on a {@link PrivateBus}, with
 * one Wi-Fi and one Ethernet device; the test joins and leaves networks through the template's mock methods. Needs
 * {@code /usr/bin/python3} with dbusmock (Debian package {@code python3-dbusmock}); skipped where it is missing.
 */
public final class MockNetworkManager implements AutoCloseable {
    static final String NM = "org.freedesktop.NetworkManager";
    static final int ACTIVATED = 2;
    static final int ACTIVATING = 1;

    /** The template's mock methods (on its main object). */
    @DBusInterfaceName("org.freedesktop.DBus.Mock")
    public interface Template extends DBusInterface {
        String AddWiFiDevice(String name, String iface, int state);

        String AddEthernetDevice(String name, String iface, int state);

        String AddAccessPoint(String device, String name, String ssid, String hwAddress, UInt32 mode,
                              UInt32 frequency, UInt32 rate, byte strength, UInt32 security);

        String AddWiFiConnection(String device, String name, String ssid, String keyManagement);

        String AddActiveConnection(List<String> devices, String connection, String specificObject, String name,
                                   UInt32 state);

        void RemoveActiveConnection(String device, String activeConnection);

        void SetProperty(String path, String iface, String name, Variant<?> value);
    }

    @DBusInterfaceName("org.freedesktop.NetworkManager.Settings")
    public interface Settings extends DBusInterface {
        DBusPath AddConnection(Map<String, Map<String, Variant<?>>> settings);
    }

    private final PrivateBus bus;
    private Process mock;
    private DBusConnection client;
    private Template template;
    private String wifi;
    private String ethernet;
    private int count;

    private MockNetworkManager(PrivateBus bus) {
        this.bus = bus;
    }

    /** Starts NetworkManager's mock on {@code bus}, with a Wi-Fi device wlan0 and an Ethernet device eth0. */
    public static MockNetworkManager start(PrivateBus bus) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3");
        Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import dbusmock")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Assumptions.assumeTrue(probe.waitFor() == 0, "python3-dbusmock is not installed for /usr/bin/python3");
        MockNetworkManager m = new MockNetworkManager(bus);
        m.restart();
        return m;
    }

    /** Starts the mock again (after {@link #stop()} or a bus restart), empty but for the two devices. */
    public void restart() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", "-m", "dbusmock", "--system", "--template",
                "networkmanager").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DBUS_SYSTEM_BUS_ADDRESS", bus.address());
        mock = pb.start();
        closeClient();
        client = DBusConnectionBuilder.forAddress(bus.address()).withShared(false).build();
        DBus dbus = client.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!dbus.NameHasOwner(NM)) {
            if (!mock.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("dbusmock did not take " + NM + " (exit "
                        + (mock.isAlive() ? "none" : mock.exitValue()) + ")");
            }
            Thread.sleep(20);
        }
        template = client.getRemoteObject(NM, "/org/freedesktop", Template.class);
        wifi = template.AddWiFiDevice("wlan0", "wlan0", 100);
        ethernet = template.AddEthernetDevice("eth0", "eth0", 100);
    }

    /** Joins the Wi-Fi network {@code ssid}; returns the active connection's path. */
    public String joinWifi(String ssid) {
        return joinWifi(ssid, ACTIVATED);
    }

    public String joinWifi(String ssid, int state) {
        int n = ++count;
        String ap = template.AddAccessPoint(wifi, "ap" + n, ssid, String.format("00:11:22:33:44:%02x", n),
                new UInt32(2), new UInt32(2437), new UInt32(54000), (byte) 80, new UInt32(0));
        String conn = template.AddWiFiConnection(wifi, "wifi" + n, ssid, "");
        return template.AddActiveConnection(List.of(wifi), conn, ap, "wifi" + n, new UInt32(state));
    }

    /** The access point of a Wi-Fi active connection made by {@link #joinWifi}. */
    public String accessPointOf(String active) {
        return "/org/freedesktop/NetworkManager/AccessPoint/" + active.substring(active.lastIndexOf('/') + 1)
                .replace("wifi", "ap");
    }

    /** Sets an access point's SSID to raw bytes. */
    public void setSsid(String accessPoint, byte[] ssid) {
        template.SetProperty(accessPoint, NM + ".AccessPoint", "Ssid", new Variant<>(ssid));
    }

    /** Plugs eth0 in; returns the active connection's path. */
    public String joinWired() throws DBusException {
        int n = ++count;
        Settings settings = client.getRemoteObject(NM, "/org/freedesktop/NetworkManager/Settings", Settings.class);
        DBusPath conn = settings.AddConnection(Map.of("connection", Map.of(
                "type", new Variant<>("802-3-ethernet"), "id", new Variant<>("Wired connection " + n))));
        return template.AddActiveConnection(List.of(ethernet), conn.getPath(), "/", "wired" + n,
                new UInt32(ACTIVATED));
    }

    /** Leaves a Wi-Fi network. */
    public void leaveWifi(String active) {
        template.RemoveActiveConnection(wifi, active);
    }

    /** Unplugs eth0. */
    public void leaveWired(String active) {
        template.RemoveActiveConnection(ethernet, active);
    }

    /** Kills the mock: NetworkManager leaves the bus. */
    public void stop() throws InterruptedException {
        closeClient();
        if (mock != null) {
            mock.destroy();
            if (!mock.waitFor(5, TimeUnit.SECONDS)) {
                mock.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            mock = null;
        }
    }

    private void closeClient() {
        if (client != null) {
            try {
                client.close();
            } catch (IOException e) {
                // the bus may be gone already
            }
            client = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
