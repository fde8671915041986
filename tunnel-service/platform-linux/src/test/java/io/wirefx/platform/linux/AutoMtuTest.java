package io.wirefx.platform.linux;

import io.wirefx.platform.FakeRunner;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The automatic MTU from canned {@code ip route get} / {@code ip link show} / {@code ip route show default}. */
class AutoMtuTest {

    static final String ETH0 = "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP mode "
            + "DEFAULT group default qlen 1000\n    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff\n";
    static final String PPP0 = "5: ppp0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1492 qdisc fq_codel state "
            + "UNKNOWN mode DEFAULT group default qlen 3\n    link/ppp \n";

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void parsesRouteAndLinkOutput() {
        assertEquals(OptionalInt.of(1400), AutoMtu.parseMtu(
                "203.0.113.5 via 192.168.1.1 dev eth0 src 192.168.1.20 uid 0 \n    cache mtu 1400 \n"));
        assertEquals(OptionalInt.of(1280), AutoMtu.parseMtu("10.0.0.0/8 via 10.1.1.1 dev eth0 mtu lock 1280"));
        assertEquals(OptionalInt.of(1500), AutoMtu.parseMtu(ETH0));
        assertEquals(OptionalInt.empty(), AutoMtu.parseMtu("203.0.113.5 via 192.168.1.1 dev eth0 src 192.168.1.20"));
        assertEquals(OptionalInt.empty(), AutoMtu.parseMtu("dev mtuwg0 src 1.2.3.4"));
        assertEquals(Optional.of("eth0"), AutoMtu.parseDev("203.0.113.5 via 192.168.1.1 dev eth0 src 192.168.1.20"));
        assertEquals(Optional.of("wlp3s0"), AutoMtu.parseDev("default via 10.0.0.1 dev wlp3s0 proto dhcp metric 600"));
        assertEquals(Optional.empty(), AutoMtu.parseDev("unreachable 203.0.113.5"));
    }

    @Test
    void routeMtuWinsOverDeviceMtu() throws Exception {
        FakeRunner r = new FakeRunner()
                .respond("ip route get 203.0.113.5", "203.0.113.5 via 192.168.1.1 dev eth0 src 192.168.1.20 uid 0 \n"
                        + "    cache mtu 1400 \n")
                .respond("ip link show dev eth0", ETH0);
        assertEquals(1320, AutoMtu.compute(r, List.of(ip("203.0.113.5"))));
    }

    @Test
    void smallestOfSeveralEndpointsIPv4AndIPv6() throws Exception {
        FakeRunner r = new FakeRunner()
                .respond("ip route get 203.0.113.5", "203.0.113.5 via 192.168.1.1 dev eth0 src 192.168.1.20 uid 0\n")
                .respond("ip route get 2001:db8::7", "2001:db8::7 from :: via fe80::1 dev ppp0 proto ra src "
                        + "2001:db8:1::2 metric 1024 pref medium\n")
                .respond("ip link show dev eth0", ETH0)
                .respond("ip link show dev ppp0", PPP0);
        assertEquals(1412, AutoMtu.compute(r, List.of(ip("203.0.113.5"), ip("2001:db8::7"))));
    }

    @Test
    void unroutableEndpointIsSkippedThenDefaultRouteIsUsed() throws Exception {
        FakeRunner r = new FakeRunner()
                .fail("ip route get 203.0.113.5", "RTNETLINK answers: Network is unreachable")
                .respond("ip route show default", "default via 192.168.1.1 dev ppp0 proto static\n"
                        + "default via 10.0.0.1 dev eth0 metric 700\n")
                .respond("ip link show dev ppp0", PPP0);
        assertEquals(1412, AutoMtu.compute(r, List.of(ip("203.0.113.5"))));
    }

    @Test
    void nothingKnownGives1420() throws Exception {
        FakeRunner r = new FakeRunner().respond("ip route show default", "");
        assertEquals(1420, AutoMtu.compute(r, List.of()));
        // A device that cannot be inspected counts as unknown too.
        FakeRunner r2 = new FakeRunner().respond("ip route get 203.0.113.5", "203.0.113.5 dev gone0 src 1.2.3.4\n")
                .fail("ip link show dev gone0", "Device \"gone0\" does not exist.");
        assertEquals(1420, AutoMtu.compute(r2, List.of(ip("203.0.113.5"))));
    }
}
