package io.wirefx.tun.windows;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * {@code MIB_IPINTERFACE_ROW} (netioapi.h), 168 bytes on x64: one address family's IP settings of an interface (MTU,
 * metric, router discovery, DAD). Field names are the C names, so the layout test can check each offset against the
 * Windows headers. {@code BOOLEAN} fields are bytes, enums and {@code ULONG} ints, {@code NET_LUID} a long.
 */
@Structure.FieldOrder({"Family", "InterfaceLuid", "InterfaceIndex", "MaxReassemblySize", "InterfaceIdentifier",
        "MinRouterAdvertisementInterval", "MaxRouterAdvertisementInterval", "AdvertisingEnabled",
        "ForwardingEnabled", "WeakHostSend", "WeakHostReceive", "UseAutomaticMetric",
        "UseNeighborUnreachabilityDetection", "ManagedAddressConfigurationSupported",
        "OtherStatefulConfigurationSupported", "AdvertiseDefaultRoute", "RouterDiscoveryBehavior", "DadTransmits",
        "BaseReachableTime", "RetransmitTime", "PathMtuDiscoveryTimeout", "LinkLocalAddressBehavior",
        "LinkLocalAddressTimeout", "ZoneIndices", "SitePrefixLength", "Metric", "NlMtu", "Connected",
        "SupportsWakeUpPatterns", "SupportsNeighborDiscovery", "SupportsRouterDiscovery", "ReachableTime",
        "TransmitOffload", "ReceiveOffload", "DisableDefaultRoutes"})
public final class MibIpInterfaceRow extends Structure {

    /** {@code NL_ROUTER_DISCOVERY_BEHAVIOR}: RouterDiscoveryDisabled. */
    public static final int ROUTER_DISCOVERY_DISABLED = 0;

    public short Family;
    public long InterfaceLuid;
    public int InterfaceIndex;
    public int MaxReassemblySize;
    public long InterfaceIdentifier;
    public int MinRouterAdvertisementInterval;
    public int MaxRouterAdvertisementInterval;
    public byte AdvertisingEnabled;
    public byte ForwardingEnabled;
    public byte WeakHostSend;
    public byte WeakHostReceive;
    public byte UseAutomaticMetric;
    public byte UseNeighborUnreachabilityDetection;
    public byte ManagedAddressConfigurationSupported;
    public byte OtherStatefulConfigurationSupported;
    public byte AdvertiseDefaultRoute;
    public int RouterDiscoveryBehavior;
    public int DadTransmits;
    public int BaseReachableTime;
    public int RetransmitTime;
    public int PathMtuDiscoveryTimeout;
    public int LinkLocalAddressBehavior;
    public int LinkLocalAddressTimeout;
    public int[] ZoneIndices = new int[16];
    public int SitePrefixLength;
    public int Metric;
    public int NlMtu;
    public byte Connected;
    public byte SupportsWakeUpPatterns;
    public byte SupportsNeighborDiscovery;
    public byte SupportsRouterDiscovery;
    public int ReachableTime;
    public byte TransmitOffload;
    public byte ReceiveOffload;
    public byte DisableDefaultRoutes;

    public MibIpInterfaceRow() {
        super(ALIGN_MSVC);
    }

    public MibIpInterfaceRow(Pointer p) {
        super(p, ALIGN_MSVC);
        read();
    }

    /**
     * Makes a row read by {@code GetIpInterfaceEntry} safe to pass to {@code SetIpInterfaceEntry}: Get can return a
     * {@code SitePrefixLength} out of range, which Set then rejects with ERROR_INVALID_PARAMETER (wireguard-windows
     * clamps it the same way).
     */
    public void clampSitePrefixLength() {
        if (Family == IpFamily.AF_INET && (SitePrefixLength < 0 || SitePrefixLength > 32)) {
            SitePrefixLength = 0;
        } else if (Family == IpFamily.AF_INET6 && (SitePrefixLength < 0 || SitePrefixLength > 128)) {
            SitePrefixLength = 128;
        }
    }
}
