package io.wirefx.core.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.IvParameterSpec;

/**
 * ChaCha20-Poly1305 (RFC 8439) through JCE, with WireGuard's nonce {@code 00000000 || LE64(counter)}.
 *
 * <p><b>Threading:</b> an instance wraps two JCE {@link Cipher}s and is <em>not</em> thread-safe. Obtain one with
 * {@link #forCurrentThread()}, which returns a per-thread instance (backed by a {@link ThreadLocal}); never hand it to
 * another thread. {@link AeadKey}s may be shared.
 *
 * <p><b>Errors:</b> {@code open} returns -1 for a failed authentication or an input shorter than the tag and never
 * throws because of the ciphertext content. Bounds that do not fit the given arrays/buffers are caller bugs and throw
 * {@link IndexOutOfBoundsException} / {@link IllegalArgumentException}. On failure the output region may have been
 * partly written; its content is unspecified.
 *
 * <p>In-place operation is supported: for arrays pass the same array and offset; for buffers pass two distinct
 * {@link ByteBuffer} objects over the same memory (e.g. {@code buf.duplicate()}), since JCE rejects the identical
 * object.
 *
 * <p>SunJCE refuses to re-initialise an encrypting cipher with the key and nonce of its previous initialisation. This
 * class detects that case and re-initialises through a different nonce first, so sealing the same (key, counter) twice
 * works (WireGuard never does this on the wire, but the handshake and tests may).
 */
public final class ChaChaPoly {
    /** Length of the Poly1305 tag. */
    public static final int TAG_LENGTH = 16;
    public static final int NONCE_LENGTH = 12;
    private static final String TRANSFORMATION = "ChaCha20-Poly1305";

    private static final ThreadLocal<ChaChaPoly> PER_THREAD = ThreadLocal.withInitial(ChaChaPoly::new);

    private final Cipher enc;
    private final Cipher dec;
    private final byte[] nonce = new byte[NONCE_LENGTH];

    private ChaChaPoly() {
        try {
            enc = Cipher.getInstance(TRANSFORMATION);
            dec = Cipher.getInstance(TRANSFORMATION);
            stream = Cipher.getInstance("ChaCha20");
            // Cipher picks its provider on the first init. Doing that here keeps that branch out of the packet path:
            // compiled code that never saw it there would trap and fall back to the interpreter on each new thread.
            try (AeadKey bind = new AeadKey(new byte[32])) {
                stream.init(Cipher.DECRYPT_MODE, bind, new ChaCha20ParameterSpec(new byte[NONCE_LENGTH], 0));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + TRANSFORMATION, e);
        }
    }

    /** The calling thread's instance. Do not share it with other threads. */
    public static ChaChaPoly forCurrentThread() {
        return PER_THREAD.get();
    }

    /** Writes {@code 00000000 || LE64(counter)} into {@code nonce12}. */
    public static void wireGuardNonce(long counter, byte[] nonce12) {
        nonce12[0] = 0;
        nonce12[1] = 0;
        nonce12[2] = 0;
        nonce12[3] = 0;
        for (int i = 0; i < 8; i++) {
            nonce12[4 + i] = (byte) (counter >>> (8 * i));
        }
    }

    // ---------------------------------------------------------------- byte[] API

    /**
     * Encrypts {@code in[inOff..inOff+len)} with the nonce for {@code counter}, writing ciphertext and tag to
     * {@code out[outOff..)}. Returns {@code len + 16}.
     */
    public int seal(AeadKey key, long counter, byte[] in, int inOff, int len, byte[] ad, byte[] out, int outOff) {
        wireGuardNonce(counter, nonce);
        return sealNonce(key, nonce, in, inOff, len, ad, out, outOff);
    }

    /**
     * Decrypts {@code in[inOff..inOff+len)} (ciphertext and tag) to {@code out[outOff..)}. Returns the plaintext
     * length, or -1 when {@code len < 16} or authentication fails.
     */
    public int open(AeadKey key, long counter, byte[] in, int inOff, int len, byte[] ad, byte[] out, int outOff) {
        wireGuardNonce(counter, nonce);
        return openNonce(key, nonce, in, inOff, len, ad, out, outOff);
    }

