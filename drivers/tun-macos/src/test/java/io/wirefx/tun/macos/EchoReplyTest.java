package io.wirefx.tun.macos;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The echo reply the macOS-only {@link RealUtunTest} writes is a valid IPv4 ICMP packet (checked here on any OS). */
class EchoReplyTest {

    @Test
    void theReplySwapsAddressesAndHasValidChecksums() {
        // 10.177.33.1 -> 10.177.33.2, ICMP echo request id 0x1234 seq 1, 4 bytes of data
        byte[] request = HexFormat.of().parseHex(
                "450000200000000040010000" + "0ab12101" + "0ab12102" + "0800000012340001" + "deadbeef");
        byte[] reply = RealUtunTest.echoReply(request);
        assertEquals("0ab12102", HexFormat.of().formatHex(reply, 12, 16));
        assertEquals("0ab12101", HexFormat.of().formatHex(reply, 16, 20));
        assertEquals(0, reply[20]);
        assertEquals(0xFFFF, onesSum(reply, 0, 20));
        assertEquals(0xFFFF, onesSum(reply, 20, reply.length - 20));
    }

    private static int onesSum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i < len; i += 2) {
            sum += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) sum;
    }
}
