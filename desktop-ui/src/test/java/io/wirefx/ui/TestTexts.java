package io.wirefx.ui;

import io.wirefx.core.crypto.KeyPair;
import java.util.ResourceBundle;
import java.util.SplittableRandom;

/** Shared test data: deterministic keys and wg-quick texts. */
public final class TestTexts {
    public static final ResourceBundle BUNDLE = ResourceBundle.getBundle("io.wirefx.ui.messages",
            java.util.Locale.ROOT);

    private TestTexts() {
    }

    public static KeyPair keys(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        java.util.Random rng = new java.util.Random() {
            @Override
            public void nextBytes(byte[] bytes) {
                r.nextBytes(bytes);
            }
        };
        return KeyPair.generate(rng);
    }

    /** A valid configuration with one peer. */
    public static String conf(long seed) {
        KeyPair me = keys(seed);
        KeyPair peer = keys(seed + 1000);
        return """
                [Interface]
                PrivateKey = %s
                Address = 10.8.0.2/24, fd00::2/64
                DNS = 10.8.0.1
                ListenPort = 51820
                MTU = 1420

                [Peer]
                PublicKey = %s
                AllowedIPs = 0.0.0.0/0, ::/0
                Endpoint = 192.0.2.1:51820
                PersistentKeepalive = 25
                """.formatted(me.privateKey().toBase64(), peer.publicKey().toBase64());
    }
}
