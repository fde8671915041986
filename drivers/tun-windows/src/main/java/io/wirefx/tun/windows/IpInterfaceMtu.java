package io.wirefx.tun.windows;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.io.IOException;

/**
 * {@link InterfaceMtu} through IP Helper ({@code GetIpInterfaceEntry} / {@code SetIpInterfaceEntry} on the
 * {@code NlMtu} of the interface's IPv4 and IPv6 rows). Windows only.
 */
public final class IpInterfaceMtu implements InterfaceMtu {

    /** {@code ERROR_NOT_FOUND}: no such row, e.g. IPv6 disabled on the interface. */
    static final int ERROR_NOT_FOUND = 1168;
    /** IPv6's minimum link MTU. */
    static final int IPV6_MIN_MTU = 1280;

    private static boolean registered;

    /** Binds iphlpapi.dll (from System32 only). */
    public IpInterfaceMtu() {
        register();
    }

    private static synchronized void register() {
        if (!registered) {
            Native.register(Natives.class, NativeLibrary.getInstance("iphlpapi", java.util.Map.of(
                    com.sun.jna.Library.OPTION_OPEN_FLAGS, WintunLibrary.LOAD_LIBRARY_SEARCH_SYSTEM32)));
            registered = true;
        }
    }

    private static final class Natives {
        static native void InitializeIpInterfaceEntry(Pointer row);

        static native int GetIpInterfaceEntry(Pointer row);

        static native int SetIpInterfaceEntry(Pointer row);
    }

    @Override
    public int get(long luid) throws IOException {
        MibIpInterfaceRow row = row(luid, IpFamily.AF_INET);
        int err = Natives.GetIpInterfaceEntry(row.getPointer());
        if (err != 0) {
            throw new IOException("GetIpInterfaceEntry: error " + err);
        }
        row.read();
        return row.NlMtu;
    }

    @Override
    public void set(long luid, int mtu) throws IOException {
        setFamily(luid, IpFamily.AF_INET, mtu, true);
        if (mtu >= IPV6_MIN_MTU) {
            setFamily(luid, IpFamily.AF_INET6, mtu, false);
        }
    }

    private static void setFamily(long luid, short family, int mtu, boolean required) throws IOException {
        MibIpInterfaceRow row = row(luid, family);
        int err = Natives.GetIpInterfaceEntry(row.getPointer());
        if (err == ERROR_NOT_FOUND && !required) {
            return;
        }
        if (err != 0) {
            throw new IOException("GetIpInterfaceEntry(family " + family + "): error " + err);
        }
        row.read();
        row.clampSitePrefixLength();
        row.NlMtu = mtu;
        row.write();
        err = Natives.SetIpInterfaceEntry(row.getPointer());
        if (err != 0) {
            throw new IOException("SetIpInterfaceEntry(family " + family + ", NlMtu " + mtu + "): error " + err);
        }
    }

    private static MibIpInterfaceRow row(long luid, short family) {
        MibIpInterfaceRow row = new MibIpInterfaceRow();
        Natives.InitializeIpInterfaceEntry(row.getPointer());
        row.read();
        row.Family = family;
        row.InterfaceLuid = luid;
        row.write();
        return row;
    }
}
