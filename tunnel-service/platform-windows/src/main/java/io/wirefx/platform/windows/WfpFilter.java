package io.wirefx.platform.windows;

import io.wirefx.core.net.IpPrefix;
import io.wirefx.core.net.IpLiterals;
import io.wirefx.tun.windows.Guid;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One Windows Filtering Platform filter of the kill switch, as data. Conditions with the same field are ORed by WFP,
 * conditions on different fields ANDed; within the sublayer the matching filter of highest weight decides.
 *
 * @param name       display name
 * @param layer      where it applies
 * @param action     permit or block
 * @param weight     0..15 ({@code FWP_UINT8}); higher is evaluated first
 * @param conditions all must hold (per field: any of the values)
 */
public record WfpFilter(String name, Layer layer, Action action, int weight, List<Condition> conditions) {

    public WfpFilter {
        Objects.requireNonNull(name);
        Objects.requireNonNull(layer);
        Objects.requireNonNull(action);
        if (weight < 0 || weight > 15) {
            throw new IllegalArgumentException("weight " + weight);
        }
        conditions = List.copyOf(conditions);
    }

    /** The ALE layers the kill switch uses: connect (outbound) and receive-accept (inbound), per family. */
    public enum Layer {
        ALE_AUTH_CONNECT_V4("c38d57d1-05a7-4c33-904f-7fbceee60e82", Family.IPV4, true),
        ALE_AUTH_CONNECT_V6("4a72393b-319f-44bc-84c3-ba54dcb3b6b4", Family.IPV6, true),
        ALE_AUTH_RECV_ACCEPT_V4("e1cd9fe7-f4b5-4273-96c0-592e487b8650", Family.IPV4, false),
        ALE_AUTH_RECV_ACCEPT_V6("a3b42c97-9f04-4672-b87e-cee9c483257f", Family.IPV6, false);

        private final Guid key;
        private final Family family;
        private final boolean outbound;

        Layer(String key, Family family, boolean outbound) {
            this.key = Guid.parse(key);
            this.family = family;
            this.outbound = outbound;
        }

        /** {@code FWPM_LAYER_*} GUID. */
        public Guid key() {
            return key;
        }

        public Family family() {
            return family;
        }

        public boolean outbound() {
            return outbound;
        }

        static Layer of(Family f, boolean outbound) {
            if (f == Family.IPV4) {
                return outbound ? ALE_AUTH_CONNECT_V4 : ALE_AUTH_RECV_ACCEPT_V4;
            }
            return outbound ? ALE_AUTH_CONNECT_V6 : ALE_AUTH_RECV_ACCEPT_V6;
        }
    }

    /** {@code FWP_ACTION_PERMIT} (0x1002) or {@code FWP_ACTION_BLOCK} (0x1001). */
    public enum Action {
        BLOCK(0x1001), PERMIT(0x1002);

        private final int code;

