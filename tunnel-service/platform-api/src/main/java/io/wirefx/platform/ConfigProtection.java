package io.wirefx.platform;

import java.io.IOException;

/**
 * How the service's store protects tunnel configurations at rest, beyond the directory's permissions. Linux and
 * macOS use {@link #NONE} (the files are mode 0600 in a 0700 directory owned by root); Windows seals each file with
 * DPAPI. The store calls {@link #seal} before it writes a file and {@link #open} after it reads one.
 */
public interface ConfigProtection {

    /** No encryption: the bytes are stored as they are, in files named {@code NAME.conf}. */
    ConfigProtection NONE = new ConfigProtection() {
        @Override
        public String fileSuffix() {
            return ".conf";
        }

        @Override
        public byte[] seal(String tunnel, byte[] plain) {
            return plain;
        }

        @Override
        public byte[] open(String tunnel, byte[] sealed) {
            return sealed;
        }

        @Override
        public String toString() {
            return "none";
        }
    };

    /** The file name suffix of a stored configuration ({@code .conf}; {@code .conf.dpapi} when sealed by DPAPI). */
    String fileSuffix();

    /** The bytes to store for tunnel {@code tunnel}'s configuration {@code plain}. */
    byte[] seal(String tunnel, byte[] plain) throws IOException;

    /**
     * The configuration stored as {@code sealed} for tunnel {@code tunnel}.
     *
     * @throws IOException if it cannot be opened here (another machine's or account's key, damaged, or sealed for
     *                     another tunnel)
     */
    byte[] open(String tunnel, byte[] sealed) throws IOException;
}
