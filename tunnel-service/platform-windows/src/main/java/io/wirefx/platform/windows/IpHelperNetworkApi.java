package io.wirefx.platform.windows;

import com.sun.jna.Callback;
import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.WinReg;
import com.sun.jna.ptr.PointerByReference;
import io.wirefx.core.net.IpPrefix;
import io.wirefx.core.net.IpLiterals;
import io.wirefx.tun.windows.Guid;
import io.wirefx.tun.windows.MibIpInterfaceRow;
import io.wirefx.tun.windows.Wide;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@link NetworkApi} on iphlpapi.dll (direct mapping; every function returns its Win32 code). Windows only.
 *
 * <p>DNS: {@code SetInterfaceDnsSettings} is looked up at run time; where it is missing (Windows before 10 2004)
 * the same values are written under {@code HKLM\SYSTEM\CurrentControlSet\Services\Tcpip[6]\Parameters\Interfaces\
 * {GUID}} ({@code NameServer}, {@code SearchList}), which the DNS client reads; the change takes effect with the next
 * resolver refresh ({@code ipconfig /registerdns} semantics), as wireguard-windows' fallback documents.
 */
public final class IpHelperNetworkApi implements NetworkApi {

    private static final int ERROR_SUCCESS = 0;
    private static final NativeLibrary IPHLPAPI = NativeLibrary.getInstance("iphlpapi",
            Map.of(Library.OPTION_OPEN_FLAGS, 0x800 /* LOAD_LIBRARY_SEARCH_SYSTEM32 */));

    static {
        Native.register(Natives.class, IPHLPAPI);
    }

    private static final class Natives {
        static native void InitializeUnicastIpAddressEntry(Pointer row);

        static native int CreateUnicastIpAddressEntry(Pointer row);

        static native int GetUnicastIpAddressEntry(Pointer row);

        static native int DeleteUnicastIpAddressEntry(Pointer row);

        static native void InitializeIpForwardEntry(Pointer row);

        static native int CreateIpForwardEntry2(Pointer row);

        static native int DeleteIpForwardEntry2(Pointer row);

        static native int GetIpForwardTable2(short family, PointerByReference table);

        static native void FreeMibTable(Pointer table);

        static native void InitializeIpInterfaceEntry(Pointer row);

        static native int GetIpInterfaceEntry(Pointer row);

        static native int SetIpInterfaceEntry(Pointer row);

        static native int ConvertInterfaceLuidToGuid(Pointer luid, Pointer guid);

        static native int ConvertInterfaceAliasToLuid(Pointer alias, Pointer luid);

        static native int NotifyRouteChange2(short family, RouteCallback callback, Pointer context, byte initial,
                                             PointerByReference handle);

        static native int CancelMibChangeNotify2(Pointer handle);
    }

    /** {@code PIPFORWARD_CHANGE_CALLBACK}. */
    public interface RouteCallback extends Callback {
        void invoke(Pointer context, Pointer row, int notificationType);
    }

    private static void check(String call, int code) throws WindowsException {
        if (code != ERROR_SUCCESS) {
            throw new WindowsException(call, code);
        }
    }

    @Override
    public long luidOf(String alias) throws WindowsException {
        try (Memory a = Wide.of(alias); Memory luid = new Memory(8)) {
            check("ConvertInterfaceAliasToLuid " + alias, Natives.ConvertInterfaceAliasToLuid(a, luid));
            return luid.getLong(0);
        }
    }

    @Override
    public void setInterface(long luid, NetOp.SetInterface s) throws WindowsException {
        MibIpInterfaceRow row = new MibIpInterfaceRow();
        Natives.InitializeIpInterfaceEntry(row.getPointer());
        row.read();
        row.Family = s.family().af();
        row.InterfaceLuid = luid;
        row.write();
        check("GetIpInterfaceEntry", Natives.GetIpInterfaceEntry(row.getPointer()));
        row.read();
        row.clampSitePrefixLength();
        row.NlMtu = s.mtu();
        row.DadTransmits = 0;
        row.RouterDiscoveryBehavior = MibIpInterfaceRow.ROUTER_DISCOVERY_DISABLED;
        row.ManagedAddressConfigurationSupported = 0;
        row.OtherStatefulConfigurationSupported = 0;
        if (s.metric().isPresent()) {
            row.UseAutomaticMetric = 0;
            row.Metric = s.metric().getAsInt();
        } else {
            row.UseAutomaticMetric = 1;
        }
        row.write();
        check("SetIpInterfaceEntry", Natives.SetIpInterfaceEntry(row.getPointer()));
    }

