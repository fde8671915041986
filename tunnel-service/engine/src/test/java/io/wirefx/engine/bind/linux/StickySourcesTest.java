package io.wirefx.engine.bind.linux;

import io.wirefx.engine.bind.DatagramBatch;
import io.wirefx.tun.linux.testing.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Replies leave from the address the peer sent to ({@link StickySources}): in a throw-away namespace, a client on the
 * loopback address sends to a second local address; the bind's answer comes from that address (the kernel alone
 * would pick the loopback address). When the address is removed, the next answer is refused by the kernel, the
 * remembered source is dropped and the answer goes out from the kernel's choice instead. IPv4 and IPv6; root only.
 */
@Timeout(30)
class StickySourcesTest {
    private NetNs ns;

    @BeforeAll
    static void available() {
        assumeTrue(LinuxUdpBind.isAvailable(), () -> "skipped: " + LinuxUdpBind.unavailabilityCause().orElse("?"));
        assumeTrue(NetNs.unavailabilityCause().isEmpty(), () -> "skipped: " + NetNs.unavailabilityCause().orElse(""));
    }

    @AfterEach
    void tearDown() {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void ipv4AnswersComeFromTheAddressThePeerSentTo() throws Exception {
        check("127.0.0.1", "10.77.0.5", "32");
    }

    @Test
    void ipv6AnswersComeFromTheAddressThePeerSentTo() throws Exception {
        check("::1", "fd00:77::5", "128");
    }

    private void check(String clientAddress, String second, String prefix) throws Exception {
        ns = NetNs.create("wfxsticky-");
        ns.ip("link", "set", "lo", "up");
        ns.ip("addr", "add", second + "/" + prefix, "dev", "lo", "nodad");
        try (LinuxUdpBind bind = ns.runInside(() -> LinuxUdpBind.open(0));
             DatagramChannel client = ns.runInside(() -> DatagramChannel.open()
                     .bind(new InetSocketAddress(InetAddress.getByName(clientAddress), 0)))) {
            InetSocketAddress clientEndpoint = (InetSocketAddress) client.getLocalAddress();
            InetAddress secondAddress = InetAddress.getByName(second);
            client.send(ByteBuffer.wrap(new byte[]{1, 2, 3}), new InetSocketAddress(secondAddress, bind.localPort()));
            DatagramBatch in = new DatagramBatch(8, 0, 1500, 0);
            assertEquals(1, bind.receive(in));
            InetSocketAddress from = in.endpoint(0);
            assertEquals(clientEndpoint, from);
            assertEquals(Optional.of(secondAddress), bind.stickySource(from));

            assertEquals(secondAddress, answer(bind, client, from), "the answer comes from the address sent to");

            ns.ip("addr", "del", second + "/" + prefix, "dev", "lo");
            InetAddress fallback = answer(bind, client, from);
            assertEquals(InetAddress.getByName(clientAddress), fallback, "the kernel's choice once the address is gone");
            assertTrue(bind.stickySource(from).isEmpty(), "the refused source is forgotten");
            assertEquals(0, bind.stats().sendErrors(), "nothing was lost");
        }
    }

    /** The bind answers {@code to}; returns the source address the client saw. */
    private static InetAddress answer(LinuxUdpBind bind, DatagramChannel client, InetSocketAddress to)
            throws Exception {
        DatagramBatch out = new DatagramBatch(1, 0, 64, 0);
        out.add(new byte[]{4, 5, 6}, 0, 3, to);
        assertEquals(1, bind.send(out));
        ByteBuffer buf = ByteBuffer.allocate(64);
        InetSocketAddress src = (InetSocketAddress) client.receive(buf);
        assertEquals(bind.localPort(), src.getPort());
        return src.getAddress();
    }
}
