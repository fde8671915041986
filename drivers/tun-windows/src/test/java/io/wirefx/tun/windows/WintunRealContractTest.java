package io.wirefx.tun.windows;

import io.wirefx.tun.TunDevice;
import io.wirefx.tun.TunDeviceContract;
import io.wirefx.tun.testing.Ip4;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The TUN contract on a real Wintun adapter (Windows, elevated, pinned Wintun installed). The adapter has
 * 10.81.0.1/24; payloads travel as IPv4/UDP: a socket on 10.81.0.1 sends to 10.81.0.2 (Windows routes that into the
 * adapter: the device reads it), and packets the device writes to 10.81.0.1 reach that socket. Windows' own traffic on
 * the adapter (router solicitations, IGMP) is ignored by the payload parsing. Removal cannot be caused from outside
 * while the session is open, so that test is skipped.
 */
@Tag("windows")
@EnabledOnOs(OS.WINDOWS)
class WintunRealContractTest extends TunDeviceContract {

    static final Inet4Address LOCAL = Ip4.addr("10.81.0.1");
    static final Inet4Address PEER = Ip4.addr("10.81.0.2");
    static final int PEER_PORT = 40000;

    @Override
    protected Harness openHarness() throws Exception {
        WintunDevice device = new WintunDriver().open("wfx-ci-contract", 1420);
        Process p = new ProcessBuilder("netsh", "interface", "ipv4", "set", "address", "name=wfx-ci-contract",
                "static", "10.81.0.1", "255.255.255.0").inheritIO().start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            device.close();
            throw new IOException("netsh failed");
        }
        DatagramSocket socket = null;
        for (int i = 0; socket == null; i++) { // the address needs a moment before it can be bound
            try {
                socket = new DatagramSocket(new InetSocketAddress(LOCAL, 0));
            } catch (IOException e) {
                if (i > 50) {
                    device.close();
                    throw e;
                }
                Thread.sleep(100);
            }
        }
        DatagramSocket s = socket;
        return new Harness() {
            @Override
            public TunDevice device() {
                return device;
            }

            @Override
            public int overhead() {
                return Ip4.HEADER + Ip4.UDP_HEADER;
            }

            @Override
            public void inject(byte[] payload) throws IOException {
                s.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(PEER, PEER_PORT)));
            }

            @Override
            public byte[] payloadOf(byte[] array, int offset, int length) {
                return Ip4.udpPayload(array, offset, length, PEER, PEER_PORT);
            }

            @Override
            public byte[] packetFor(byte[] payload) {
                return Ip4.udp(PEER, PEER_PORT, LOCAL, s.getLocalPort(), payload);
            }

            @Override
            public byte[] awaitDelivered(Duration timeout) throws IOException {
                byte[] buf = new byte[65536];
                DatagramPacket d = new DatagramPacket(buf, buf.length);
                s.setSoTimeout((int) Math.max(1, timeout.toMillis()));
                try {
                    s.receive(d);
                    return Arrays.copyOf(buf, d.getLength());
                } catch (SocketTimeoutException e) {
                    return null;
                }
            }

            @Override
            public boolean removeInterface() {
                return false;
            }

            @Override
            public void close() {
                s.close();
                device.close();
            }
        };
    }
}
