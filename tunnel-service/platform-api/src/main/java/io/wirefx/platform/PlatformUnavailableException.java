package io.wirefx.platform;

/** No platform module can run on this machine; the message says why for each one found. */
public final class PlatformUnavailableException extends Exception {
    public PlatformUnavailableException(String message) {
        super(message);
    }
}
