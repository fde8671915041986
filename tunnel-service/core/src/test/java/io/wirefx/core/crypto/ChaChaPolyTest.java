package io.wirefx.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ChaChaPolyTest {
    private static final Random RNG = new Random(2024);

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RNG.nextBytes(b);
        return b;
    }

    @Property(tries = 150)
    void roundTripArrays(@ForAll @IntRange(min = 0, max = 2000) int len, @ForAll long counter,
            @ForAll @Size(max = 64) byte[] ad, @ForAll boolean nullAd) {
        byte[] adOrNull = nullAd ? null : ad;
        byte[] pt = random(len);
        ChaChaPoly c = ChaChaPoly.forCurrentThread();
        try (AeadKey k = new AeadKey(random(32))) {
            // separate buffers, at offsets
            byte[] ct = new byte[len + 16 + 7];
            assertEquals(len + 16, c.seal(k, counter, pt, 0, len, adOrNull, ct, 7));
            byte[] back = new byte[len + 3];
            assertEquals(len, c.open(k, counter, ct, 7, len + 16, adOrNull, back, 3));
            assertArrayEquals(pt, Arrays.copyOfRange(back, 3, 3 + len));

            // in place, same array and offset
            byte[] buf = new byte[len + 16 + 5];
            System.arraycopy(pt, 0, buf, 5, len);
            assertEquals(len + 16, c.seal(k, counter, buf, 5, len, adOrNull, buf, 5));
            assertArrayEquals(Arrays.copyOfRange(ct, 7, 7 + len + 16), Arrays.copyOfRange(buf, 5, 5 + len + 16));
            assertEquals(len, c.open(k, counter, buf, 5, len + 16, adOrNull, buf, 5));
            assertArrayEquals(pt, Arrays.copyOfRange(buf, 5, 5 + len));

            // wrong counter fails
            assertEquals(-1, c.open(k, counter + 1, ct, 7, len + 16, adOrNull, back, 3));
        }
    }

    @Property(tries = 100)
    void roundTripByteBuffers(@ForAll @IntRange(min = 0, max = 2000) int len, @ForAll long counter,
            @ForAll boolean direct, @ForAll boolean inPlace) {
        byte[] pt = random(len);
        byte[] ad = random(len % 40);
        ChaChaPoly c = ChaChaPoly.forCurrentThread();
        try (AeadKey k = new AeadKey(random(32))) {
            byte[] expected = new byte[len + 16];
            c.seal(k, counter, pt, 0, len, ad, expected, 0);

            ByteBuffer a = direct ? ByteBuffer.allocateDirect(len + 16 + 8) : ByteBuffer.allocate(len + 16 + 8);
            a.position(8);
            a.put(pt).flip().position(8);
            ByteBuffer out;
            if (inPlace) {
                out = a.duplicate().clear().position(8);
            } else {
                out = direct ? ByteBuffer.allocateDirect(len + 16) : ByteBuffer.allocate(len + 16);
            }
            int outStart = out.position();
            assertEquals(len + 16, c.seal(k, counter, a, out, ad));
            assertFalse(a.hasRemaining());
            assertEquals(outStart + len + 16, out.position());
            byte[] got = new byte[len + 16];
            out.duplicate().position(outStart).get(got);
            assertArrayEquals(expected, got);

            // open: ciphertext lives in `out` at outStart
            ByteBuffer ctIn = out.duplicate().limit(outStart + len + 16).position(outStart);
            ByteBuffer ptOut = inPlace ? ctIn.duplicate() : (direct ? ByteBuffer.allocateDirect(len)
                    : ByteBuffer.allocate(len));
            int ptStart = ptOut.position();
            // tampered first: fails and leaves positions alone
            byte flip = ctIn.get(outStart + len);
            ctIn.put(outStart + len, (byte) (flip ^ 1));
            assertEquals(-1, c.open(k, counter, ctIn, ptOut, ad));
            assertEquals(outStart, ctIn.position());
            assertEquals(ptStart, ptOut.position());
            ctIn.put(outStart + len, flip);

            assertEquals(len, c.open(k, counter, ctIn, ptOut, ad));
            assertFalse(ctIn.hasRemaining());
            byte[] back = new byte[len];
            ptOut.duplicate().position(ptStart).get(back);
            assertArrayEquals(pt, back);
        }
    }

    /** Hostile input: any bytes, any length, never throws and (with overwhelming probability) never authenticates. */
    @Property(tries = 300)
    void openNeverThrowsOnGarbage(@ForAll @Size(max = 200) byte[] garbage, @ForAll long counter,
            @ForAll @Size(max = 32) byte[] ad) {
        ChaChaPoly c = ChaChaPoly.forCurrentThread();
        try (AeadKey k = new AeadKey(new byte[32])) {
            byte[] out = new byte[200];
            assertEquals(-1, c.open(k, counter, garbage, 0, garbage.length, ad, out, 0));
            assertEquals(-1, c.open(k, counter, ByteBuffer.wrap(garbage), ByteBuffer.allocate(200), ad));
            assertNull(ChaChaPoly.openOnce(new byte[32], counter, garbage, ad));
            assertNull(XChaChaPoly.open(new byte[32], new byte[24], garbage, ad));
        }
    }

    @Test
    void tooShortInputIsRejected() {
        ChaChaPoly c = ChaChaPoly.forCurrentThread();
        try (AeadKey k = new AeadKey(new byte[32])) {
            for (int n = 0; n < 16; n++) {
                assertEquals(-1, c.open(k, 0, new byte[n], 0, n, null, new byte[0], 0));
                assertEquals(-1, c.open(k, 0, ByteBuffer.allocate(n), ByteBuffer.allocate(0), null));
            }
            assertNull(ChaChaPoly.openOnce(new byte[32], 0, new byte[15], null));
            assertNull(ChaChaPoly.openOnce(new byte[32], 0, null, null));
        }
    }

    /** SunJCE refuses an encrypt re-init with the previous key and nonce; we must not. */
    @Test
    void sealingSameKeyAndCounterTwiceWorks() {
        byte[] key = random(32);
        byte[] pt = random(33);
        byte[] first = ChaChaPoly.sealOnce(key, 0, pt, null);
        byte[] second = ChaChaPoly.sealOnce(key, 0, pt, null);
        assertArrayEquals(first, second);
        ChaChaPoly c = ChaChaPoly.forCurrentThread();
        try (AeadKey k = new AeadKey(key)) {
            byte[] out = new byte[pt.length + 16];
            for (int i = 0; i < 3; i++) {
                c.seal(k, 0, pt, 0, pt.length, null, out, 0);
                assertArrayEquals(first, out);
            }
            // and the ByteBuffer path
            ByteBuffer o = ByteBuffer.allocate(pt.length + 16);
            c.seal(k, 0, ByteBuffer.wrap(pt), o, null);
            assertArrayEquals(first, o.array());
        }
        // the empty-plaintext handshake pattern: several keys, counter 0 each, interleaved with repeats
        byte[] k1 = random(32);
        byte[] k2 = random(32);
        byte[] e1 = ChaChaPoly.sealOnce(k1, 0, new byte[0], pt);
        byte[] e2 = ChaChaPoly.sealOnce(k2, 0, new byte[0], pt);
        assertArrayEquals(e1, ChaChaPoly.sealOnce(k1, 0, new byte[0], pt));
        assertArrayEquals(e2, ChaChaPoly.sealOnce(k2, 0, new byte[0], pt));
        assertNotEquals(Arrays.toString(e1), Arrays.toString(e2));
        assertEquals(16, e1.length);
        assertArrayEquals(new byte[0], ChaChaPoly.openOnce(k1, 0, e1, pt));
    }

    @Test
    void instancesArePerThread() throws Exception {
        ChaChaPoly mine = ChaChaPoly.forCurrentThread();
        assertTrue(mine == ChaChaPoly.forCurrentThread());
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<ChaChaPoly> other = ex.submit(ChaChaPoly::forCurrentThread);
            assertTrue(mine != other.get());
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void aeadKeyCopiesAndWipes() {
        byte[] raw = random(32);
        AeadKey k = new AeadKey(raw);
        byte[] copy = raw.clone();
        Arrays.fill(raw, (byte) 0); // caller wiping its array must not affect the key
        assertArrayEquals(copy, k.getEncoded());
        assertEquals("RAW", k.getFormat());
        assertFalse(k.toString().contains(Hex.s(copy)));
        k.close();
        assertTrue(k.isDestroyed());
        assertThrows(IllegalStateException.class, k::getEncoded);
        assertThrows(IllegalArgumentException.class, () -> new AeadKey(new byte[31]));
    }

    @Test
    void badBoundsAreCallerErrors() {
        ChaChaPoly c = ChaChaPoly.forCurrentThread();
        try (AeadKey k = new AeadKey(new byte[32])) {
            assertThrows(IndexOutOfBoundsException.class,
                    () -> c.seal(k, 0, new byte[10], 0, 10, null, new byte[25], 0));
            assertThrows(IndexOutOfBoundsException.class,
                    () -> c.open(k, 0, new byte[20], 0, 21, null, new byte[25], 0));
            assertThrows(IllegalArgumentException.class,
                    () -> c.seal(k, 0, ByteBuffer.allocate(10), ByteBuffer.allocate(25), null));
        }
    }
}
