package io.wirefx.platform.windows;

import io.wirefx.core.net.IpLiterals;
import io.wirefx.tun.windows.WindowsLayoutCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every JNA structure of this module against the Windows x64 layout: the documented sizes here, and every size and
 * field offset against the mingw-w64 headers by compiling {@code _Static_assert}s.
 */
class PlatformWindowsLayoutTest {

    @TempDir
    Path dir;

    @Test
    void documentedSizes() {
        assertEquals(28, new IpHelperStructs.SockaddrInet().size());
        assertEquals(32, new IpHelperStructs.IpAddressPrefix().size());
        assertEquals(80, new IpHelperStructs.MibUnicastIpAddressRow().size());
        assertEquals(104, new IpHelperStructs.MibIpForwardRow2().size());
        assertEquals(64, new IpHelperStructs.DnsInterfaceSettings().size());
        assertEquals(16, new WfpStructs.GuidStruct().size());
        assertEquals(16, new WfpStructs.Value().size());
        assertEquals(20, new WfpStructs.Action().size());
        assertEquals(40, new WfpStructs.FilterCondition().size());
        assertEquals(200, new WfpStructs.Filter().size());
        assertEquals(72, new WfpStructs.Session().size());
        assertEquals(64, new WfpStructs.Provider().size());
        assertEquals(72, new WfpStructs.Sublayer().size());
        assertEquals(17, new WfpStructs.V6AddrAndMask().size());
    }

    @Test
    void sockaddrInetHoldsBothFamilies() {
        IpHelperStructs.SockaddrInet s = new IpHelperStructs.SockaddrInet();
        s.set(IpLiterals.parse("10.8.0.2"));
        s.write();
        assertEquals(2, s.getPointer().getShort(0));
        assertEquals(10, s.getPointer().getByte(4), "address in network order at offset 4");
        assertEquals(IpLiterals.parse("10.8.0.2"), s.address());
        s.set(IpLiterals.parse("fd00:8::2"));
        s.write();
        assertEquals(23, s.getPointer().getShort(0));
        assertEquals((byte) 0xfd, s.getPointer().getByte(8), "IPv6 address at offset 8");
        assertEquals(IpLiterals.parse("fd00:8::2"), s.address());
    }

    @Test
    void structuresMatchTheWindowsHeaders() throws Exception {
        var missing = WindowsLayoutCheck.compilerMissing();
        assumeTrue(missing.isEmpty(), () -> "layout check skipped: " + missing.orElseThrow());
        Map<String, String> sockaddr = Map.of("port", "Ipv4.sin_port", "rest", "Ipv4.sin_addr");
        new WindowsLayoutCheck()
                .include("winsock2.h", "ws2tcpip.h", "windows.h", "iphlpapi.h", "netioapi.h", "fwpmu.h", "winsvc.h",
                        "wincrypt.h", "dpapi.h")
                // Declared from Microsoft's documentation of DNS_INTERFACE_SETTINGS (Windows SDK netioapi.h).
                .declare("typedef struct { ULONG Version; ULONG64 Flags; PWSTR Domain; PWSTR NameServer; "
                        + "PWSTR SearchList; ULONG RegistrationEnabled; ULONG RegisterAdapterName; ULONG EnableLLMNR; "
                        + "ULONG QueryAdapterName; PWSTR ProfileNameServer; } DNS_INTERFACE_SETTINGS;")
                .structure("SOCKADDR_INET", new IpHelperStructs.SockaddrInet(), sockaddr)
                .structure("IP_ADDRESS_PREFIX", new IpHelperStructs.IpAddressPrefix())
                .structure("MIB_UNICASTIPADDRESS_ROW", new IpHelperStructs.MibUnicastIpAddressRow())
                .structure("MIB_IPFORWARD_ROW2", new IpHelperStructs.MibIpForwardRow2())
                .structure("DNS_INTERFACE_SETTINGS", new IpHelperStructs.DnsInterfaceSettings())
                .structure("GUID", new WfpStructs.GuidStruct())
                .structure("FWPM_DISPLAY_DATA0", new WfpStructs.DisplayData())
                .structure("FWP_BYTE_BLOB", new WfpStructs.ByteBlob())
                .structure("FWP_VALUE0", new WfpStructs.Value(), Map.of("value", "uint8"))
                .structure("FWP_CONDITION_VALUE0", new WfpStructs.Value(), Map.of("value", "uint8"))
                .structure("FWP_V4_ADDR_AND_MASK", new WfpStructs.V4AddrAndMask())
                .structure("FWP_V6_ADDR_AND_MASK", new WfpStructs.V6AddrAndMask())
                .structure("FWPM_ACTION0", new WfpStructs.Action())
                .structure("FWPM_FILTER_CONDITION0", new WfpStructs.FilterCondition())
                .structure("FWPM_FILTER0", new WfpStructs.Filter())
                .structure("FWPM_SESSION0", new WfpStructs.Session())
                .structure("FWPM_PROVIDER0", new WfpStructs.Provider())
                .structure("FWPM_SUBLAYER0", new WfpStructs.Sublayer())
                .scalar("NET_LUID", Long.BYTES)
                .scalar("SERVICE_STATUS", 28)
                .scalar("SERVICE_TABLE_ENTRYW", 16)
                .scalar("DATA_BLOB", 16)
                .declare("_Static_assert(FWP_ACTION_PERMIT == " + WfpFilter.Action.PERMIT.code() + ", \"permit\");")
                .declare("_Static_assert(FWP_ACTION_BLOCK == " + WfpFilter.Action.BLOCK.code() + ", \"block\");")
                .declare("_Static_assert(FWP_V6_ADDR_MASK == " + WfpStructs.FWP_V6_ADDR_MASK + ", \"v6 mask\");")
                .declare("_Static_assert(FWP_BYTE_BLOB_TYPE == " + WfpStructs.FWP_BYTE_BLOB_TYPE + ", \"blob\");")
                .declare("_Static_assert(FWP_SECURITY_DESCRIPTOR_TYPE == " + WfpStructs.FWP_SECURITY_DESCRIPTOR_TYPE
                        + ", \"sd\");")
                .declare("_Static_assert(FWP_MATCH_FLAGS_ALL_SET == " + WfpStructs.FWP_MATCH_FLAGS_ALL_SET
                        + ", \"flags all set\");")
                .declare("_Static_assert(SERVICE_ACCEPT_SHUTDOWN == " + WindowsService.SERVICE_ACCEPT_SHUTDOWN
                        + ", \"accept shutdown\");")
                .declare("_Static_assert(IpDadStatePreferred == " + IpHelperStructs.DAD_PREFERRED + ", \"dad\");")
                .assertCompiles(dir);
    }
}