    private static IpHelperStructs.MibUnicastIpAddressRow addressRow(long luid, InetAddress a) {
        IpHelperStructs.MibUnicastIpAddressRow row = new IpHelperStructs.MibUnicastIpAddressRow();
        Natives.InitializeUnicastIpAddressEntry(row.getPointer());
        row.read();
        row.Address.set(a);
        row.InterfaceLuid = luid;
        return row;
    }

    @Override
    public void addAddress(long luid, IpPrefix address) throws WindowsException {
        IpHelperStructs.MibUnicastIpAddressRow row = addressRow(luid, address.address());
        row.OnLinkPrefixLength = (byte) address.length();
        row.PrefixOrigin = IpHelperStructs.ORIGIN_MANUAL;
        row.SuffixOrigin = IpHelperStructs.ORIGIN_MANUAL;
        row.ValidLifetime = IpHelperStructs.INFINITE_LIFETIME;
        row.PreferredLifetime = IpHelperStructs.INFINITE_LIFETIME;
        row.DadState = IpHelperStructs.DAD_PREFERRED;
        row.write();
        check("CreateUnicastIpAddressEntry " + NetOp.text(address),
                Natives.CreateUnicastIpAddressEntry(row.getPointer()));
    }

    @Override
    public DadState addressState(long luid, InetAddress address) throws WindowsException {
        IpHelperStructs.MibUnicastIpAddressRow row = addressRow(luid, address);
        row.write();
        check("GetUnicastIpAddressEntry", Natives.GetUnicastIpAddressEntry(row.getPointer()));
        row.read();
        DadState[] states = DadState.values();
        return row.DadState >= 0 && row.DadState < states.length ? states[row.DadState] : DadState.INVALID;
    }

    @Override
    public void deleteAddress(long luid, IpPrefix address) throws WindowsException {
        IpHelperStructs.MibUnicastIpAddressRow row = addressRow(luid, address.address());
        row.OnLinkPrefixLength = (byte) address.length();
        row.write();
        check("DeleteUnicastIpAddressEntry", Natives.DeleteUnicastIpAddressEntry(row.getPointer()));
    }

    private static IpHelperStructs.MibIpForwardRow2 routeRow(long luid, IpPrefix destination) {
        IpHelperStructs.MibIpForwardRow2 row = new IpHelperStructs.MibIpForwardRow2();
        Natives.InitializeIpForwardEntry(row.getPointer());
        row.read();
        row.InterfaceLuid = luid;
        row.DestinationPrefix.set(destination);
        InetAddress any = destination.isIpv4() ? IpLiterals.parse("0.0.0.0") : IpLiterals.parse("::");
        row.NextHop.set(any); // on-link
        return row;
    }

    @Override
    public void addRoute(long luid, IpPrefix destination, int metric) throws WindowsException {
        IpHelperStructs.MibIpForwardRow2 row = routeRow(luid, destination);
        row.Metric = metric;
        row.Protocol = IpHelperStructs.PROTO_NETMGMT;
        row.write();
        check("CreateIpForwardEntry2 " + NetOp.text(destination), Natives.CreateIpForwardEntry2(row.getPointer()));
    }

    @Override
    public void deleteRoute(long luid, IpPrefix destination) throws WindowsException {
        IpHelperStructs.MibIpForwardRow2 row = routeRow(luid, destination);
        row.write();
        check("DeleteIpForwardEntry2", Natives.DeleteIpForwardEntry2(row.getPointer()));
    }

