package io.wirefx.core.crypto;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Our ChaCha20 + Poly1305 composition gives exactly the JDK's ChaCha20-Poly1305 output, and opens it. */
class ChaChaPolyCrossCheckTest {

    @Property(tries = 400)
    void sealEqualsJceAndOpensJceOutput(@ForAll long seed, @ForAll @IntRange(min = 0, max = 1500) int len,
                                        @ForAll @IntRange(min = 0, max = 70) int adLen) throws Exception {
        Random r = new Random(seed);
        byte[] key = new byte[32], nonce = new byte[12], pt = new byte[len], ad = new byte[adLen];
        r.nextBytes(key);
        r.nextBytes(nonce);
        r.nextBytes(pt);
        r.nextBytes(ad);
        Cipher jce = Cipher.getInstance("ChaCha20-Poly1305");
        jce.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        if (adLen > 0) jce.updateAAD(ad);
        byte[] expected = jce.doFinal(pt);

        ChaChaPoly c = ChaChaPoly.forCurrentThread();
        try (AeadKey k = new AeadKey(key)) {
            byte[] out = new byte[len + 16];
            assertEquals(len + 16, c.sealNonce(k, nonce, pt, 0, len, adLen > 0 ? ad : null, out, 0));
            assertArrayEquals(expected, out);

            // in place, at an offset
            byte[] buf = new byte[7 + len + 16];
            System.arraycopy(pt, 0, buf, 7, len);
            c.sealNonce(k, nonce, buf, 7, len, adLen > 0 ? ad : null, buf, 7);
            assertArrayEquals(expected, Arrays.copyOfRange(buf, 7, 7 + len + 16));
            assertEquals(len, c.openNonce(k, nonce, buf, 7, len + 16, adLen > 0 ? ad : null, buf, 7));
            assertArrayEquals(pt, Arrays.copyOfRange(buf, 7, 7 + len));

            // any flipped bit fails, and nothing is written on failure
            if (len > 0) {
                byte[] bad = expected.clone();
                bad[r.nextInt(bad.length)] ^= (byte) (1 << r.nextInt(8));
                byte[] dst = new byte[len];
                assertEquals(-1, c.openNonce(k, nonce, bad, 0, bad.length, adLen > 0 ? ad : null, dst, 0));
                assertArrayEquals(new byte[len], dst);
            }
        }
    }

    @Property(tries = 50)
    void poly1305IncrementalEqualsOneShot(@ForAll @Size(max = 300) byte[] msg, @ForAll long seed,
                                          @ForAll @IntRange(min = 1, max = 40) int chunk) {
        byte[] key = new byte[32];
        new Random(seed).nextBytes(key);
        Poly1305 a = new Poly1305();
        a.init(key, 0);
        a.update(msg, 0, msg.length);
        byte[] t1 = new byte[16];
        a.finish(t1, 0);
        Poly1305 b = new Poly1305();
        b.init(key, 0);
        for (int off = 0; off < msg.length; off += chunk) {
            b.update(msg, off, Math.min(chunk, msg.length - off));
        }
        byte[] t2 = new byte[16];
        b.finish(t2, 0);
        assertArrayEquals(t1, t2);
    }

    @org.junit.jupiter.api.Test
    void poly1305Rfc8439Vector() {
        // RFC 8439 §2.5.2
        byte[] key = java.util.HexFormat.of().parseHex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
        byte[] msg = "Cryptographic Forum Research Group".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Poly1305 p = new Poly1305();
        p.init(key, 0);
        p.update(msg, 0, msg.length);
        byte[] tag = new byte[16];
        p.finish(tag, 0);
        assertArrayEquals(java.util.HexFormat.of().parseHex("a8061dc1305136c6c22b8baf0c0127a9"), tag);
    }
}
