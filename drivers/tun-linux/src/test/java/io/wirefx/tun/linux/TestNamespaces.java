package io.wirefx.tun.linux;

import io.wirefx.tun.linux.testing.NetNs;

/** Creates the namespaces the tests use: quiet (no IPv6 autoconfiguration chatter on new links), loopback up. */
final class TestNamespaces {

    private TestNamespaces() {
    }

    static NetNs create() throws Exception {
        NetNs ns = NetNs.create();
        try {
            // Per-namespace sysctls: without this a new TUN gets a link-local address and sends RS/MLD packets.
            ns.execChecked("sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
            ns.execChecked("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
            ns.ip("link", "set", "lo", "up");
            return ns;
        } catch (Exception e) {
            ns.close();
            throw e;
        }
    }
}
