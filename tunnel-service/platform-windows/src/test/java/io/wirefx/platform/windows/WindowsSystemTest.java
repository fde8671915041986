package io.wirefx.platform.windows;

import io.wirefx.core.net.IpLiterals;
import io.wirefx.tun.windows.WintunDevice;
import io.wirefx.tun.windows.WintunDriver;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real Windows calls (elevated, Wintun installed as for {@code WintunAdapterWindowsTest}): IP Helper
 * configuration of a test adapter, the kill switch's filters on it, DPAPI, and the SCM life of a test service.
 * The kill switch test checks the filters WFP holds, not the runner's reachability: the filter set lives for a moment
 * and existing connections are not re-authorized.
 */
@Tag("windows")
@EnabledOnOs(OS.WINDOWS)
class WindowsSystemTest {

    @TempDir
    Path dir;

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd));
        return out;
    }

    @Test
    void configuresAndUnconfiguresARealAdapter() throws Exception {
        try (WintunDevice dev = new WintunDriver().open("wfx-ci-net", 1420)) {
            IpHelperNetworkApi api = new IpHelperNetworkApi();
            assertEquals(dev.luid(), api.luidOf("wfx-ci-net"));
            WindowsTunnelSpec spec = WindowsNetworkConfiguratorTest.spec(
                    "Address = 10.78.0.2/24\nDNS = 10.78.0.1, ci.example\nMTU = 1380",
                    "AllowedIPs = 10.78.0.0/24, 10.79.0.0/16");
            var applied = new WindowsNetworkConfigurator(api, dir, s -> { }).up(spec, dev.luid());
            String addrs = run("powershell", "-NoProfile", "-Command",
                    "Get-NetIPAddress -InterfaceAlias wfx-ci-net | Format-List IPAddress,PrefixLength");
            assertTrue(addrs.contains("10.78.0.2"), addrs);
            String routes = run("powershell", "-NoProfile", "-Command",
                    "Get-NetRoute -InterfaceAlias wfx-ci-net | Format-List DestinationPrefix");
            assertTrue(routes.contains("10.79.0.0/16"), routes);
            String dns = run("powershell", "-NoProfile", "-Command",
                    "Get-DnsClientServerAddress -InterfaceAlias wfx-ci-net -AddressFamily IPv4 | Format-List");
            assertTrue(dns.contains("10.78.0.1"), dns);
            assertEquals(1380, new io.wirefx.tun.windows.IpInterfaceMtu().get(dev.luid()));
            assertEquals(List.of(), applied.down());
            assertFalse(run("powershell", "-NoProfile", "-Command",
                    "Get-NetIPAddress -InterfaceAlias wfx-ci-net | Format-List IPAddress").contains("10.78.0.2"));
        }
    }

    @Test
    void killSwitchFiltersExistWhileTheSessionLivesAndVanishWithIt() throws Exception {
        try (WintunDevice dev = new WintunDriver().open("wfx-ci-ks", 1420)) {
            String exe = ProcessHandle.current().info().command().orElseThrow();
            List<WfpFilter> rules = KillSwitchRules.compute(new KillSwitchRules.Params(dev.luid(), exe,
                    ServiceSid.of(WindowsService.SERVICE_NAME), List.of(IpLiterals.parse("10.80.0.1")), true));
            Path xml = dir.resolve("filters.xml");
            try (KillSwitch ks = KillSwitch.install(new FwpmLibrary(), "ci", rules, s -> { })) {
                run("netsh", "wfp", "show", "filters", "file=" + xml);
                String shown = Files.readString(xml);
                for (String name : List.of("block all", "tunnel interface", "loopback", "DHCPv4 request",
                        "NDP neighbour solicitation", "permit LAN", "permit UDP DNS to the tunnel's servers")) {
                    assertTrue(shown.contains("<name>" + name + "</name>"), name);
                }
            }
            run("netsh", "wfp", "show", "filters", "file=" + xml);
            assertFalse(Files.readString(xml).contains("<name>tunnel interface</name>"), "gone with the session");
        }
    }

    @Test
    void dpapiRoundTripsAndBindsTheName() throws Exception {
        DpapiProtector d = new DpapiProtector();
        byte[] c = d.protect("secret".getBytes(), "office");
        ConfigProtector.Unprotected u = d.unprotect(c);
        assertEquals("secret", new String(u.plain()));
        assertEquals("office", u.description());
    }

    @Test
    void theStoreProtectionSealsWithDpapi() throws Exception {
        DpapiConfigProtection p = new DpapiConfigProtection(new DpapiProtector());
        byte[] plain = "[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n".getBytes();
        byte[] sealed = p.seal("office", plain);
        assertFalse(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1).contains("PrivateKey"));
        assertEquals(new String(plain), new String(p.open("office", sealed)));
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> p.open("home", sealed));
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> p.open("office", "not DPAPI".getBytes()));
    }

    @Test
    void aTestServiceStartsAndStopsUnderTheScm() throws Exception {
        String name = "WireFXCiTest";
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> args = new ArrayList<>(List.of("-cp", System.getProperty("java.class.path"),
                ScmTestService.class.getName()));
        WindowsService.Registration r = WindowsService.registration(java, args);
        ScmInstaller.install(new WindowsService.Registration(name, name, "CI test", r.commandLine(),
                r.dependencies()));
        try {
            run("sc.exe", "start", name);
            Thread.sleep(5000);
            assertTrue(run("sc.exe", "query", name).contains("RUNNING"));
            run("sc.exe", "stop", name);
            Thread.sleep(5000);
            assertTrue(run("sc.exe", "query", name).contains("STOPPED"));
        } finally {
            ScmInstaller.uninstall(name);
        }
    }
}
