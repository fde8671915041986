package io.wirefx.platform.windows;

import java.io.IOException;

/**
 * Encryption of tunnel configs at rest. {@link DpapiProtector} uses DPAPI ({@code CryptProtectData}) in the service's
 * LocalSystem scope; tests use a reversible fake.
 */
public interface ConfigProtector {

    /** Encrypts {@code plain}, binding {@code description} (the tunnel name) to the ciphertext. */
    byte[] protect(byte[] plain, String description) throws IOException;

    /** Decrypts; returns the plaintext and the description bound at encryption. */
    Unprotected unprotect(byte[] cipher) throws IOException;

    /** A decrypted config with the description it was encrypted with. */
    record Unprotected(byte[] plain, String description) {
    }
}
