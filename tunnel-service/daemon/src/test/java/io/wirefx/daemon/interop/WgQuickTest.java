package io.wirefx.daemon.interop;

import io.wirefx.tun.linux.testing.NetNs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stock {@code wg-quick up/down} on a config file, inside a namespace, with
 * {@code WG_QUICK_USERSPACE_IMPLEMENTATION=bin/wirefx-userspace}; the peer is wireguard-go in the other namespace.
 * Covers the detached start (the launcher returns once interface and socket exist), configuration by wg-quick,
 * traffic, and the daemon exiting and removing its socket when wg-quick deletes the interface.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WgQuickTest extends InteropFixture {

    @Test
    void upTrafficDown() throws Exception {
        net = closeLater(TestNet.create());
        NetNs ns1 = net.ns(1);
        // Node 1's identity is only used for its keys and names: wg-quick starts the WireFX daemon itself.
        WgNode peer = closeLater(WgNode.start(Impl.WIREGUARD_GO, net.ns(2), 2, work));
        nodes[2] = peer;
        String name = NetNs.uniqueInterfaceName("wfq");
        io.wirefx.core.crypto.KeyPair me = io.wirefx.core.crypto.KeyPair.generate(new java.security.SecureRandom());
        Path conf = Files.createFile(work.resolve(name + ".conf"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(conf, """
                [Interface]
                PrivateKey = %s
                ListenPort = %d
                Address = 10.99.0.1/24, fd99::1/64

                [Peer]
                PublicKey = %s
                AllowedIPs = 10.99.0.2/32, fd99::2/128
                Endpoint = %s
                PersistentKeepalive = 25
                """.formatted(me.privateKey().toBase64(), port(1), peer.publicKey(), endpointOf(2, false)));
        peer.setIdentity(port(2));
        peer.wg("set", peer.name, "peer", me.publicKey().toBase64(), "allowed-ips", "10.99.0.1/32,fd99::1/128");
        peer.up();

        Path socket = Interop.SOCKET_DIR.resolve(name + ".sock");
        // If anything fails, deleting the socket makes a detached daemon exit; the namespace goes in tearDown.
        closeLater(() -> Files.deleteIfExists(socket));
        WgQuick wgQuick = WgQuick.in(ns1, work);

        NetNs.ExecResult up = wgQuick.run("up", conf);
        assertEquals(0, up.exitCode(), "wg-quick up:\n" + up.output());
        assertTrue(up.output().contains(Interop.launcher() + " " + name), "wg-quick used our launcher:\n"
                + up.output());
        assertTrue(Files.exists(socket), "socket after wg-quick up");
        long daemonPid = listenerPid(ns1, socket);
        assertTrue(daemonPid > 0, "no process listens on " + socket);

        String show = ns1.execChecked("wg", "show", name);
        assertTrue(show.contains("peer: " + peer.publicKey()), show);
        assertTrue(show.contains("persistent keepalive: every 25 seconds"), show);
        assertTrue(ns1.execChecked("ip", "-o", "addr", "show", "dev", name).contains("10.99.0.1/24"));
        assertTrue(ns1.execChecked("ip", "link", "show", "dev", name).contains("mtu 1420"), "wg-quick's MTU");

        // Routes installed by wg-quick carry the traffic.
        assertTrue(pingUntilReply(ns1, "10.99.0.2"), "no echo through the wg-quick tunnel" + logs());
        assertTrue(pingUntilReply(ns1, "fd99::2"), "no IPv6 echo through the wg-quick tunnel" + logs());
        WgNode.PeerDump seen = peer.dumpOf(me.publicKey().toBase64());
        assertTrue(seen.latestHandshake() > 0 && seen.rx() > 0, "wireguard-go's view of WireFX: " + seen);
        assertEquals(endpointOf(1, false), seen.endpoint());

        NetNs.ExecResult down = wgQuick.run("down", conf);
        assertEquals(0, down.exitCode(), "wg-quick down:\n" + down.output());
        assertTrue(waitGone(daemonPid, 15_000), "daemon " + daemonPid + " still running after wg-quick down");
        assertFalse(Files.exists(socket), "socket left behind");
        assertFalse(ns1.ipResult("link", "show", "dev", name).exitCode() == 0, "interface left behind");
    }

    private static boolean pingUntilReply(NetNs ns, String dst) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (ns.exec("ping", "-n", "-q", "-c", "1", "-W", "1", dst).exitCode() == 0) {
                return true;
            }
            Thread.sleep(100); // IPv6 addresses may still be tentative
        }
        return false;
    }

    /** The pid of the process listening on a UNIX socket path, from {@code ss -xlp} in the namespace; -1 if none. */
    private static long listenerPid(NetNs ns, Path socket) throws Exception {
        String out = ns.execChecked("ss", "-xlpH", "src", socket.toString());
        Matcher m = Pattern.compile("pid=(\\d+)").matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static boolean waitGone(long pid, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(ph -> !ph.isAlive()).orElse(true) || isZombie(pid)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** A detached daemon's parent is init, which may reap it late: a zombie has exited. */
    private static boolean isZombie(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .anyMatch(l -> l.startsWith("State:") && l.contains("Z"));
        } catch (java.io.IOException gone) {
            return true;
        }
    }
}