        Action(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** The {@code FWPM_CONDITION_*} fields the kill switch matches on. */
    public enum Field {
        IP_LOCAL_INTERFACE("4cd62a49-59c3-4969-b7f3-bda5d32890a4"),
        IP_REMOTE_ADDRESS("b235ae9a-1d64-49b8-a44c-5ff3d9095045"),
        IP_LOCAL_ADDRESS("d9ee00de-c1ef-4617-bfe3-ffd8f5a08957"),
        IP_PROTOCOL("3971ef2b-623e-4f9a-8cb1-6e79b806b9a7"),
        /** Also the ICMP type for ICMP. */
        IP_LOCAL_PORT("0c1ba1af-5765-453f-af22-a8f791ac775b"),
        /** Also the ICMP code for ICMP. */
        IP_REMOTE_PORT("c35a604d-d22b-4e1a-91b4-68f674ee674b"),
        ALE_APP_ID("d78e1e87-8644-4ea5-9437-d809ecefc971"),
        ALE_USER_ID("af043a0a-b34d-4f86-979c-c90371af6e66"),
        FLAGS("632ce23b-5167-435c-86d7-e903684aa80c");

        private final Guid key;

        Field(String key) {
            this.key = Guid.parse(key);
        }

        public Guid key() {
            return key;
        }
    }

    /** One condition; {@link #field()} says which WFP field it tests. */
    public sealed interface Condition {
        Field field();

        String describe();
    }

    /** The packet is on interface {@code luid} ({@code FWP_UINT64}). */
    public record LocalInterface(long luid) implements Condition {
        public Field field() {
            return Field.IP_LOCAL_INTERFACE;
        }

        public String describe() {
            return "IP_LOCAL_INTERFACE = " + (luid == 0 ? "the adapter's LUID" : "0x" + Long.toHexString(luid));
        }
    }

    /** The remote address is in {@code network} ({@code FWP_V4/V6_ADDR_MASK}, or an exact address). */
    public record RemoteAddress(IpPrefix network) implements Condition {
        public Field field() {
            return Field.IP_REMOTE_ADDRESS;
        }

        public String describe() {
            return "IP_REMOTE_ADDRESS = " + NetOp.text(network);
        }
    }

    /** The local address is in {@code network}. */
    public record LocalAddress(IpPrefix network) implements Condition {
        public Field field() {
            return Field.IP_LOCAL_ADDRESS;
        }

        public String describe() {
            return "IP_LOCAL_ADDRESS = " + NetOp.text(network);
        }
    }

    /** IP protocol number ({@code FWP_UINT8}): 6 TCP, 17 UDP, 58 ICMPv6. */
    public record Protocol(int number) implements Condition {
        public static final int TCP = 6;
        public static final int UDP = 17;
        public static final int ICMPV6 = 58;

        public Field field() {
            return Field.IP_PROTOCOL;
        }

        public String describe() {
            return "IP_PROTOCOL = " + switch (number) {
                case TCP -> "TCP";
                case UDP -> "UDP";
                case ICMPV6 -> "ICMPv6";
                default -> Integer.toString(number);
            };
        }
    }

    /** Local port, or ICMP type ({@code FWP_UINT16}). */
    public record LocalPort(int port) implements Condition {
        public Field field() {
            return Field.IP_LOCAL_PORT;
        }

        public String describe() {
            return "IP_LOCAL_PORT = " + port;
        }
    }

    /** Remote port, or ICMP code ({@code FWP_UINT16}). */
    public record RemotePort(int port) implements Condition {
        public Field field() {
            return Field.IP_REMOTE_PORT;
        }

        public String describe() {
            return "IP_REMOTE_PORT = " + port;
        }
    }

    /** Loopback traffic ({@code FWPM_CONDITION_FLAGS} with {@code FWP_CONDITION_FLAG_IS_LOOPBACK}, FLAGS_ALL_SET). */
    public record Loopback() implements Condition {
        public Field field() {
            return Field.FLAGS;
        }

        public String describe() {
            return "FLAGS has IS_LOOPBACK";
        }
    }

    /** The application: its executable's AppId ({@code FwpmGetAppIdFromFileName0}). */
    public record AppId(String executable) implements Condition {
        public Field field() {
            return Field.ALE_APP_ID;
        }

        public String describe() {
            return "ALE_APP_ID = " + executable;
        }
    }

    /**
     * The user/group of the process's token: a security descriptor granting {@code FWP_ACTRL_MATCH_FILTER} to
     * {@code sid}. With the per-service SID it matches only processes of that service, which is what tells the
     * WireFX service apart from every other {@code java.exe}.
     */
    public record UserSid(String sid) implements Condition {
        public Field field() {
            return Field.ALE_USER_ID;
        }

        public String describe() {
            return "ALE_USER_ID matches " + sddl();
        }

        /** The SDDL of the security descriptor. */
        public String sddl() {
            return "O:SYD:(A;;0x1;;;" + sid + ")";
        }
    }

    /** One plan line. */
    public String describe() {
        return "FwpmFilterAdd0 " + layer + " weight=" + weight + " " + action + " \"" + name + "\""
                + (conditions.isEmpty() ? "" : " if " + conditions.stream()
                .collect(Collectors.groupingBy(Condition::field, java.util.LinkedHashMap::new, Collectors.toList()))
                .values().stream()
                .map(same -> same.size() == 1 ? same.getFirst().describe()
                        : same.stream().map(Condition::describe).collect(Collectors.joining(" OR ", "(", ")")))
                .collect(Collectors.joining(" AND ")));
    }

    static IpPrefix host(String literal) {
        return IpPrefix.host(IpLiterals.parse(literal));
    }
}
