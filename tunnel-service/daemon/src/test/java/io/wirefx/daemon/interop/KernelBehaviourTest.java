package io.wirefx.daemon.interop;

import io.wirefx.core.crypto.KeyPair;
import io.wirefx.tun.linux.testing.NetNs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where WireFX must behave as the kernel module does, checked in namespaces against wireguard-go and configured
 * with stock {@code wg} and {@code ip}: node 1 is {@code bin/wirefx-userspace}, node 2 wireguard-go.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KernelBehaviourTest extends InteropFixture {

    /**
     * {@code wg set … private-key} expires every session and opens the handshake gate: the next ping handshakes under
     * the new identity at once, instead of going on under the old one or waiting for the 5 s retry.
     */
    @Test
    void aPrivateKeyChangeHandshakesUnderTheNewIdentityWithTheNextPacket() throws Exception {
        start(Impl.WIREFX, Impl.WIREGUARD_GO);
        configure(Setup.onlyKnows(1));
        WgNode us = node(1);
        WgNode go = node(2);
        assertTrue(us.pingUntilReply(go.tunnel4(), 20_000), "first handshake" + logs());

        KeyPair fresh = KeyPair.generate(new SecureRandom());
        Path key = Files.createFile(work.resolve("fresh.key"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(key, fresh.privateKey().toBase64() + "\n");
        go.wg("set", go.name, "peer", us.publicKey(), "remove", "peer", fresh.publicKey().toBase64(),
                "allowed-ips", us.tunnel4() + "/32," + us.tunnel6() + "/128");
        us.wg("set", us.name, "private-key", key.toString());
        assertEquals(fresh.publicKey().toBase64(), us.wg("show", us.name, "public-key").strip());

        long t0 = System.nanoTime();
        NetNs.ExecResult ping = us.ns.exec("ping", "-n", "-c", "1", "-W", "3", go.tunnel4());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, ping.exitCode(), "no reply within 3 s under the new key: " + ping.output() + logs());
        assertTrue(millis < 3000, millis + " ms");
        assertTrue(go.dumpOf(fresh.publicKey().toBase64()).latestHandshake() > 0, "wireguard-go saw the new key");
    }

    /**
     * {@code ip link set … mtu} applies to the next packet: an IP packet of 1290 bytes is padded to 1296 at MTU
     * 1420 but only to 1292 at MTU 1292. wireguard-go counts each transport message's padded plaintext plus 32 bytes of
     * header and tag as received, so its rx counter shows the padding WireFX chose for that one echo request.
     */
    @Test
    void anMtuChangeAppliesToTheNextPacket() throws Exception {
        start(Impl.WIREFX, Impl.WIREGUARD_GO);
        configure(Setup.onlyKnows(1));
        WgNode us = node(1);
        WgNode go = node(2);
        assertTrue(us.pingUntilReply(go.tunnel4(), 20_000), "first handshake" + logs());
        for (int mtu : new int[]{1292, 1420, 1292}) {
            long before = go.dumpOf(us).rx();
            us.ns.ip("link", "set", "dev", us.name, "mtu", Integer.toString(mtu));
            NetNs.ExecResult ping = us.ns.exec("ping", "-n", "-c", "1", "-W", "3", "-s", "1262", go.tunnel4());
            assertEquals(0, ping.exitCode(), ping.output() + logs());
            long received = go.dumpOf(us).rx() - before;
            int padded = Math.min(1296, mtu);
            assertEquals(padded + 32, received, "padding of the first packet after setting MTU " + mtu);
        }
    }

    /**
     * Replies leave from the address the peer sent to: WireFX's namespace has a second address, wireguard-go is told
     * to reach WireFX there, and after its handshake and pings it still names that address as the endpoint (had the
     * answers come from the interface's first address, wireguard-go would have moved its endpoint there).
     */
    @Test
    void answersLeaveFromTheAddressThePeerSentTo() throws Exception {
        start(Impl.WIREFX, Impl.WIREGUARD_GO);
        configure(Setup.onlyKnows(2));
        WgNode us = node(1);
        WgNode go = node(2);
        String second = "10.200.0.11";
        net.ns(1).ip("addr", "add", second + "/24", "dev", net.veth(1));
        go.wg("set", go.name, "peer", us.publicKey(), "endpoint", second + ":" + port(1));
        assertTrue(go.pingUntilReply(us.tunnel4(), 20_000), "handshake" + logs());
        assertTrue(go.ping(us.tunnel4(), 3), "pings" + logs());
        assertTrue(us.ping(go.tunnel4(), 3), "pings the other way" + logs());
        assertEquals(second + ":" + port(1), go.dumpOf(us).endpoint(), "wireguard-go kept the address it sent to");
    }
}
