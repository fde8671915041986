package io.wirefx.platform.windows;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import io.wirefx.core.net.IpPrefix;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The netioapi.h structures IP Helper takes, with MSVC alignment and the C member names (checked against the
 * mingw-w64 headers by the layout test). Windows LONG/ULONG are 4 bytes: {@code int}; BOOLEAN/UINT8 {@code byte};
 * NET_LUID and LARGE_INTEGER {@code long}.
 */
public final class IpHelperStructs {

    /** {@code NL_DAD_STATE} Preferred. */
    public static final int DAD_PREFERRED = 4;
    /** {@code IpPrefixOriginManual} / {@code IpSuffixOriginManual}. */
    public static final int ORIGIN_MANUAL = 1;
    /** {@code MIB_IPPROTO_NETMGMT}. */
    public static final int PROTO_NETMGMT = 3;
    /** Infinite lifetime. */
    public static final int INFINITE_LIFETIME = 0xFFFFFFFF;

    private IpHelperStructs() {
    }

    /**
     * {@code SOCKADDR_INET} (28 bytes, alignment 4): the family, then {@code SOCKADDR_IN}'s port and address or
     * {@code SOCKADDR_IN6}'s port, flow info, address and scope. Mapped with int members (a {@code byte[28]} union
     * would have alignment 1 and shift every structure around it).
     */
    @Structure.FieldOrder({"si_family", "port", "rest"})
    public static class SockaddrInet extends Structure {
        public short si_family;
        /** Big-endian port. */
        public short port;
        /** v4: address (network order) then 8 zero bytes; v6: flowinfo, address[16], scope id. */
        public int[] rest = new int[6];

        public SockaddrInet() {
            super(ALIGN_MSVC);
        }

        /** Sets an address with port 0. */
        public void set(InetAddress a) {
            byte[] b = a.getAddress();
            java.util.Arrays.fill(rest, 0);
            port = 0;
            if (a instanceof Inet4Address) {
                si_family = Family.IPV4.af();
                rest[0] = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
            } else {
                si_family = Family.IPV6.af();
                ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < 4; i++) {
                    rest[1 + i] = bb.getInt();
                }
            }
        }

        /** The address held (family decides), or null for AF_UNSPEC. */
        public InetAddress address() {
            try {
                if (si_family == Family.IPV4.af()) {
                    return InetAddress.getByAddress(
                            ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(rest[0]).array());
                }
                if (si_family == Family.IPV6.af()) {
                    ByteBuffer bb = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < 4; i++) {
                        bb.putInt(rest[1 + i]);
                    }
                    return InetAddress.getByAddress(bb.array());
                }
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
            return null;
        }
    }

    /** {@code IP_ADDRESS_PREFIX} (32 bytes). */
    @Structure.FieldOrder({"Prefix", "PrefixLength"})
    public static class IpAddressPrefix extends Structure {
        public SockaddrInet Prefix = new SockaddrInet();
        public byte PrefixLength;

        public IpAddressPrefix() {
            super(ALIGN_MSVC);
        }

        public void set(IpPrefix n) {
            Prefix.set(n.masked().address());
            PrefixLength = (byte) n.length();
        }
    }

    /** {@code MIB_UNICASTIPADDRESS_ROW} (80 bytes). */
    @Structure.FieldOrder({"Address", "InterfaceLuid", "InterfaceIndex", "PrefixOrigin", "SuffixOrigin",
            "ValidLifetime", "PreferredLifetime", "OnLinkPrefixLength", "SkipAsSource", "DadState", "ScopeId",
            "CreationTimeStamp"})
    public static class MibUnicastIpAddressRow extends Structure {
        public SockaddrInet Address = new SockaddrInet();
        public long InterfaceLuid;
        public int InterfaceIndex;
        public int PrefixOrigin;
        public int SuffixOrigin;
        public int ValidLifetime;
        public int PreferredLifetime;
        public byte OnLinkPrefixLength;
        public byte SkipAsSource;
        public int DadState;
        public int ScopeId;
        public long CreationTimeStamp;

        public MibUnicastIpAddressRow() {
            super(ALIGN_MSVC);
        }
    }

    /** {@code MIB_IPFORWARD_ROW2} (104 bytes). */
    @Structure.FieldOrder({"InterfaceLuid", "InterfaceIndex", "DestinationPrefix", "NextHop", "SitePrefixLength",
            "ValidLifetime", "PreferredLifetime", "Metric", "Protocol", "Loopback", "AutoconfigureAddress",
            "Publish", "Immortal", "Age", "Origin"})
    public static class MibIpForwardRow2 extends Structure {
        public long InterfaceLuid;
        public int InterfaceIndex;
        public IpAddressPrefix DestinationPrefix = new IpAddressPrefix();
        public SockaddrInet NextHop = new SockaddrInet();
        public byte SitePrefixLength;
        public int ValidLifetime;
        public int PreferredLifetime;
        public int Metric;
        public int Protocol;
        public byte Loopback;
        public byte AutoconfigureAddress;
        public byte Publish;
        public byte Immortal;
        public int Age;
        public int Origin;

        public MibIpForwardRow2() {
            super(ALIGN_MSVC);
        }

        public MibIpForwardRow2(Pointer p) {
            super(p, ALIGN_MSVC);
            read();
        }
    }

    /** {@code DNS_INTERFACE_SETTINGS} version 1 (64 bytes; netioapi.h of the Windows SDK, not in mingw-w64). */
    @Structure.FieldOrder({"Version", "Flags", "Domain", "NameServer", "SearchList", "RegistrationEnabled",
            "RegisterAdapterName", "EnableLLMNR", "QueryAdapterName", "ProfileNameServer"})
    public static class DnsInterfaceSettings extends Structure {
        public static final int VERSION1 = 1;
        public static final long FLAG_IPV6 = 0x1;
        public static final long FLAG_NAMESERVER = 0x2;
        public static final long FLAG_SEARCHLIST = 0x4;

        public int Version = VERSION1;
        public long Flags;
        public Pointer Domain;
        public Pointer NameServer;
        public Pointer SearchList;
        public int RegistrationEnabled;
        public int RegisterAdapterName;
        public int EnableLLMNR;
        public int QueryAdapterName;
        public Pointer ProfileNameServer;

        public DnsInterfaceSettings() {
            super(ALIGN_MSVC);
        }
    }
}
