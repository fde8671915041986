package io.wirefx.core.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A single value rejected by a value parser ({@link InetEndpoint#parse}, an address or prefix, ...) or a builder.
 * The config parser turns it into a {@link BadConfigException} with the line and key. Like that class, it carries
 * a {@link BadConfigException.Reason} rather than a sentence, and never a secret value; the cause, when there is
 * one, says in words what is wrong with the value.
 */
public final class InvalidValueException extends IllegalArgumentException {
    private final BadConfigException.Reason reason;
    private final String value;

    /** @param value the rejected text, or null; never pass secret material */
    public InvalidValueException(BadConfigException.Reason reason, String value) {
        this(reason, value, null);
    }

    /**
     * @param value the rejected text, or null; never pass secret material
     * @param cause the parser's own exception naming what is wrong, or null
     */
    public InvalidValueException(BadConfigException.Reason reason, String value, Throwable cause) {
        super(cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.value = value;
    }

    public BadConfigException.Reason reason() {
        return reason;
    }

    public Optional<String> value() {
        return Optional.ofNullable(value);
    }

    @Override
    public String getMessage() {
        return value == null ? reason.name() : reason.name() + " (\"" + value + "\")";
    }
}
