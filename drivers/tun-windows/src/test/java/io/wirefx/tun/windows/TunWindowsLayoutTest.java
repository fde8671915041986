package io.wirefx.tun.windows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The driver's structures against the Windows headers (and the sizes the platform reference documents). */
class TunWindowsLayoutTest {

    @TempDir
    Path dir;

    @Test
    void interfaceRowMatchesDocumentedOffsets() {
        MibIpInterfaceRow row = new MibIpInterfaceRow();
        assertEquals(168, row.size());
        assertEquals(8, WindowsLayoutCheck.offset(row, "InterfaceLuid"));
        assertEquals(44, WindowsLayoutCheck.offset(row, "UseAutomaticMetric"));
        assertEquals(52, WindowsLayoutCheck.offset(row, "RouterDiscoveryBehavior"));
        assertEquals(144, WindowsLayoutCheck.offset(row, "SitePrefixLength"));
        assertEquals(148, WindowsLayoutCheck.offset(row, "Metric"));
        assertEquals(152, WindowsLayoutCheck.offset(row, "NlMtu"));
        assertEquals(166, WindowsLayoutCheck.offset(row, "DisableDefaultRoutes"));
    }

    @Test
    void structuresMatchTheWindowsHeaders() throws Exception {
        var missing = WindowsLayoutCheck.compilerMissing();
        assumeTrue(missing.isEmpty(), () -> "layout check skipped: " + missing.orElseThrow());
        new WindowsLayoutCheck()
                .include("winsock2.h", "ws2tcpip.h", "windows.h", "iphlpapi.h", "netioapi.h")
                .structure("MIB_IPINTERFACE_ROW", new MibIpInterfaceRow())
                .scalar("NET_LUID", Long.BYTES)
                .scalar("GUID", 16)
                .scalar("ADDRESS_FAMILY", Short.BYTES)
                .declare("_Static_assert(AF_INET6 == " + IpFamily.AF_INET6 + ", \"AF_INET6\");")
                .assertCompiles(dir);
    }

    @Test
    void aWrongLayoutDoesNotCompile() {
        var missing = WindowsLayoutCheck.compilerMissing();
        assumeTrue(missing.isEmpty(), () -> "layout check skipped: " + missing.orElseThrow());
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () ->
                new WindowsLayoutCheck().include("windows.h").scalar("GUID", 12).assertCompiles(dir));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("GUID size is not 12"), e.getMessage());
    }
}