    /** {@link #seal} with an explicit 12-byte RFC 8439 nonce. */
    public int sealNonce(AeadKey key, byte[] nonce12, byte[] in, int inOff, int len, byte[] ad, byte[] out,
            int outOff) {
        Objects.checkFromIndexSize(inOff, len, in.length);
        Objects.checkFromIndexSize(outOff, len + TAG_LENGTH, out.length);
        startStream(key, nonce12);
        try {
            stream.doFinal(in, inOff, len, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20 failed", e);
        }
        authenticate(ad, out, outOff, len, out, outOff + len);
        return len + TAG_LENGTH;
    }

    /** {@link #open} with an explicit 12-byte RFC 8439 nonce. */
    public int openNonce(AeadKey key, byte[] nonce12, byte[] in, int inOff, int len, byte[] ad, byte[] out,
            int outOff) {
        Objects.checkFromIndexSize(inOff, len, in.length);
        if (len < TAG_LENGTH) {
            return -1;
        }
        int ctLen = len - TAG_LENGTH;
        Objects.checkFromIndexSize(outOff, ctLen, out.length);
        startStream(key, nonce12);
        // Verify before decrypting, so nothing unauthenticated is ever written.
        authenticate(ad, in, inOff, ctLen, tag, 0);
        if (!ConstantTime.equals(tag, 0, in, inOff + ctLen, TAG_LENGTH)) {
            return -1;
        }
        try {
            stream.doFinal(in, inOff, ctLen, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20 failed", e);
        }
        return ctLen;
    }

    /**
     * RFC 8439 §2.8 on top of the JDK's ChaCha20 (an intrinsic on x86) and our Poly1305: block 0 of the key stream
     * gives the one-time Poly1305 key; the stream then continues at block 1 for the data.
     */
    private void startStream(AeadKey key, byte[] nonce12) {
        if (nonce12.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("nonce must be 12 bytes");
        }
        try {
            // Decrypt mode: a stream cipher is symmetric, and SunJCE's same-key-and-nonce guard applies to encryption.
            stream.init(Cipher.DECRYPT_MODE, key, new ChaCha20ParameterSpec(nonce12, 0));
            stream.update(ZEROS64, 0, 64, polyKey, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20 init failed", e);
        }
        poly.init(polyKey, 0);
        Arrays.fill(polyKey, (byte) 0);
    }

    private void authenticate(byte[] ad, byte[] ct, int ctOff, int ctLen, byte[] tagOut, int tagOff) {
        int adLen = 0;
        if (ad != null && ad.length > 0) {
            poly.update(ad, 0, ad.length);
            poly.padToBlock();
            adLen = ad.length;
        }
        poly.update(ct, ctOff, ctLen);
        poly.padToBlock();
        poly.lengths(adLen, ctLen);
        poly.finish(tagOut, tagOff);
    }

    private static final byte[] ZEROS64 = new byte[64];
    private final Cipher stream;
    private final Poly1305 poly = new Poly1305();
    private final byte[] polyKey = new byte[64];
    private final byte[] tag = new byte[TAG_LENGTH];

    // ---------------------------------------------------------------- ByteBuffer API

    /**
     * Encrypts all of {@code in}'s remaining bytes into {@code out} (heap or direct), advancing both positions.
     * Returns the bytes written ({@code in.remaining() + 16}). {@code out} must have room for that.
     */
    public int seal(AeadKey key, long counter, ByteBuffer in, ByteBuffer out, byte[] ad) {
        int len = in.remaining();
        if (out.remaining() < len + TAG_LENGTH) {
            throw new IllegalArgumentException("output buffer too small");
        }
        wireGuardNonce(counter, nonce);
        initEncrypt(key, nonce);
        try {
            if (ad != null) {
                enc.updateAAD(ad);
            }
            return enc.doFinal(in, out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
        }
    }

    /**
     * Decrypts all of {@code in}'s remaining bytes (ciphertext and tag) into {@code out}. On success both positions
     * advance and the plaintext length is returned. On failure (-1) the positions are left unchanged. {@code out} must
     * have room for {@code in.remaining() - 16} bytes.
     */
    public int open(AeadKey key, long counter, ByteBuffer in, ByteBuffer out, byte[] ad) {
        int len = in.remaining();
        if (len < TAG_LENGTH) {
            return -1;
        }
        if (out.remaining() < len - TAG_LENGTH) {
            throw new IllegalArgumentException("output buffer too small");
        }
        int inPos = in.position();
        int outPos = out.position();
        wireGuardNonce(counter, nonce);
        initDecrypt(key, nonce);
        try {
            if (ad != null) {
                dec.updateAAD(ad);
            }
            return dec.doFinal(in, out);
        } catch (AEADBadTagException e) {
            in.position(inPos);
            out.position(outPos);
            return -1;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 decryption failed", e);
        }
    }

    // ---------------------------------------------------------------- one-shot helpers

    /** Seals {@code pt} under a raw 32-byte key on the current thread's instance; returns {@code ct || tag}. */
    public static byte[] sealOnce(byte[] key, long counter, byte[] pt, byte[] ad) {
        try (AeadKey k = new AeadKey(key)) {
            byte[] out = new byte[pt.length + TAG_LENGTH];
            forCurrentThread().seal(k, counter, pt, 0, pt.length, ad, out, 0);
            return out;
        }
    }

    /** Opens {@code ct || tag} under a raw 32-byte key; returns the plaintext or null on any failure. */
    public static byte[] openOnce(byte[] key, long counter, byte[] ct, byte[] ad) {
        if (ct == null || ct.length < TAG_LENGTH) {
            return null;
        }
        try (AeadKey k = new AeadKey(key)) {
            byte[] out = new byte[ct.length - TAG_LENGTH];
            int n = forCurrentThread().open(k, counter, ct, 0, ct.length, ad, out, 0);
            return n < 0 ? null : out;
        }
    }

    /** Explicit-nonce one-shot seal (used by XChaCha20-Poly1305 and RFC 8439 vectors). */
    static byte[] sealOnceNonce(byte[] key, byte[] nonce12, byte[] pt, byte[] ad) {
        try (AeadKey k = new AeadKey(key)) {
            byte[] out = new byte[pt.length + TAG_LENGTH];
            forCurrentThread().sealNonce(k, nonce12, pt, 0, pt.length, ad, out, 0);
            return out;
        }
    }

    /** Explicit-nonce one-shot open; null on failure. */
    static byte[] openOnceNonce(byte[] key, byte[] nonce12, byte[] ct, byte[] ad) {
        if (ct == null || ct.length < TAG_LENGTH) {
            return null;
        }
        try (AeadKey k = new AeadKey(key)) {
            byte[] out = new byte[ct.length - TAG_LENGTH];
            int n = forCurrentThread().openNonce(k, nonce12, ct, 0, ct.length, ad, out, 0);
            return n < 0 ? null : out;
        }
    }

    // ---------------------------------------------------------------- internals

    private void initEncrypt(AeadKey key, byte[] nonce12) {
        if (nonce12.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("nonce must be 12 bytes");
        }
        try {
            try {
                enc.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce12));
            } catch (InvalidKeyException sameKeyAndNonce) {
                // SunJCE: same key and nonce as the previous encryption init. Move the cipher to another nonce first.
                byte[] other = Arrays.copyOf(nonce12, NONCE_LENGTH);
                other[0] ^= 1;
                enc.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(other));
                enc.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce12));
            }
        } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 init failed", e);
        }
    }

    private void initDecrypt(AeadKey key, byte[] nonce12) {
        if (nonce12.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("nonce must be 12 bytes");
        }
        try {
            dec.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(nonce12));
        } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 init failed", e);
        }
    }
}
