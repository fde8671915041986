package io.wirefx.core.crypto;

import java.util.Arrays;

/**
 * XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03), used by WireGuard cookie replies:
 * {@code subkey = HChaCha20(key, n24[0..16))}, then RFC 8439 AEAD with nonce {@code 00000000 || n24[16..24)}.
 */
public final class XChaChaPoly {
    public static final int NONCE_LENGTH = 24;

    private XChaChaPoly() {
    }

    /** Returns {@code ct || tag(16)}. */
    public static byte[] seal(byte[] key32, byte[] nonce24, byte[] pt, byte[] ad) {
        check(key32, nonce24);
        byte[] sub = new byte[32];
        byte[] nonce12 = subNonce(nonce24);
        try {
            HChaCha20.hchacha20(key32, nonce24, 0, sub);
            return ChaChaPoly.sealOnceNonce(sub, nonce12, pt, ad);
        } finally {
            Arrays.fill(sub, (byte) 0);
        }
    }

    /** Returns the plaintext, or null if {@code ct} is too short or fails authentication. Never throws for that. */
    public static byte[] open(byte[] key32, byte[] nonce24, byte[] ct, byte[] ad) {
        check(key32, nonce24);
        if (ct == null || ct.length < ChaChaPoly.TAG_LENGTH) {
            return null;
        }
        byte[] sub = new byte[32];
        byte[] nonce12 = subNonce(nonce24);
        try {
            HChaCha20.hchacha20(key32, nonce24, 0, sub);
            return ChaChaPoly.openOnceNonce(sub, nonce12, ct, ad);
        } finally {
            Arrays.fill(sub, (byte) 0);
        }
    }

    private static byte[] subNonce(byte[] nonce24) {
        byte[] n = new byte[ChaChaPoly.NONCE_LENGTH];
        System.arraycopy(nonce24, 16, n, 4, 8);
        return n;
    }

    private static void check(byte[] key32, byte[] nonce24) {
        if (key32 == null || key32.length != 32 || nonce24 == null || nonce24.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("XChaCha20-Poly1305 needs a 32-byte key and a 24-byte nonce");
        }
    }
}
