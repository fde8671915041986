package io.wirefx.core.device;

/**
 * The outcome of {@link Device#openTransport}, the parallel half of receiving a transport message: either the
 * session it authenticated on and the plaintext length (hand it to {@link Device#completeTransport} in arrival
 * order), or the reason it was dropped (already counted).
 */
public sealed interface Opening {

    /** Authenticated and decrypted in place on {@code session}; not yet checked for replay. */
    record Opened(Keypair session, int plainLength) implements Opening {
    }

    /** Dropped and counted; nothing else to do. */
    record Dropped(DropReason reason) implements Opening {
    }
}