    @Override
    public void setDns(long luid, Family family, List<InetAddress> servers, List<String> searchDomains)
            throws WindowsException {
        Guid guid = interfaceGuid(luid);
        String serverList = servers.stream().map(IpLiterals::format).collect(Collectors.joining(","));
        String search = String.join(",", searchDomains);
        Function set;
        try {
            set = IPHLPAPI.getFunction("SetInterfaceDnsSettings");
        } catch (UnsatisfiedLinkError e) {
            setDnsInRegistry(guid, family, serverList, search);
            return;
        }
        try (Memory g = new Memory(16); Memory ns = Wide.of(serverList); Memory sl = Wide.of(search)) {
            g.write(0, guid.toBytes(), 0, 16);
            IpHelperStructs.DnsInterfaceSettings s = new IpHelperStructs.DnsInterfaceSettings();
            s.Flags = IpHelperStructs.DnsInterfaceSettings.FLAG_NAMESERVER
                    | IpHelperStructs.DnsInterfaceSettings.FLAG_SEARCHLIST
                    | (family == Family.IPV6 ? IpHelperStructs.DnsInterfaceSettings.FLAG_IPV6 : 0);
            s.NameServer = ns;
            s.SearchList = sl;
            s.write();
            // The GUID is passed by value; on x64 a 16-byte struct goes by hidden pointer.
            check("SetInterfaceDnsSettings", set.invokeInt(new Object[]{g, s.getPointer()}));
        }
    }

    private static void setDnsInRegistry(Guid guid, Family family, String servers, String search)
            throws WindowsException {
        String key = "SYSTEM\\CurrentControlSet\\Services\\Tcpip" + (family == Family.IPV6 ? "6" : "")
                + "\\Parameters\\Interfaces\\" + guid.braced();
        try {
            Advapi32Util.registrySetStringValue(WinReg.HKEY_LOCAL_MACHINE, key, "NameServer", servers);
            Advapi32Util.registrySetStringValue(WinReg.HKEY_LOCAL_MACHINE, key, "SearchList", search);
        } catch (RuntimeException e) {
            throw new WindowsException("registry DNS fallback " + key + ": " + e.getMessage(),
                    WindowsException.ERROR_PROC_NOT_FOUND);
        }
    }

    private static Guid interfaceGuid(long luid) throws WindowsException {
        try (Memory l = new Memory(8); Memory g = new Memory(16)) {
            l.setLong(0, luid);
            check("ConvertInterfaceLuidToGuid", Natives.ConvertInterfaceLuidToGuid(l, g));
            return Guid.fromBytes(g.getByteArray(0, 16));
        }
    }

    @Override
    public List<DefaultRoute> defaultRoutes(Family family) throws WindowsException {
        PointerByReference table = new PointerByReference();
        check("GetIpForwardTable2", Natives.GetIpForwardTable2(family.af(), table));
        Pointer t = table.getValue();
        try {
            int n = t.getInt(0);
            List<DefaultRoute> out = new ArrayList<>();
            int stride = new IpHelperStructs.MibIpForwardRow2().size();
            for (int i = 0; i < n; i++) {
                IpHelperStructs.MibIpForwardRow2 r = new IpHelperStructs.MibIpForwardRow2(t.share(8L + (long) i * stride));
                if ((r.DestinationPrefix.PrefixLength & 0xff) != 0) {
                    continue;
                }
                MibIpInterfaceRow ifRow = new MibIpInterfaceRow();
                Natives.InitializeIpInterfaceEntry(ifRow.getPointer());
                ifRow.read();
                ifRow.Family = family.af();
                ifRow.InterfaceLuid = r.InterfaceLuid;
                ifRow.write();
                if (Natives.GetIpInterfaceEntry(ifRow.getPointer()) != ERROR_SUCCESS) {
                    continue;
                }
                ifRow.read();
                out.add(new DefaultRoute(r.InterfaceLuid, r.InterfaceIndex, r.Metric + ifRow.Metric,
                        ifRow.Connected != 0));
            }
            return out;
        } finally {
            Natives.FreeMibTable(t);
        }
    }

    @Override
    public AutoCloseable onRouteChange(Runnable callback) throws WindowsException {
        RouteCallback cb = (context, row, type) -> callback.run();
        PointerByReference handle = new PointerByReference();
        check("NotifyRouteChange2", Natives.NotifyRouteChange2(io.wirefx.tun.windows.IpFamily.AF_UNSPEC, cb, null, (byte) 0, handle));
        Pointer h = handle.getValue();
        return new AutoCloseable() {
            @SuppressWarnings("unused")
            private final RouteCallback keep = cb; // native code holds it until cancelled

            @Override
            public void close() throws WindowsException {
                check("CancelMibChangeNotify2", Natives.CancelMibChangeNotify2(h));
            }
        };
    }

}
