package io.wirefx.engine.bind.windows;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.net.SocketException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class UnicastIfTest {

    /** The 4 bytes setsockopt reads from an int stored in x64 (little-endian) memory. */
    static byte[] memory(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    @Test
    void ipv4TakesTheIndexInNetworkOrderAndIpv6InHostOrder() {
        UnicastIf.Option v4 = UnicastIf.ipv4(12);
        assertEquals(new UnicastIf.Option(0 /* IPPROTO_IP */, 31, 0x0C000000), v4);
        assertArrayEquals(new byte[]{0, 0, 0, 12}, memory(v4.value()), "big-endian bytes in memory");
        UnicastIf.Option v6 = UnicastIf.ipv6(12);
        assertEquals(new UnicastIf.Option(41 /* IPPROTO_IPV6 */, 31, 12), v6);
        assertArrayEquals(new byte[]{12, 0, 0, 0}, memory(v6.value()), "host (little-endian) bytes in memory");
        assertArrayEquals(new byte[]{0, 1, 0x02, 0x03}, memory(UnicastIf.ipv4(0x010203).value()));
    }

    @Test
    void elsewhereThanWindowsPinningIsRefused() throws Exception {
        assumeFalse(UnicastIf.supported());
        try (DatagramChannel ch = DatagramChannel.open()) {
            assertThrows(SocketException.class, () -> UnicastIf.pin(ch, true, 3, 3));
        }
    }
}
