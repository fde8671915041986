package io.wirefx.engine;

import io.wirefx.core.crypto.KeyPair;
import io.wirefx.core.net.IpPrefix;
import io.wirefx.tun.TunDevice;
import io.wirefx.tun.linux.LinuxTunDriver;
import io.wirefx.tun.linux.testing.NetNs;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * TCP through a tunnel between two network namespaces joined by a veth pair, measured with iperf3 — the set-up of
 * the wireguard-go comparison. Root only.
 *
 * <pre>
 * java -cp ... io.wirefx.engine.NamespaceThroughputMain [mode=engine|wireguard-go] [seconds=10] [crypto=N]
 * </pre>
 * {@code engine}: one WireGuardEngine per namespace (both in this JVM) on real TUN devices; {@code wireguard-go}: the
 * installed wireguard-go in both. Prints iperf3's receiver summary.
 */
public final class NamespaceThroughputMain {
    private NamespaceThroughputMain() {
    }

    public static void main(String[] args) throws Exception {
        String mode = "engine";
        int seconds = 10;
        int crypto = WireGuardEngine.Builder.defaultCryptoThreads();
        boolean inline = true;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "mode" -> mode = kv[1];
                case "seconds" -> seconds = Integer.parseInt(kv[1]);
                case "crypto" -> crypto = Integer.parseInt(kv[1]);
                case "inline" -> inline = Boolean.parseBoolean(kv[1]);
                default -> throw new IllegalArgumentException(a);
            }
        }
        Random rnd = new Random(1);
        KeyPair k1 = KeyPair.generate(rnd);
        KeyPair k2 = KeyPair.generate(rnd);
        List<WireGuardEngine> engines = new ArrayList<>();
        List<Runnable> cleanups = new ArrayList<>();
        try (NetNs n1 = NetNs.create("wfxbench-"); NetNs n2 = NetNs.create("wfxbench-")) {
            String veth1 = NetNs.uniqueInterfaceName("veth");
            String veth2 = NetNs.uniqueInterfaceName("veth");
            n1.ip("link", "set", "lo", "up");
            n2.ip("link", "set", "lo", "up");
            n1.ip("link", "add", veth1, "type", "veth", "peer", "name", veth2, "netns", n2.name());
            n1.ip("addr", "add", "10.200.0.1/24", "dev", veth1);
            n2.ip("addr", "add", "10.200.0.2/24", "dev", veth2);
            n1.ip("link", "set", veth1, "up");
            n2.ip("link", "set", veth2, "up");
            if (mode.equals("engine")) {
                engines.add(start(n1, k1, k2, "10.9.0.1", "10.9.0.2", "10.200.0.2", crypto, inline));
                engines.add(start(n2, k2, k1, "10.9.0.2", "10.9.0.1", "10.200.0.1", crypto, inline));
            } else {
                // UAPI sockets live in /var/run/wireguard whatever the namespace: names must differ
                String if1 = NetNs.uniqueInterfaceName("wggo");
                String if2 = NetNs.uniqueInterfaceName("wggo");
                // wireguard-go exits when its interface is deleted (it would keep the namespace alive otherwise)
                cleanups.add(() -> deleteLink(n1, if1));
                cleanups.add(() -> deleteLink(n2, if2));
                goSide(n1, if1, k1, k2, "10.9.0.1", "10.9.0.2", "10.200.0.2");
                goSide(n2, if2, k2, k1, "10.9.0.2", "10.9.0.1", "10.200.0.1");
            }
            System.out.println(n1.execChecked("ping", "-c", "2", "-i", "0.2", "10.9.0.2").lines()
                    .filter(l -> l.contains("packet loss")).findFirst().orElse("?"));
            Process server = new ProcessBuilder("ip", "netns", "exec", n2.name(), "iperf3", "-s", "-1")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(500);
            String out = n1.execChecked("iperf3", "-c", "10.9.0.2", "-t", String.valueOf(seconds), "-f", "m");
            String label = mode;
            out.lines().filter(l -> l.contains("sender") || l.contains("receiver"))
                    .forEach(l -> System.out.println(label + ": " + l.strip()));
            server.waitFor();
            for (WireGuardEngine e : engines) {
                System.out.println(e.stats().counters());
            }
            cleanups.forEach(Runnable::run);
        } finally {
            engines.forEach(WireGuardEngine::close);
        }
    }

    private static void deleteLink(NetNs ns, String ifname) {
        try {
            ns.ipResult("link", "del", ifname);
        } catch (Exception ignored) {
            // best effort
        }
    }

    private static WireGuardEngine start(NetNs ns, KeyPair self, KeyPair peer, String addr, String peerAddr,
                                         String peerOuter, int crypto, boolean inline) throws Exception {
        return ns.runInside(() -> {
            TunDevice tun = new LinuxTunDriver().open("wfx0", 1420);
            WireGuardEngine e = WireGuardEngine.builder(tun).privateKey(self.privateKey()).listenPort(51820)
                    .cryptoThreads(crypto).inlineWhenIdle(inline).build();
            e.addPeer(peer.publicKey());
            e.addAllowedIp(peer.publicKey(), IpPrefix.parse(peerAddr + "/32"));
            e.setEndpoint(peer.publicKey(), new InetSocketAddress(InetAddress.getByName(peerOuter), 51820));
            e.start();
            ns.ip("addr", "add", addr + "/24", "dev", "wfx0");
            ns.ip("link", "set", "wfx0", "up");
            return e;
        });
    }

    private static void goSide(NetNs ns, String ifname, KeyPair self, KeyPair peer, String addr, String peerAddr, String peerOuter)
            throws Exception {
        ns.execChecked("env", "LOG_LEVEL=silent", "wireguard-go", ifname);
        Path key = Files.createTempFile("wfx", ".key");
        try {
            Files.writeString(key, self.privateKey().toBase64() + "\n");
            ns.execChecked("wg", "set", ifname, "listen-port", "51820", "private-key", key.toString(), "peer",
                    peer.publicKey().toBase64(), "allowed-ips", peerAddr + "/32", "endpoint", peerOuter + ":51820");
        } finally {
            Files.delete(key);
        }
        ns.ip("addr", "add", addr + "/24", "dev", ifname);
        ns.ip("link", "set", ifname, "mtu", "1420", "up");
    }
}
