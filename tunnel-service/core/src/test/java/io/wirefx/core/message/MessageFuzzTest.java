package io.wirefx.core.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Hostile bytes never make a decoder throw, and the decoders agree with {@link MessageType#typeOf}. */
class MessageFuzzTest {

    @Property(tries = 1000)
    void randomBytesNeverThrow(@ForAll @Size(max = 300) byte[] bytes, @ForAll @IntRange(min = -2, max = 310) int off,
                               @ForAll @IntRange(min = -2, max = 310) int len) {
        decodeAll(bytes, off, len);
        decodeAll(bytes, 0, bytes.length);
    }

    @Property(tries = 1000)
    void mutatedValidMessagesNeverThrowAndAgreeWithTypeOf(@ForAll("mutated") byte[] bytes) {
        decodeAll(bytes, 0, bytes.length);
    }

    @Property(tries = 50_000)
    @Tag("heavy")
    void mutatedValidMessagesHeavy(@ForAll("mutated") byte[] bytes) {
        decodeAll(bytes, 0, bytes.length);
    }

    @Property(tries = 300)
    void paddingProperties(@ForAll @IntRange(min = 0, max = 200_000) int len,
                           @ForAll @IntRange(min = 0, max = 9000) int mtu) {
        int padded = TransportHeader.paddedLength(len, mtu);
        int pad = padded - len;
        assertTrue(pad >= 0 && pad < 16, "pad " + pad);
        if (mtu > 0 && len <= mtu) {
            assertTrue(padded <= mtu);
            assertTrue(padded % 16 == 0 || padded == mtu);
        }
        if (mtu == 0) {
            assertEquals(0, padded % 16);
        }
    }

    /** Runs every decoder; checks each one accepts exactly when typeOf names its type. */
    private static void decodeAll(byte[] b, int off, int len) {
        int type = MessageType.typeOf(b, off, len);
        assertTrue(type >= 0 && type <= 4);
        Decoded<HandshakeInitiation> i = HandshakeInitiation.decode(b, off, len);
        Decoded<HandshakeResponse> r = HandshakeResponse.decode(b, off, len);
        Decoded<CookieReply> c = CookieReply.decode(b, off, len);
        Rejection t = TransportHeader.check(b, off, len);
        assertEquals(type == MessageType.INITIATION, i.isOk());
        assertEquals(type == MessageType.RESPONSE, r.isOk());
        assertEquals(type == MessageType.COOKIE_REPLY, c.isOk());
        assertEquals(type == MessageType.TRANSPORT, t == null);
        if (i.messageOrNull() instanceof HandshakeInitiation m) {
            assertTrue(Arrays.equals(m.encode(), Arrays.copyOfRange(b, off, off + len)), "re-encodes identically");
        }
        if (r.messageOrNull() instanceof HandshakeResponse m) {
            assertTrue(Arrays.equals(m.encode(), Arrays.copyOfRange(b, off, off + len)));
        }
        if (c.messageOrNull() instanceof CookieReply m) {
            assertTrue(Arrays.equals(m.encode(), Arrays.copyOfRange(b, off, off + len)));
        }
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        Arbitrary<byte[]> base = Arbitraries.of(List.of(
                Vectors.initiation(), Vectors.response(), Vectors.cookieReply(), Vectors.keepalive(), Vectors.data()));
        Arbitrary<int[]> flips = Arbitraries.integers().between(0, 160).array(int[].class).ofMaxSize(4);
        Arbitrary<Integer> resize = Arbitraries.integers().between(-20, 20);
        Arbitrary<Byte> fill = Arbitraries.bytes();
        Arbitrary<Integer> typeByte = Arbitraries.integers().between(-1, 6);
        return Combinators.combine(base, flips, resize, fill, typeByte).as((b, f, delta, x, t) -> {
            byte[] out = Arrays.copyOf(b, Math.max(0, b.length + (delta % 3 == 0 ? delta : 0)));
            for (int pos : f) {
                if (pos < out.length) {
                    out[pos] ^= x == 0 ? 1 : x;
                }
            }
            if (t >= 0 && out.length > 0) {
                out[0] = t.byteValue();
            }
            return out;
        });
    }
}
