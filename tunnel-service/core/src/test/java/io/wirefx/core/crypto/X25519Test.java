package io.wirefx.core.crypto;

import static io.wirefx.core.crypto.Hex.h;
import static io.wirefx.core.crypto.Hex.s;
import static io.wirefx.core.crypto.Hex.seq;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reference §9.4 (RFC 7748), low-order points, clamping, §9.7 static keys. */
class X25519Test {
    static final String ALICE_PRIV = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    static final String ALICE_PUB = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    static final String BOB_PRIV = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
    static final String BOB_PUB = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    static final String SHARED = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

    @Test
    void rfc7748SingleScalarMult() {
        byte[] out = new byte[32];
        assertTrue(X25519.dh(h("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                h("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"), out));
        assertEquals("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552", s(out));
    }

    @Test
    void rfc7748AliceBob() {
        assertEquals(ALICE_PUB, s(X25519.publicKey(h(ALICE_PRIV))));
        assertEquals(BOB_PUB, s(X25519.publicKey(h(BOB_PRIV))));
        byte[] ab = new byte[32];
        byte[] ba = new byte[32];
        assertTrue(X25519.dh(h(ALICE_PRIV), h(BOB_PUB), ab));
        assertTrue(X25519.dh(h(BOB_PRIV), h(ALICE_PUB), ba));
        assertEquals(SHARED, s(ab));
        assertEquals(SHARED, s(ba));
    }

    @Test
    void lowOrderPointsAreRejectedWithZeroedOutput() {
        // u = 0, u = 1 and the order-8 points listed in the Curve25519 literature, plus p and p+1 (non-canonical 0/1).
        String[] lowOrder = {
                "0000000000000000000000000000000000000000000000000000000000000000",
                "0100000000000000000000000000000000000000000000000000000000000000",
                "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
                "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
                "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        };
        for (String p : lowOrder) {
            byte[] out = new byte[32];
            Arrays.fill(out, (byte) 0x55);
            assertFalse(X25519.dh(h(ALICE_PRIV), h(p), out), p);
            assertArrayEquals(new byte[32], out, p);
        }
    }

    @Test
    void dhNeverThrowsOnArbitraryPublicKeys() {
        Random r = new Random(7);
        byte[] priv = X25519.generatePrivateKey(r);
        byte[] pub = new byte[32];
        byte[] out = new byte[32];
        for (int i = 0; i < 200; i++) {
            r.nextBytes(pub);
            boolean ok = X25519.dh(priv, pub, out);
            assertEquals(!ConstantTime.isZero(out), ok);
        }
        Arrays.fill(pub, (byte) 0xff);
        X25519.dh(priv, pub, out); // must not throw
    }

    @Test
    void clampSetsAndClearsTheRightBits() {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 0xff);
        X25519.clamp(k);
        assertEquals((byte) 0xf8, k[0]);
        assertEquals((byte) 0x7f, k[31]);
        byte[] z = new byte[32];
        X25519.clamp(z);
        assertEquals(0, z[0]);
        assertEquals((byte) 0x40, z[31]);
        for (int i = 1; i < 31; i++) {
            assertEquals((byte) 0xff, k[i]);
            assertEquals(0, z[i]);
        }
    }

    @Test
    void generatedKeysAreClampedAndDeterministicForSeed() {
        byte[] a = X25519.generatePrivateKey(new Random(42));
        byte[] b = X25519.generatePrivateKey(new Random(42));
        assertArrayEquals(a, b);
        byte[] c = a.clone();
        X25519.clamp(c);
        assertArrayEquals(a, c);
    }

    @Test
    void dhAgreesForGeneratedPairs() {
        Random r = new Random(1);
        for (int i = 0; i < 20; i++) {
            KeyPair x = KeyPair.generate(r);
            KeyPair y = KeyPair.generate(r);
            byte[] s1 = new byte[32];
            byte[] s2 = new byte[32];
            assertTrue(X25519.dh(x.privateKey().bytes(), y.publicKey().bytes(), s1));
            assertTrue(X25519.dh(y.privateKey().bytes(), x.publicKey().bytes(), s2));
            assertArrayEquals(s1, s2);
        }
    }

    @Test
    void keyPairFromPrivateMatchesHandshakeVector() {
        KeyPair si = KeyPair.fromPrivate(Key.fromBytes(seq(0, 32)));
        assertEquals("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e5f", si.privateKey().toHex());
        assertEquals("8f40c5adb68f25624ae5b214ea767a6ec94d829d3d7b5e1ad1ba6f3e2138285f", si.publicKey().toHex());
        KeyPair sr = KeyPair.fromPrivate(Key.fromBytes(seq(0x20, 32)));
        assertEquals("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e7f", sr.privateKey().toHex());
        assertEquals("358072d6365880d1aeea329adf9121383851ed21a28e3b75e965d0d2cd166254", sr.publicKey().toHex());
        byte[] ss = new byte[32];
        assertTrue(X25519.dh(si.privateKey().bytes(), sr.publicKey().bytes(), ss));
        assertEquals("9663aa1da97e848a914a436d04163dfbb89178f107f1b5b77ed3854203382854", s(ss));
    }

    @Test
    void keyPairFromPrivateDoesNotModifyInput() {
        Key raw = Key.fromBytes(seq(0, 32));
        KeyPair.fromPrivate(raw);
        assertEquals("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", raw.toHex());
    }

    @Test
    void keyPairToStringHidesPrivateKey() {
        KeyPair kp = KeyPair.fromPrivate(Key.fromBytes(seq(0, 32)));
        String str = kp.toString();
        assertFalse(str.contains(kp.privateKey().toBase64()));
        assertFalse(str.contains(kp.privateKey().toHex()));
        assertTrue(str.contains(kp.publicKey().toBase64()));
    }
}
