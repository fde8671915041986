package io.wirefx.daemon.interop;

import io.wirefx.tun.linux.testing.NetNs;

import java.io.IOException;

/**
 * Two fresh network namespaces joined by a veth pair: namespace {@code i} (1 or 2) has {@code 10.200.0.i/24} and
 * {@code fd00:200::i/64} on its veth end. Nothing is created in the root namespace (the veth pair is created inside
 * namespace 1 with its peer placed in namespace 2); {@link #close()} deletes both namespaces and with them every
 * interface in them.
 */
final class TestNet implements AutoCloseable {

    private final NetNs ns1;
    private final NetNs ns2;
    private final String veth1;
    private final String veth2;

    private TestNet(NetNs ns1, NetNs ns2, String veth1, String veth2) {
        this.ns1 = ns1;
        this.ns2 = ns2;
        this.veth1 = veth1;
        this.veth2 = veth2;
    }

    static TestNet create() throws IOException {
        NetNs a = NetNs.create("wfxi-");
        NetNs b = null;
        try {
            b = NetNs.create("wfxi-");
            String v1 = NetNs.uniqueInterfaceName("wfv");
            String v2 = NetNs.uniqueInterfaceName("wfv");
            a.ip("link", "add", v1, "type", "veth", "peer", "name", v2, "netns", b.name());
            TestNet net = new TestNet(a, b, v1, v2);
            for (int i = 1; i <= 2; i++) {
                NetNs ns = net.ns(i);
                ns.ip("link", "set", "lo", "up");
                ns.ip("addr", "add", outer4(i) + "/24", "dev", net.veth(i));
                ns.ip("addr", "add", outer6(i) + "/64", "dev", net.veth(i), "nodad");
                ns.ip("link", "set", net.veth(i), "up");
            }
            return net;
        } catch (IOException | RuntimeException e) {
            if (b != null) {
                b.close();
            }
            a.close();
            throw e;
        }
    }

    /**
     * Moves namespace {@code roamer} to a new link, as when a laptop leaves Wi-Fi for a mobile network: a second
     * veth pair with {@code 10.201.0.i/24} on both ends; the roamer's old link goes down and it reaches the other
     * namespace's old address through the new link (so its WireGuard endpoint stays valid). Returns the roamer's new
     * address. (wireguard-go caches its source address and
     * re-evaluates it only when a route lookup from that address leaves through another interface, so a new link,
     * with the old address kept, is needed for it to roam promptly.)
     */
    String roamToNewLink(int roamer) throws IOException {
        int other = 3 - roamer;
        String vr = NetNs.uniqueInterfaceName("wfr");
        String vo = NetNs.uniqueInterfaceName("wfr");
        ns(roamer).ip("link", "add", vr, "type", "veth", "peer", "name", vo, "netns", ns(other).name());
        String moved = "10.201.0." + roamer;
        ns(roamer).ip("addr", "add", moved + "/24", "dev", vr);
        ns(other).ip("addr", "add", "10.201.0." + other + "/24", "dev", vo);
        ns(roamer).ip("link", "set", vr, "up");
        ns(other).ip("link", "set", vo, "up");
        // The old link goes down (its routes with it) and the other side's old address is reached over the new one.
        ns(roamer).ip("link", "set", veth(roamer), "down");
        ns(roamer).ip("route", "add", outer4(other) + "/32", "dev", vr);
        return moved;
    }

    /** Namespace 1 or 2. */
    NetNs ns(int i) {
        return i == 1 ? ns1 : ns2;
    }

    /** The veth end in namespace 1 or 2. */
    String veth(int i) {
        return i == 1 ? veth1 : veth2;
    }

    /** The outer IPv4 address of namespace {@code i}. */
    static String outer4(int i) {
        return "10.200.0." + i;
    }

    /** The outer IPv6 address of namespace {@code i}. */
    static String outer6(int i) {
        return "fd00:200::" + i;
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (NetNs ns : new NetNs[]{ns2, ns1}) {
            try {
                ns.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
