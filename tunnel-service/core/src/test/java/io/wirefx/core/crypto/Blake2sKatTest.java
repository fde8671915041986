package io.wirefx.core.crypto;

import static io.wirefx.core.crypto.Hex.ascii;
import static io.wirefx.core.crypto.Hex.s;
import static io.wirefx.core.crypto.Hex.seq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Reference §9.1 and §9.3. */
class Blake2sKatTest {
    @Test
    void wireGuardInitialChainKeyAndHash() {
        byte[] c = Blake2s.hash(ascii("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s"));
        assertEquals("60e26daef327efc02ec335e2a025d2d016eb4206f87277f52d38d1988b78cd36", s(c));
        byte[] h = Blake2s.hash(c, ascii("WireGuard v1 zx2c4 Jason@zx2c4.com"));
        assertEquals("2211b361081ac566691243db458ad5322d9c6c662293e8b70ee19c65ba079ef3", s(h));
    }

    @Test
    void emptyUnkeyed() {
        assertEquals("69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9", s(Blake2s.hash()));
        assertEquals("69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9",
                s(Blake2s.hash(new byte[0])));
    }

    @Test
    void abc() {
        assertEquals("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982", s(Blake2s.hash(ascii("abc"))));
        // split across parts gives the same result
        assertEquals("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982",
                s(Blake2s.hash(ascii("a"), ascii(""), ascii("bc"))));
    }

    @Test
    void keyed256EmptyMessage() {
        Blake2s b = new Blake2s(32, seq(0, 32));
        assertEquals("48a8997da407876b3d79c0d92325ad3b89cbb754d86ab71aee047ad345fd2c49", s(b.digest()));
    }

    @Test
    void keyed128EmptyMessageIsNotTruncated256() {
        assertEquals("9536f9b267655743dee97b8a670f9f53", s(Blake2s.mac(seq(0, 32), new byte[0], 0, 0)));
        byte[] out = new byte[20];
        Blake2s.mac(seq(0, 32), new byte[0], 0, 0, out, 4);
        assertEquals("000000009536f9b267655743dee97b8a670f9f53", s(out));
    }

    @Test
    void hmac() {
        assertEquals("f93215bb90d4af4c3061cd932fb169fb8bb8a91d0b4022baea1271e1323cd9a0",
                s(Kdf.hmac(ascii("key"), ascii("The quick brown fox jumps over the lazy dog"))));
    }

    @Test
    void digestResetsInstanceForReuse() {
        Blake2s b = new Blake2s(32, seq(0, 32));
        b.update(ascii("garbage"));
        b.reset();
        assertEquals("48a8997da407876b3d79c0d92325ad3b89cbb754d86ab71aee047ad345fd2c49", s(b.digest()));
        // after digest the instance is back in its keyed initial state
        assertEquals("48a8997da407876b3d79c0d92325ad3b89cbb754d86ab71aee047ad345fd2c49", s(b.digest()));
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> new Blake2s(0, null));
        assertThrows(IllegalArgumentException.class, () -> new Blake2s(33, null));
        assertThrows(IllegalArgumentException.class, () -> new Blake2s(32, new byte[33]));
    }
}
