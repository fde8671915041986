package io.wirefx.platform.windows;

import io.wirefx.core.net.IpPrefix;
import io.wirefx.platform.windows.WfpFilter.Action;
import io.wirefx.platform.windows.WfpFilter.AppId;
import io.wirefx.platform.windows.WfpFilter.Condition;
import io.wirefx.platform.windows.WfpFilter.Layer;
import io.wirefx.platform.windows.WfpFilter.LocalAddress;
import io.wirefx.platform.windows.WfpFilter.LocalInterface;
import io.wirefx.platform.windows.WfpFilter.LocalPort;
import io.wirefx.platform.windows.WfpFilter.Loopback;
import io.wirefx.platform.windows.WfpFilter.Protocol;
import io.wirefx.platform.windows.WfpFilter.RemoteAddress;
import io.wirefx.platform.windows.WfpFilter.RemotePort;
import io.wirefx.platform.windows.WfpFilter.UserSid;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The kill switch's filter set ("block untunneled traffic" in wireguard-windows), computed as data.
 *
 * <table>
 *   <caption>Filters, highest weight first (all four ALE layers unless said)</caption>
 *   <tr><td>15</td><td>permit the WireFX service process: its executable's AppId <em>and</em> its per-service SID
 *   (a Java service's AppId is {@code java.exe}, shared by every Java program; the service SID is not)</td></tr>
 *   <tr><td>15</td><td>permit port 53 (UDP, TCP) to each of the tunnel's DNS servers (outbound)</td></tr>
 *   <tr><td>14</td><td>block port 53 to anything else (outbound), so DNS cannot leak to the LAN's resolver</td></tr>
 *   <tr><td>13</td><td>permit loopback</td></tr>
 *   <tr><td>12</td><td>permit the tunnel interface</td></tr>
 *   <tr><td>12</td><td>permit DHCPv4 and DHCPv6 exchanges with the local network</td></tr>
 *   <tr><td>12</td><td>permit neighbour discovery (ICMPv6 133 out, 134 and 137 in, 135/136 both ways)</td></tr>
 *   <tr><td>12</td><td>optionally permit the LAN: private, link-local and unique-local ranges and multicast</td></tr>
 *   <tr><td>0</td><td>block everything else</td></tr>
 * </table>
 *
 * It applies only to a full tunnel (a {@code /0} route); a split tunnel gets no filters.
 */
public final class KillSwitchRules {

    /** What the filters need to know. */
    public record Params(long tunnelLuid, String serviceExecutable, String serviceSid, List<InetAddress> dnsServers,
                         boolean allowLan) {
        public Params {
            Objects.requireNonNull(serviceExecutable);
            Objects.requireNonNull(serviceSid);
            dnsServers = List.copyOf(dnsServers);
        }
    }

    static final List<String> LAN_V4 = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
            "224.0.0.0/4", "255.255.255.255/32");
    static final List<String> LAN_V6 = List.of("fe80::/10", "fc00::/7", "ff00::/8");

    private KillSwitchRules() {
    }

    /** The filters for a full tunnel. */
    public static List<WfpFilter> compute(Params p) {
        List<WfpFilter> out = new ArrayList<>();
        allLayers(out, "WireFX service", Action.PERMIT, 15,
                List.of(new AppId(p.serviceExecutable()), new UserSid(p.serviceSid())));
        if (!p.dnsServers().isEmpty()) {
            for (Family f : Family.values()) {
                List<Condition> servers = p.dnsServers().stream().filter(a -> Family.of(a) == f)
                        .<Condition>map(a -> new RemoteAddress(IpPrefix.host(a))).toList();
                for (int proto : new int[]{Protocol.UDP, Protocol.TCP}) {
                    String name = (proto == Protocol.UDP ? "UDP" : "TCP") + " DNS";
                    if (!servers.isEmpty()) {
                        List<Condition> c = new ArrayList<>(List.of(new Protocol(proto), new RemotePort(53)));
                        c.addAll(servers);
                        out.add(new WfpFilter("permit " + name + " to the tunnel's servers", Layer.of(f, true),
                                Action.PERMIT, 15, c));
                    }
                    out.add(new WfpFilter("block other " + name, Layer.of(f, true), Action.BLOCK, 14,
                            List.of(new Protocol(proto), new RemotePort(53))));
                }
            }
        }
        allLayers(out, "loopback", Action.PERMIT, 13, List.of(new Loopback()));
        allLayers(out, "tunnel interface", Action.PERMIT, 12, List.of(new LocalInterface(p.tunnelLuid())));
        dhcp(out);
        ndp(out);
        if (p.allowLan()) {
            for (Family f : Family.values()) {
                List<Condition> lan = (f == Family.IPV4 ? LAN_V4 : LAN_V6).stream()
                        .<Condition>map(s -> new RemoteAddress(IpPrefix.parse(s))).toList();
                out.add(new WfpFilter("permit LAN", Layer.of(f, true), Action.PERMIT, 12, lan));
                out.add(new WfpFilter("permit LAN", Layer.of(f, false), Action.PERMIT, 12, lan));
            }
        }
        allLayers(out, "block all", Action.BLOCK, 0, List.of());
        return out;
    }

    private static void allLayers(List<WfpFilter> out, String name, Action a, int weight, List<Condition> c) {
        for (Layer l : Layer.values()) {
            out.add(new WfpFilter(name, l, a, weight, c));
        }
    }

    private static void dhcp(List<WfpFilter> out) {
        Protocol udp = new Protocol(Protocol.UDP);
        out.add(new WfpFilter("DHCPv4 request", Layer.ALE_AUTH_CONNECT_V4, Action.PERMIT, 12, List.of(udp,
                new LocalPort(68), new RemotePort(67), new RemoteAddress(WfpFilter.host("255.255.255.255")))));
        out.add(new WfpFilter("DHCPv4 response", Layer.ALE_AUTH_RECV_ACCEPT_V4, Action.PERMIT, 12, List.of(udp,
                new LocalPort(68), new RemotePort(67))));
        IpPrefix linkLocal = IpPrefix.parse("fe80::/10");
        out.add(new WfpFilter("DHCPv6 request", Layer.ALE_AUTH_CONNECT_V6, Action.PERMIT, 12, List.of(udp,
                new LocalAddress(linkLocal), new LocalPort(546), new RemotePort(547),
                new RemoteAddress(WfpFilter.host("ff02::1:2")), new RemoteAddress(WfpFilter.host("ff05::1:3")))));
        out.add(new WfpFilter("DHCPv6 response", Layer.ALE_AUTH_RECV_ACCEPT_V6, Action.PERMIT, 12, List.of(udp,
                new LocalAddress(linkLocal), new LocalPort(546), new RemoteAddress(linkLocal), new RemotePort(547))));
    }

    private static void ndp(List<WfpFilter> out) {
        Protocol icmp6 = new Protocol(Protocol.ICMPV6);
        IpPrefix linkLocal = IpPrefix.parse("fe80::/10");
        // ICMP type in the LOCAL_PORT field, code in REMOTE_PORT.
        out.add(new WfpFilter("NDP router solicitation", Layer.ALE_AUTH_CONNECT_V6, Action.PERMIT, 12, List.of(icmp6,
                new LocalPort(133), new RemotePort(0), new RemoteAddress(WfpFilter.host("ff02::2")))));
        out.add(new WfpFilter("NDP router advertisement", Layer.ALE_AUTH_RECV_ACCEPT_V6, Action.PERMIT, 12,
                List.of(icmp6, new LocalPort(134), new RemotePort(0), new RemoteAddress(linkLocal))));
        out.add(new WfpFilter("NDP redirect", Layer.ALE_AUTH_RECV_ACCEPT_V6, Action.PERMIT, 12,
                List.of(icmp6, new LocalPort(137), new RemotePort(0), new RemoteAddress(linkLocal))));
        for (int type : new int[]{135, 136}) {
            String name = type == 135 ? "NDP neighbour solicitation" : "NDP neighbour advertisement";
            out.add(new WfpFilter(name, Layer.ALE_AUTH_CONNECT_V6, Action.PERMIT, 12,
                    List.of(icmp6, new LocalPort(type), new RemotePort(0))));
            out.add(new WfpFilter(name, Layer.ALE_AUTH_RECV_ACCEPT_V6, Action.PERMIT, 12,
                    List.of(icmp6, new LocalPort(type), new RemotePort(0))));
        }
    }
}
