package io.wirefx.core.message;

import static io.wirefx.core.message.MessageVectorTest.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    private static byte[] filled(int n, int start) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (start + i);
        }
        return b;
    }

    private static HandshakeInitiation sampleInitiation() {
        return new HandshakeInitiation(0xfedcba98, filled(32, 1), filled(48, 40), filled(28, 100), filled(16, 150),
                filled(16, 200));
    }

    private static HandshakeResponse sampleResponse() {
        return new HandshakeResponse(0x80000001, 0x7fffffff, filled(32, 3), filled(16, 60), filled(16, 90),
                filled(16, 120));
    }

    private static CookieReply sampleCookie() {
        return new CookieReply(0xdeadbeef, filled(24, 7), filled(32, 77));
    }

    // ---- constants and helpers ----

    @Test
    void constantsMatchTheLayout() {
        assertEquals(148, MessageType.INITIATION_SIZE);
        assertEquals(92, MessageType.RESPONSE_SIZE);
        assertEquals(64, MessageType.COOKIE_REPLY_SIZE);
        assertEquals(16, MessageType.TRANSPORT_HEADER_SIZE);
        assertEquals(32, MessageType.TRANSPORT_MIN_SIZE);
        assertEquals(32, MessageType.KEEPALIVE_SIZE);
        // each layout's last field ends at the message size
        assertEquals(MessageType.INITIATION_SIZE, MessageType.INITIATION_MAC2_OFFSET + MessageType.MAC_SIZE);
        assertEquals(MessageType.INITIATION_MAC1_OFFSET,
                MessageType.INITIATION_TIMESTAMP_OFFSET + MessageType.ENCRYPTED_TIMESTAMP_SIZE);
        assertEquals(MessageType.RESPONSE_SIZE, MessageType.RESPONSE_MAC2_OFFSET + MessageType.MAC_SIZE);
        assertEquals(MessageType.COOKIE_REPLY_SIZE,
                MessageType.COOKIE_REPLY_COOKIE_OFFSET + MessageType.ENCRYPTED_COOKIE_SIZE);
    }

    @Test
    void macOffsets() {
        assertEquals(116, MessageType.mac1Offset(MessageType.INITIATION));
        assertEquals(132, MessageType.mac2Offset(MessageType.INITIATION));
        assertEquals(60, MessageType.mac1Offset(MessageType.RESPONSE));
        assertEquals(76, MessageType.mac2Offset(MessageType.RESPONSE));
        assertThrows(IllegalArgumentException.class, () -> MessageType.mac1Offset(MessageType.COOKIE_REPLY));
        assertThrows(IllegalArgumentException.class, () -> MessageType.mac2Offset(MessageType.TRANSPORT));
        assertThrows(IllegalArgumentException.class, () -> MessageType.mac1Offset(0));
    }

    @Test
    void sizeOf() {
        assertEquals(148, MessageType.sizeOf(1));
        assertEquals(92, MessageType.sizeOf(2));
        assertEquals(64, MessageType.sizeOf(3));
        assertEquals(32, MessageType.sizeOf(4));
        assertThrows(IllegalArgumentException.class, () -> MessageType.sizeOf(5));
    }

    // ---- typeOf ----

    @Test
    void typeOfRequiresExactSizes() {
        for (int type = 1; type <= 3; type++) {
            int size = MessageType.sizeOf(type);
            for (int len = 0; len <= 200; len++) {
                byte[] b = new byte[len];
                if (len >= 4) {
                    b[0] = (byte) type;
                }
                int expected = len == size ? type : MessageType.INVALID;
                assertEquals(expected, MessageType.typeOf(b, 0, len), "type " + type + " len " + len);
            }
        }
        for (int len = 0; len <= 200; len++) {
            byte[] b = new byte[len];
            if (len >= 1) {
                b[0] = 4;
            }
            assertEquals(len >= 32 ? 4 : 0, MessageType.typeOf(b, 0, len), "transport len " + len);
        }
    }

    @Test
    void typeOfRejectsReservedBytesAndUnknownTypes() {
        for (int pos = 1; pos <= 3; pos++) {
            byte[] b = Vectors.keepalive();
            b[pos] = 1;
            assertEquals(0, MessageType.typeOf(b, 0, b.length), "reserved byte " + pos);
        }
        for (int t : new int[] {0, 5, 0xff, 0x80}) {
            byte[] b = new byte[148];
            b[0] = (byte) t;
            assertEquals(0, MessageType.typeOf(b, 0, b.length), "type " + t);
        }
    }

    @Test
    void typeOfNeverThrowsOnBadBounds() {
        byte[] b = Vectors.keepalive();
        assertEquals(0, MessageType.typeOf(null, 0, 32));
        assertEquals(0, MessageType.typeOf(b, -1, 32));
        assertEquals(0, MessageType.typeOf(b, 0, -1));
        assertEquals(0, MessageType.typeOf(b, 1, 32));
        assertEquals(0, MessageType.typeOf(b, 0, 33));
        assertEquals(0, MessageType.typeOf(b, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertEquals(0, MessageType.typeOf(b, 32, 0));
        assertEquals(4, MessageType.typeOf(b, 0, 32));
    }

    // ---- round trips ----

    @Test
    void initiationRoundTrip() {
        HandshakeInitiation m = sampleInitiation();
        byte[] wire = m.encode();
        assertEquals(148, wire.length);
        assertEquals(1, MessageType.typeOf(wire, 0, wire.length));
        assertEquals(m, ok(HandshakeInitiation.decode(wire, 0, wire.length)));
        // sender is LE u32 at offset 4
        assertArrayEquals(new byte[] {(byte) 0x98, (byte) 0xba, (byte) 0xdc, (byte) 0xfe}, Arrays.copyOfRange(wire, 4, 8));
        assertArrayEquals(filled(48, 40), Arrays.copyOfRange(wire, 40, 88));
    }

    @Test
    void responseRoundTrip() {
        HandshakeResponse m = sampleResponse();
        byte[] wire = m.encode();
        assertEquals(92, wire.length);
        assertEquals(2, MessageType.typeOf(wire, 0, wire.length));
        HandshakeResponse back = ok(HandshakeResponse.decode(wire, 0, wire.length));
        assertEquals(m, back);
        assertEquals(0x80000001, back.sender());
        assertEquals(0x7fffffff, back.receiver());
    }

    @Test
    void cookieReplyRoundTrip() {
        CookieReply m = sampleCookie();
        byte[] wire = m.encode();
        assertEquals(64, wire.length);
        assertEquals(3, MessageType.typeOf(wire, 0, wire.length));
        assertEquals(m, ok(CookieReply.decode(wire, 0, wire.length)));
    }

    @Test
    void encodeToWritesAtOffsetAndNothingElse() {
        byte[] buf = new byte[300];
        Arrays.fill(buf, (byte) 0x77);
        assertEquals(148, sampleInitiation().encodeTo(buf, 10));
        for (int i = 0; i < 10; i++) {
            assertEquals(0x77, buf[i]);
        }
        for (int i = 158; i < 300; i++) {
            assertEquals(0x77, buf[i]);
        }
        assertArrayEquals(sampleInitiation().encode(), Arrays.copyOfRange(buf, 10, 158));
        assertThrows(IndexOutOfBoundsException.class, () -> sampleInitiation().encodeTo(new byte[147], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> sampleResponse().encodeTo(new byte[100], 9));
        assertThrows(IndexOutOfBoundsException.class, () -> sampleCookie().encodeTo(new byte[64], -1));
        assertEquals(92, sampleResponse().encodeTo(new byte[100], 8));
        assertEquals(64, sampleCookie().encodeTo(new byte[64], 0));
    }

    // ---- records ----

    @Test
    void recordsCopyDefensively() {
        byte[] eph = filled(32, 1);
        HandshakeInitiation m = new HandshakeInitiation(1, eph, filled(48, 0), filled(28, 0), filled(16, 0),
                filled(16, 0));
        eph[0] = 99;
        assertEquals(1, m.ephemeral()[0], "constructor copied the array");
        m.ephemeral()[0] = 42;
        assertEquals(1, m.ephemeral()[0], "accessor returns a copy");

        byte[] nonce = filled(24, 0);
        CookieReply c = new CookieReply(1, nonce, filled(32, 0));
        nonce[5] = -1;
        c.nonce()[5] = -1;
        assertEquals(5, c.nonce()[5]);
    }

    @Test
    void recordsHaveContentEquality() {
        assertEquals(sampleInitiation(), sampleInitiation());
        assertEquals(sampleInitiation().hashCode(), sampleInitiation().hashCode());
        assertEquals(sampleResponse(), sampleResponse());
        assertEquals(sampleResponse().hashCode(), sampleResponse().hashCode());
        assertEquals(sampleCookie(), sampleCookie());
        assertEquals(sampleCookie().hashCode(), sampleCookie().hashCode());

        HandshakeInitiation a = sampleInitiation();
        byte[] mac2 = a.mac2();
        mac2[15] ^= 1;
        HandshakeInitiation b = new HandshakeInitiation(a.sender(), a.ephemeral(), a.encryptedStatic(),
                a.encryptedTimestamp(), a.mac1(), mac2);
        assertNotEquals(a, b);
        assertNotEquals(a, new HandshakeInitiation(a.sender() + 1, a.ephemeral(), a.encryptedStatic(),
                a.encryptedTimestamp(), a.mac1(), a.mac2()));
        HandshakeResponse r = sampleResponse();
        assertNotEquals(r, new HandshakeResponse(r.sender(), r.receiver() ^ 1, r.ephemeral(), r.encryptedNothing(),
                r.mac1(), r.mac2()));
        CookieReply c = sampleCookie();
        byte[] cookie = c.encryptedCookie();
        cookie[0] ^= 1;
        assertNotEquals(c, new CookieReply(c.receiver(), c.nonce(), cookie));
        assertFalse(sampleInitiation().equals(sampleResponse()));
    }

    @Test
    void toStringShowsIndicesAsHex() {
        assertTrue(sampleInitiation().toString().contains("sender=0xfedcba98"), sampleInitiation().toString());
        assertTrue(sampleResponse().toString().contains("receiver=0x7fffffff"));
        assertTrue(sampleCookie().toString().contains("receiver=0xdeadbeef"));
    }

    @Test
    void constructorsRejectWrongLengths() {
        assertThrows(IllegalArgumentException.class,
                () -> new HandshakeInitiation(0, new byte[31], new byte[48], new byte[28], new byte[16], new byte[16]));
        assertThrows(IllegalArgumentException.class,
                () -> new HandshakeInitiation(0, new byte[32], new byte[48], new byte[28], new byte[16], null));
        assertThrows(IllegalArgumentException.class,
                () -> new HandshakeResponse(0, 0, new byte[32], new byte[17], new byte[16], new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> new CookieReply(0, new byte[24], new byte[16]));
    }

    // ---- rejections ----

    private record Codec(String name, byte[] valid, Function<byte[], Decoded<?>> decodeWhole,
                         TriFunction decode) {
    }

    @FunctionalInterface
    private interface TriFunction {
        Decoded<?> apply(byte[] buf, int off, int len);
    }

    private static List<Codec> codecs() {
        return List.of(
                new Codec("initiation", Vectors.initiation(), b -> HandshakeInitiation.decode(b, 0, b.length),
                        HandshakeInitiation::decode),
                new Codec("response", Vectors.response(), b -> HandshakeResponse.decode(b, 0, b.length),
                        HandshakeResponse::decode),
                new Codec("cookie", Vectors.cookieReply(), b -> CookieReply.decode(b, 0, b.length),
                        CookieReply::decode));
    }

    @Test
    void everyRejectionReason() {
        for (Codec c : codecs()) {
            byte[] v = c.valid();
            assertTrue(c.decodeWhole().apply(v).isOk(), c.name());

            assertEquals(Rejection.BAD_BOUNDS, c.decode().apply(null, 0, v.length).rejectionOrNull(), c.name());
            assertEquals(Rejection.BAD_BOUNDS, c.decode().apply(v, -1, v.length).rejectionOrNull(), c.name());
            assertEquals(Rejection.BAD_BOUNDS, c.decode().apply(v, 1, v.length).rejectionOrNull(), c.name());
            assertEquals(Rejection.BAD_BOUNDS, c.decode().apply(v, 0, -5).rejectionOrNull(), c.name());

            assertEquals(Rejection.TOO_SHORT, c.decode().apply(v, 0, 3).rejectionOrNull(), c.name());
            assertEquals(Rejection.TOO_SHORT, c.decode().apply(v, 0, 0).rejectionOrNull(), c.name());
            assertEquals(Rejection.TOO_SHORT, c.decode().apply(v, 0, v.length - 1).rejectionOrNull(), c.name());

            byte[] longer = Arrays.copyOf(v, v.length + 1);
            assertEquals(Rejection.WRONG_SIZE, c.decodeWhole().apply(longer).rejectionOrNull(), c.name());

            byte[] wrongType = v.clone();
            wrongType[0] = (byte) (v[0] == 1 ? 2 : 1);
            assertEquals(Rejection.WRONG_TYPE, c.decodeWhole().apply(wrongType).rejectionOrNull(), c.name());

            for (int pos = 1; pos <= 3; pos++) {
                byte[] reserved = v.clone();
                reserved[pos] = (byte) 0x80;
                assertEquals(Rejection.RESERVED_NOT_ZERO, c.decodeWhole().apply(reserved).rejectionOrNull(),
                        c.name() + " byte " + pos);
            }
        }
    }

    @Test
    void decodersRejectEachOthersMessages() {
        List<Codec> all = codecs();
        for (Codec decoder : all) {
            for (Codec message : all) {
                Decoded<?> d = decoder.decodeWhole().apply(message.valid());
                if (decoder == message) {
                    assertTrue(d.isOk());
                } else {
                    assertEquals(Rejection.WRONG_TYPE, d.rejectionOrNull(), decoder.name() + " <- " + message.name());
                }
            }
            assertEquals(Rejection.WRONG_TYPE, decoder.decodeWhole().apply(Vectors.keepalive()).rejectionOrNull());
        }
    }

    @Test
    void rejectionsAreSharedAndCarryNoMessage() {
        Decoded<HandshakeInitiation> a = HandshakeInitiation.decode(new byte[2], 0, 2);
        Decoded<CookieReply> b = CookieReply.decode(new byte[1], 0, 1);
        assertSame(a, b);
        assertNull(a.messageOrNull());
        assertFalse(a.isOk());
        assertTrue(a instanceof Decoded.Rejected<HandshakeInitiation>(Rejection r) && r == Rejection.TOO_SHORT);
        Decoded<HandshakeInitiation> ok = HandshakeInitiation.decode(Vectors.initiation(), 0, 148);
        assertNull(ok.rejectionOrNull());
    }

    // ---- transport ----

    @Test
    void transportHeaderRoundTripIsLittleEndian() {
        byte[] buf = new byte[40];
        TransportHeader.write(buf, 4, 0x01020304, 0x0a0b0c0d0e0f1011L);
        assertArrayEquals(Vectors.bytes("04000000" + "04030201" + "11100f0e0d0c0b0a"), Arrays.copyOfRange(buf, 4, 20));
        assertEquals(0x01020304, TransportHeader.receiver(buf, 4));
        assertEquals(0x0a0b0c0d0e0f1011L, TransportHeader.counter(buf, 4));

        TransportHeader.write(buf, 0, -1, -2L); // u32 max, u64 max - 1
        assertEquals(-1, TransportHeader.receiver(buf, 0));
        assertEquals("18446744073709551614", Long.toUnsignedString(TransportHeader.counter(buf, 0)));
        assertEquals(0, buf[1] | buf[2] | buf[3]);
        assertThrows(IndexOutOfBoundsException.class, () -> TransportHeader.write(new byte[15], 0, 1, 1));
    }

    @Test
    void transportCheck() {
        byte[] ka = Vectors.keepalive();
        assertNull(TransportHeader.check(ka, 0, 32));
        assertNull(TransportHeader.check(Vectors.data(), 0, 48));
        assertEquals(Rejection.TOO_SHORT, TransportHeader.check(ka, 0, 31));
        assertEquals(Rejection.TOO_SHORT, TransportHeader.check(ka, 0, 2));
        assertEquals(Rejection.BAD_BOUNDS, TransportHeader.check(ka, 0, 33));
        assertEquals(Rejection.BAD_BOUNDS, TransportHeader.check(null, 0, 32));
        assertEquals(Rejection.WRONG_TYPE, TransportHeader.check(Vectors.initiation(), 0, 148));
        byte[] reserved = ka.clone();
        reserved[3] = 1;
        assertEquals(Rejection.RESERVED_NOT_ZERO, TransportHeader.check(reserved, 0, 32));
    }

    @Test
    void paddingWithinTheMtu() {
        assertEquals(96, TransportHeader.paddedLength(81, 1420), "the live-interop case");
        assertEquals(0, TransportHeader.paddedLength(0, 1420), "keepalive");
        assertEquals(16, TransportHeader.paddedLength(1, 1420));
        assertEquals(16, TransportHeader.paddedLength(16, 1420));
        assertEquals(32, TransportHeader.paddedLength(17, 1420));
        assertEquals(1408, TransportHeader.paddedLength(1408, 1420));
        assertEquals(1420, TransportHeader.paddedLength(1409, 1420), "capped at the MTU");
        assertEquals(1420, TransportHeader.paddedLength(1415, 1420), "capped at the MTU");
        assertEquals(1420, TransportHeader.paddedLength(1420, 1420));
        assertEquals(1280, TransportHeader.paddedLength(1275, 1280));
    }

    @Test
    void paddingWithoutAnMtu() {
        assertEquals(96, TransportHeader.paddedLength(81, 0));
        assertEquals(1424, TransportHeader.paddedLength(1420, 0));
        assertEquals(0, TransportHeader.paddedLength(0, 0));
        assertEquals(32, TransportHeader.paddedLength(17, -1));
    }

    @Test
    void paddingOfGsoSuperPacketsPadsOnlyTheLastUnit() {
        assertEquals(2840 + 64, TransportHeader.paddedLength(2840 + 60, 1420)); // last unit 60 -> 64
        assertEquals(2840, TransportHeader.paddedLength(2840, 1420), "exact multiple: no padding");
        assertEquals(1420 + 1420, TransportHeader.paddedLength(1420 + 1415, 1420), "last unit capped at MTU");
        assertEquals(1421 + 15, TransportHeader.paddedLength(1421, 1420)); // last unit 1 -> 16
    }

    @Test
    void paddingArgumentChecks() {
        assertThrows(IllegalArgumentException.class, () -> TransportHeader.paddedLength(-1, 1420));
        assertThrows(IllegalArgumentException.class, () -> TransportHeader.paddedLength(Integer.MAX_VALUE, 0));
        assertEquals(Integer.MAX_VALUE - 15, TransportHeader.paddedLength(Integer.MAX_VALUE - 15, 0));
    }
}
