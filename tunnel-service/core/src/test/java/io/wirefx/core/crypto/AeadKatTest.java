package io.wirefx.core.crypto;

import static io.wirefx.core.crypto.Hex.ascii;
import static io.wirefx.core.crypto.Hex.h;
import static io.wirefx.core.crypto.Hex.s;
import static io.wirefx.core.crypto.Hex.seq;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Reference §9.5 (RFC 8439 §2.8.2) and §9.6 (HChaCha20, XChaCha20-Poly1305). */
class AeadKatTest {
    static final byte[] PT = ascii("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for "
            + "the future, sunscreen would be it.");
    static final byte[] KEY = h("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    static final byte[] AAD = h("50515253c0c1c2c3c4c5c6c7");
    static final String RFC_CT = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
            + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116";
    static final String RFC_TAG = "1ae10b594f09e26a7e902ecbd0600691";
    static final String X_CT = "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452"
            + "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e";
    static final String X_TAG = "c0875924c1c7987947deafd8780acf49";

    @Test
    void rfc8439SealAndOpen() {
        byte[] nonce = h("070000004041424344454647");
        ChaChaPoly c = ChaChaPoly.forCurrentThread();
        try (AeadKey k = new AeadKey(KEY)) {
            byte[] out = new byte[PT.length + 16];
            assertEquals(PT.length + 16, c.sealNonce(k, nonce, PT, 0, PT.length, AAD, out, 0));
            assertEquals(RFC_CT + RFC_TAG, s(out));
            byte[] back = new byte[PT.length];
            assertEquals(PT.length, c.openNonce(k, nonce, out, 0, out.length, AAD, back, 0));
            assertArrayEquals(PT, back);
            // tamper with each region: ciphertext, tag, AAD
            byte[] bad = out.clone();
            bad[3] ^= 1;
            assertEquals(-1, c.openNonce(k, nonce, bad, 0, bad.length, AAD, back, 0));
            bad = out.clone();
            bad[bad.length - 1] ^= (byte) 0x80;
            assertEquals(-1, c.openNonce(k, nonce, bad, 0, bad.length, AAD, back, 0));
            byte[] badAad = AAD.clone();
            badAad[0] ^= 1;
            assertEquals(-1, c.openNonce(k, nonce, out, 0, out.length, badAad, back, 0));
            assertEquals(-1, c.openNonce(k, nonce, out, 0, out.length, null, back, 0));
        }
    }

    @Test
    void wireGuardNonceMatchesRfcNonceWhenPrefixIsZero() {
        // counter 0x4746454443424140 gives nonce 00000000 40414243 44454647; check against sealNonce.
        long counter = 0x4746454443424140L;
        byte[] nonce = h("000000004041424344454647");
        byte[] n2 = new byte[12];
        ChaChaPoly.wireGuardNonce(counter, n2);
        assertArrayEquals(nonce, n2);
        byte[] viaCounter = ChaChaPoly.sealOnce(KEY, counter, PT, AAD);
        byte[] viaNonce = ChaChaPoly.sealOnceNonce(KEY, nonce, PT, AAD);
        assertArrayEquals(viaNonce, viaCounter);
        assertArrayEquals(PT, ChaChaPoly.openOnce(KEY, counter, viaCounter, AAD));
        assertNull(ChaChaPoly.openOnce(KEY, counter + 1, viaCounter, AAD));
    }

    @Test
    void hchacha20() {
        byte[] out = new byte[32];
        HChaCha20.hchacha20(seq(0, 32), h("000000090000004a0000000031415927"), 0, out);
        assertEquals("82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc", s(out));
        // nonce at an offset
        byte[] padded = h("ffff000000090000004a0000000031415927");
        HChaCha20.hchacha20(seq(0, 32), padded, 2, out);
        assertEquals("82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc", s(out));
    }

    @Test
    void xchacha20Poly1305SealAndOpen() {
        byte[] n24 = h("404142434445464748494a4b4c4d4e4f5051525354555657");
        byte[] ct = XChaChaPoly.seal(KEY, n24, PT, AAD);
        assertEquals(X_CT + X_TAG, s(ct));
        assertArrayEquals(PT, XChaChaPoly.open(KEY, n24, ct, AAD));
        for (int i : new int[] {0, 50, ct.length - 16, ct.length - 1}) {
            byte[] bad = ct.clone();
            bad[i] ^= 4;
            assertNull(XChaChaPoly.open(KEY, n24, bad, AAD), "flipped byte " + i);
        }
        byte[] badNonce = n24.clone();
        badNonce[20] ^= 1;
        assertNull(XChaChaPoly.open(KEY, badNonce, ct, AAD));
        badNonce = n24.clone();
        badNonce[3] ^= 1;
        assertNull(XChaChaPoly.open(KEY, badNonce, ct, AAD));
        assertNull(XChaChaPoly.open(KEY, n24, ct, new byte[0]));
        assertNull(XChaChaPoly.open(KEY, n24, new byte[15], AAD));
        assertNull(XChaChaPoly.open(KEY, n24, new byte[0], AAD));
    }
}
