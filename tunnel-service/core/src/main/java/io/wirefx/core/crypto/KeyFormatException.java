package io.wirefx.core.crypto;

/** A key in the wrong form. The message names only the form expected, never the text given (it may be a secret). */
public final class KeyFormatException extends IllegalArgumentException {
    public enum Reason { LENGTH, BASE64, HEX }

    private final Reason reason;

    public KeyFormatException(Reason reason) {
        super(switch (reason) {
            case LENGTH -> "key must be 32 bytes";
            case BASE64 -> "key must be 44 characters of Base64";
            case HEX -> "key must be 64 hex characters";
        });
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
