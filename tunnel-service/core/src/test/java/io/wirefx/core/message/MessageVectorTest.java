package io.wirefx.core.message;

import static io.wirefx.core.message.Vectors.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Decodes the §9.7 wire messages and checks every field against the values the reference gives. */
class MessageVectorTest {

    @Test
    void vectorSizes() {
        assertEquals(148, Vectors.initiation().length);
        assertEquals(92, Vectors.response().length);
        assertEquals(64, Vectors.cookieReply().length);
        assertEquals(32, Vectors.keepalive().length);
        assertEquals(48, Vectors.data().length);
    }

    @Test
    void initiation() {
        byte[] wire = Vectors.initiation();
        assertEquals(MessageType.INITIATION, MessageType.typeOf(wire, 0, wire.length));
        HandshakeInitiation m = ok(HandshakeInitiation.decode(wire, 0, wire.length));
        assertEquals(0x11223344, m.sender());
        assertArrayEquals(bytes(EI_PUB), m.ephemeral());
        assertArrayEquals(bytes("f0225eb421886af8f54fb31289d49dcd82b0f6f3279d40d7cff913fece0c64ad"
                + "226eef3320755b393b72f16842c8d7ee"), m.encryptedStatic());
        assertArrayEquals(bytes("78a74e93706bf2699cf4ecc111ae85e2c5c2aed5e675f41650d4e268"), m.encryptedTimestamp());
        assertArrayEquals(bytes("ece9fa50b3526909967eddaad8dd7f1c"), m.mac1());
        assertArrayEquals(new byte[16], m.mac2());
        assertArrayEquals(wire, m.encode());
    }

    @Test
    void initiationWithCookieMac2() {
        byte[] wire = Vectors.initiation();
        System.arraycopy(bytes(MAC2_WITH_COOKIE_HEX), 0, wire, MessageType.mac2Offset(MessageType.INITIATION), 16);
        HandshakeInitiation m = ok(HandshakeInitiation.decode(wire, 0, wire.length));
        assertArrayEquals(bytes(MAC2_WITH_COOKIE_HEX), m.mac2());
        assertArrayEquals(bytes("ece9fa50b3526909967eddaad8dd7f1c"), m.mac1());
    }

    @Test
    void response() {
        byte[] wire = Vectors.response();
        assertEquals(MessageType.RESPONSE, MessageType.typeOf(wire, 0, wire.length));
        HandshakeResponse m = ok(HandshakeResponse.decode(wire, 0, wire.length));
        assertEquals(0x55667788, m.sender());
        assertEquals(0x11223344, m.receiver());
        assertArrayEquals(bytes(ER_PUB), m.ephemeral());
        assertArrayEquals(bytes("40adafe5b428d380f513fc058e8f2783"), m.encryptedNothing());
        assertArrayEquals(bytes("d3a1f12d88e4333dde5fe521043e1f4b"), m.mac1());
        assertArrayEquals(new byte[16], m.mac2());
        assertArrayEquals(wire, m.encode());
    }

    @Test
    void cookieReply() {
        byte[] wire = Vectors.cookieReply();
        assertEquals(MessageType.COOKIE_REPLY, MessageType.typeOf(wire, 0, wire.length));
        CookieReply m = ok(CookieReply.decode(wire, 0, wire.length));
        assertEquals(0x11223344, m.receiver(), "answers the initiation's sender index");
        byte[] nonce = new byte[24];
        for (int i = 0; i < 24; i++) {
            nonce[i] = (byte) (0xc0 + i);
        }
        assertArrayEquals(nonce, m.nonce());
        assertArrayEquals(bytes("f4d08beb60161762aed61c05060f750c907d9fd0c6ea72fcfaa052bdb2715771"), m.encryptedCookie());
        assertArrayEquals(wire, m.encode());
    }

    @Test
    void keepalive() {
        byte[] wire = Vectors.keepalive();
        assertEquals(MessageType.TRANSPORT, MessageType.typeOf(wire, 0, wire.length));
        assertEquals(null, TransportHeader.check(wire, 0, wire.length));
        assertEquals(0x55667788, TransportHeader.receiver(wire, 0));
        assertEquals(0L, TransportHeader.counter(wire, 0));
        assertEquals(16, TransportHeader.ciphertextLength(wire.length), "tag only");
        assertEquals(MessageType.KEEPALIVE_SIZE, TransportHeader.messageLength(TransportHeader.paddedLength(0, 1420)));

        byte[] header = new byte[16];
        TransportHeader.write(header, 0, 0x55667788, 0);
        assertArrayEquals(Arrays.copyOf(wire, 16), header);
    }

    @Test
    void dataMessage() {
        byte[] wire = Vectors.data();
        assertEquals(MessageType.TRANSPORT, MessageType.typeOf(wire, 0, wire.length));
        assertEquals(0x11223344, TransportHeader.receiver(wire, 0));
        assertEquals(0L, TransportHeader.counter(wire, 0));
        assertEquals(16 + 16, TransportHeader.ciphertextLength(wire.length), "16 plaintext bytes need no padding");
        assertEquals(wire.length, TransportHeader.messageLength(TransportHeader.paddedLength(16, 1420)));
    }

    @Test
    void vectorsDecodeAtAnOffsetInsideALargerBuffer() {
        byte[] init = Vectors.initiation();
        byte[] big = new byte[init.length + 37];
        Arrays.fill(big, (byte) 0x5a);
        System.arraycopy(init, 0, big, 21, init.length);
        assertEquals(MessageType.INITIATION, MessageType.typeOf(big, 21, init.length));
        assertEquals(ok(HandshakeInitiation.decode(init, 0, init.length)),
                ok(HandshakeInitiation.decode(big, 21, init.length)));

        byte[] ka = Vectors.keepalive();
        byte[] big2 = new byte[100];
        System.arraycopy(ka, 0, big2, 50, ka.length);
        assertEquals(MessageType.TRANSPORT, MessageType.typeOf(big2, 50, ka.length));
        assertEquals(0x55667788, TransportHeader.receiver(big2, 50));
    }

    static <T> T ok(Decoded<T> d) {
        if (d instanceof Decoded.Ok<T>(T message)) {
            return message;
        }
        return fail("rejected: " + d.rejectionOrNull());
    }
}
