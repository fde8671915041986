package io.wirefx.core.noise;

import io.wirefx.core.crypto.AeadKey;
import io.wirefx.core.crypto.Blake2s;
import io.wirefx.core.crypto.ChaChaPoly;
import io.wirefx.core.crypto.X25519;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The full deterministic handshake of reference §9.7, byte for byte, in both roles, with and without PSK. */
class HandshakeVectorTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] clamped(int first) {
        byte[] k = new byte[32];
        for (int i = 0; i < 32; i++) {
            k[i] = (byte) (first + i);
        }
        X25519.clamp(k);
        return k;
    }

    private static byte[] hex(String s) {
        return HEX.parseHex(s.replaceAll("\\s+", ""));
    }

    static final byte[] SI = clamped(0x00), SR = clamped(0x20), EI = clamped(0x40), ER = clamped(0x60);
    static final byte[] SI_PUB = X25519.publicKey(SI), SR_PUB = X25519.publicKey(SR);
    static final byte[] TS = hex("400000006b0729e113000000");
    static final int I_INDEX = 0x11223344, R_INDEX = 0x55667788;

    static final byte[] INITIATION = hex("""
            010000004433221179a631eede1bf9c98f12032cdeadd0e7a079398fc786b88cc846ec89af85a51af0225eb421886af8f54fb31289d49dcd82b0f6f3279d40d7
            cff913fece0c64ad226eef3320755b393b72f16842c8d7ee78a74e93706bf2699cf4ecc111ae85e2c5c2aed5e675f41650d4e268ece9fa50b3526909967eddaa
            d8dd7f1c00000000000000000000000000000000""");
    static final byte[] RESPONSE = hex("""
            020000008877665544332211675dd574ed7789310b3d2e7681f3790b466c773b1521fecf36577958371ea52f40adafe5b428d380f513fc058e8f2783d3a1f12d
            88e4333dde5fe521043e1f4b00000000000000000000000000000000""");
    static final byte[] RESPONSE_PSK = hex("""
            020000008877665544332211675dd574ed7789310b3d2e7681f3790b466c773b1521fecf36577958371ea52fe28940354b82c618ce1bf06a8073545431b943d8
            77e1d5f13e5e3df16776be2a00000000000000000000000000000000""");

    private static byte[] dh(byte[] priv, byte[] pub) {
        byte[] out = new byte[32];
        assertTrue(X25519.dh(priv, pub, out));
        return out;
    }

    private static byte[] initiation(Noise.InitiatorState state) {
        byte[] msg = Noise.createInitiation(SI, SI_PUB, SR_PUB, dh(SI, SR_PUB), EI, I_INDEX, TS, state);
        assertNotNull(msg);
        Macs.writeMac1(msg, 0, msg.length, Macs.labelKey(Noise.LABEL_MAC1, SR_PUB));
        return msg;
    }

    @Test
    void publicKeysAndLabelKeysMatchTheVector() {
        assertArrayEquals(hex("8f40c5adb68f25624ae5b214ea767a6ec94d829d3d7b5e1ad1ba6f3e2138285f"), SI_PUB);
        assertArrayEquals(hex("358072d6365880d1aeea329adf9121383851ed21a28e3b75e965d0d2cd166254"), SR_PUB);
        assertArrayEquals(hex("027b1cb8c420c32c942bea8ddb43ca7d20779ec4bd55578bfa5c3d7936c91d2f"),
                Macs.labelKey(Noise.LABEL_MAC1, SR_PUB));
        assertArrayEquals(hex("e0153755cb4ee60ed472fa40fa20e1220446cc458fce98536ef506f2786eefc2"),
                Macs.labelKey(Noise.LABEL_COOKIE, SR_PUB));
        assertArrayEquals(hex("c017c50fad770642d47d601a25189f8194b3f8c0e0c71d608a2df62eb445baeb"),
                Blake2s.hash(Noise.H_INIT, SR_PUB));
    }

    @Test
    void initiatorBuildsTheExactInitiation() {
        Noise.InitiatorState state = new Noise.InitiatorState();
        assertArrayEquals(INITIATION, initiation(state));
        assertArrayEquals(hex("8a7a86186e3ae4552fea5efa8f48516e4772f690ad651f8730059b449432846c"), state.hash);
        assertArrayEquals(hex("5b3722a25c7c69706cfbbef606c70681a400fd1b6dab82533b1266606d6ede42"), state.chainKey);
    }

    @Test
    void responderConsumesItAndBuildsTheExactResponse() {
        assertTrue(new CookieChecker(SR_PUB).checkMac1(INITIATION, 0, INITIATION.length));
        Noise.ConsumedInitiation ci = Noise.consumeInitiationStatic(SR, SR_PUB, INITIATION, 0);
        assertNotNull(ci);
        assertArrayEquals(SI_PUB, ci.remoteStatic());
        assertEquals(I_INDEX, ci.remoteIndex());
        assertTrue(Noise.consumeInitiationTimestamp(ci, dh(SR, SI_PUB), INITIATION, 0));
        assertArrayEquals(TS, ci.timestamp());

        Noise.SessionKeys[] keys = new Noise.SessionKeys[1];
        byte[] resp = Noise.createResponse(ci, null, ER, R_INDEX, keys);
        Macs.writeMac1(resp, 0, resp.length, Macs.labelKey(Noise.LABEL_MAC1, SI_PUB));
        assertArrayEquals(RESPONSE, resp);
        // The responder receives with the initiator's send key.
        assertArrayEquals(hex("8c467a49ee5feffc8b390fba6ff460b5d66abf66f5e4bf9e0a5612b256498238"), keys[0].receiveKey());
        assertArrayEquals(hex("eb356022624730ae787d7fccc635655d1b1b1fb7d81f299043b0ce85e3a3a4b4"), keys[0].sendKey());
    }

    @Test
    void initiatorConsumesTheResponseAndTransportMatches() {
        Noise.InitiatorState state = new Noise.InitiatorState();
        initiation(state);
        assertTrue(new CookieChecker(SI_PUB).checkMac1(RESPONSE, 0, RESPONSE.length));
        Noise.SessionKeys keys = Noise.consumeResponse(state, SI, null, RESPONSE, 0);
        assertNotNull(keys);
        assertArrayEquals(hex("8c467a49ee5feffc8b390fba6ff460b5d66abf66f5e4bf9e0a5612b256498238"), keys.sendKey());
        assertArrayEquals(hex("eb356022624730ae787d7fccc635655d1b1b1fb7d81f299043b0ce85e3a3a4b4"), keys.receiveKey());
        assertEquals(R_INDEX, Noise.responseSender(RESPONSE, 0));

        // keepalive i->r, counter 0
        byte[] keepalive = new byte[32];
        keepalive[0] = 4;
        Noise.putLe32(keepalive, 4, R_INDEX);
        ChaChaPoly.forCurrentThread().seal(new AeadKey(keys.sendKey()), 0, keepalive, 16, 0, null, keepalive, 16);
        assertArrayEquals(hex("04000000887766550000000000000000291241ac6c6d0b472543a7c56d5dbcd0"), keepalive);

        // data r->i, counter 0, payload 00..0f: open it with the initiator's receive key
        byte[] data = hex("04000000443322110000000000000000e22f5c5ffaf1e0d2ac57ef0ffec8c36d8068c594144876a74597032249b2f22a");
        int n = ChaChaPoly.forCurrentThread().open(new AeadKey(keys.receiveKey()), 0, data, 16, 32, null, data, 16);
        assertEquals(16, n);
        byte[] expect = new byte[16];
        for (int i = 0; i < 16; i++) {
            expect[i] = (byte) i;
        }
        assertArrayEquals(expect, Arrays.copyOfRange(data, 16, 32));
    }

    @Test
    void withPresharedKeyTheInitiationIsIdenticalAndTheResponseDiffers() {
        byte[] psk = new byte[32];
        Arrays.fill(psk, (byte) 0xaa);
        Noise.InitiatorState state = new Noise.InitiatorState();
        assertArrayEquals(INITIATION, initiation(state));

        Noise.ConsumedInitiation ci = Noise.consumeInitiationStatic(SR, SR_PUB, INITIATION, 0);
        assertTrue(Noise.consumeInitiationTimestamp(ci, dh(SR, SI_PUB), INITIATION, 0));
        Noise.SessionKeys[] rkeys = new Noise.SessionKeys[1];
        byte[] resp = Noise.createResponse(ci, psk, ER, R_INDEX, rkeys);
        Macs.writeMac1(resp, 0, resp.length, Macs.labelKey(Noise.LABEL_MAC1, SI_PUB));
        assertArrayEquals(RESPONSE_PSK, resp);

        Noise.SessionKeys keys = Noise.consumeResponse(state, SI, psk, RESPONSE_PSK, 0);
        assertNotNull(keys);
        assertArrayEquals(hex("ba4ac9225de9daf785d403e8fc80ccde386eb00a169dc1476970fee33df045b1"), keys.sendKey());
        assertArrayEquals(hex("09f7c99ae2d21a2657be4ccc30deb6575f70e5dc8fc0442892309c68abc85c79"), keys.receiveKey());
    }

    @Test
    void wrongPresharedKeyFailsTheResponse() {
        Noise.InitiatorState state = new Noise.InitiatorState();
        initiation(state);
        byte[] psk = new byte[32];
        Arrays.fill(psk, (byte) 0xaa);
        assertNull(Noise.consumeResponse(state, SI, psk, RESPONSE, 0));
    }

    @Test
    void cookieReplyAndMac2MatchTheVector() throws Exception {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 0x5a);
        InetSocketAddress source = new InetSocketAddress(InetAddress.getByAddress(new byte[]{127, 0, 0, 1}), 40002);
        CookieChecker checker = new CookieChecker(SR_PUB);
        checker.setSecret(secret, 0);
        assertArrayEquals(hex("008ffc164cd9fde432e3ada839a72618"), checker.cookieFor(source));

        byte[] nonce = new byte[24];
        for (int i = 0; i < 24; i++) {
            nonce[i] = (byte) (0xc0 + i);
        }
        byte[] reply = checker.createReply(INITIATION, 0, INITIATION.length, source, nonce);
        assertArrayEquals(hex("""
                0300000044332211c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7f4d08beb60161762aed61c05060f750c907d9fd0c6ea72fcfaa052bdb2715771"""),
                reply);

        // The initiator opens it with the mac1 it sent last, then the next initiation carries mac2.
        CookieGenerator gen = new CookieGenerator(SR_PUB);
        byte[] init = INITIATION.clone();
        gen.addMacs(init, 0, init.length, 0);
        assertArrayEquals(INITIATION, init);
        assertTrue(gen.consumeReply(reply, 0, 0));
        gen.addMacs(init, 0, init.length, 1);
        assertArrayEquals(hex("c5e28bafbead884125717e1ca4444f60"), Arrays.copyOfRange(init, 132, 148));
        assertTrue(checker.checkMac2(init, 0, init.length, source, 1));
        // a different source port gets a different cookie
        assertFalse(checker.checkMac2(init, 0, init.length, new InetSocketAddress(source.getAddress(), 40003), 1));
        // after the secret's lifetime, mac2 no longer counts
        assertFalse(checker.checkMac2(init, 0, init.length, source, CookieChecker.SECRET_LIFETIME_NANOS));
        // and the cookie itself expires on the initiator after 120 s
        assertFalse(gen.hasValidCookie(CookieGenerator.COOKIE_LIFETIME_NANOS));
    }

    @Test
    void aTamperedInitiationIsRejected() {
        for (int pos : new int[]{8, 40, 70, 100}) {
            byte[] bad = INITIATION.clone();
            bad[pos] ^= 1;
            Noise.ConsumedInitiation ci = Noise.consumeInitiationStatic(SR, SR_PUB, bad, 0);
            boolean ok = ci != null && Noise.consumeInitiationTimestamp(ci, dh(SR, SI_PUB), bad, 0);
            assertFalse(ok, "flip at " + pos);
        }
    }
}
