package io.wirefx.tun.linux;

import io.wirefx.tun.TunDevice;
import io.wirefx.tun.TunDeviceContract;
import io.wirefx.tun.linux.testing.NetNs;
import io.wirefx.tun.testing.Ip4;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/**
 * A real TUN inside a test namespace: the interface gets {@value #LOCAL_CIDR} and is up. Payloads are injected as
 * UDP datagrams sent from inside the namespace to {@link #PEER} (routed into the TUN); written packets are IPv4/UDP
 * datagrams from {@link #PEER} to a socket bound to {@link #LOCAL} inside the namespace.
 */
final class NsTunHarness implements TunDeviceContract.Harness {

    static final String LOCAL_CIDR = "10.77.0.1/24";
    static final Inet4Address LOCAL = Ip4.addr("10.77.0.1");
    static final Inet4Address PEER = Ip4.addr("10.77.0.2");
    static final int PEER_PORT = 40000;
    static final int LOCAL_PORT = 40001;
    static final int PEER_SOURCE_PORT = 40002;

    private final NetNs ns;
    private final LinuxTunDevice device;
    private final DatagramSocket sender;
    private final DatagramSocket receiver;

    private NsTunHarness(NetNs ns, LinuxTunDevice device, DatagramSocket sender, DatagramSocket receiver) {
        this.ns = ns;
        this.device = device;
        this.sender = sender;
        this.receiver = receiver;
    }

    /** Opens a uniquely named TUN inside {@code ns}, with address and link up, plus the two sockets. */
    static NsTunHarness open(NetNs ns, LinuxTunDriver driver) throws Exception {
        LinuxTunDevice dev = openInside(ns, driver, NetNs.uniqueInterfaceName("wfx"), 1420);
        DatagramSocket tx = null;
        try {
            ns.ip("addr", "add", LOCAL_CIDR, "dev", dev.name());
            ns.ip("link", "set", dev.name(), "up");
            tx = ns.runInside(() -> new DatagramSocket(new InetSocketAddress(LOCAL, 0)));
            DatagramSocket rx = ns.runInside(() -> new DatagramSocket(new InetSocketAddress(LOCAL, LOCAL_PORT)));
            return new NsTunHarness(ns, dev, tx, rx);
        } catch (Exception e) {
            if (tx != null) {
                tx.close();
            }
            dev.close();
            throw e;
        }
    }

    /**
     * Opens a TUN on the namespace's thread and checks it really is in the namespace; if not, it is closed at once
     * (which deletes it) and the test fails.
     */
    static LinuxTunDevice openInside(NetNs ns, LinuxTunDriver driver, String name, int mtu) throws Exception {
        LinuxTunDevice dev = ns.runInside(() -> driver.open(name, mtu));
        if (ns.ipResult("link", "show", "dev", dev.name()).exitCode() != 0) {
            dev.close();
            throw new IllegalStateException("TUN " + dev.name() + " was not created inside " + ns.name());
        }
        return dev;
    }

    LinuxTunDevice linuxDevice() {
        return device;
    }

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
        sender.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(PEER, PEER_PORT)));
    }

    @Override
    public byte[] payloadOf(byte[] array, int offset, int length) {
        return Ip4.udpPayload(array, offset, length, PEER, PEER_PORT);
    }

    @Override
    public byte[] packetFor(byte[] payload) {
        return Ip4.udp(PEER, PEER_SOURCE_PORT, LOCAL, LOCAL_PORT, payload);
    }

    @Override
    public byte[] awaitDelivered(Duration timeout) throws IOException {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        receiver.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        try {
            receiver.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return Arrays.copyOfRange(buf, p.getOffset(), p.getOffset() + p.getLength());
    }

    @Override
    public boolean removeInterface() throws IOException {
        ns.ip("link", "del", device.name());
        return true;
    }

    @Override
    public void close() {
        try {
            device.close();
        } finally {
            sender.close();
            receiver.close();
        }
    }
}
