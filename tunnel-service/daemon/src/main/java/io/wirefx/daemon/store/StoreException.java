package io.wirefx.daemon.store;

import io.wirefx.core.config.BadConfigException;

import java.util.Objects;
import java.util.Optional;

/** A store operation refused: the reason, a message safe to show, and for INVALID_CONFIG where the text is wrong. */
public final class StoreException extends Exception {
    /** Why. */
    public enum Reason {
        NOT_FOUND,
        ALREADY_EXISTS,
        INVALID_NAME,
        INVALID_CONFIG,
        TOO_LARGE,
        INVALID_ARCHIVE,
        /** A tunnel's settings file cannot be read as settings (the message names the file). */
        INVALID_SETTINGS
    }

    private final Reason reason;
    private final BadConfigException configError;

    public StoreException(Reason reason, String message) {
        this(reason, message, null);
    }

    public StoreException(Reason reason, String message, BadConfigException configError) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.configError = configError;
    }

    public Reason reason() {
        return reason;
    }

    /** The parse error, for INVALID_CONFIG. */
    public Optional<BadConfigException> configError() {
        return Optional.ofNullable(configError);
    }
}
