package io.wirefx.core.message;

import java.util.Objects;

/**
 * Result of decoding untrusted bytes: {@link Ok} with the message, or {@link Rejected} with the reason. Decoders
 * never throw on any input.
 *
 * @param <T> the message type
 */
public sealed interface Decoded<T> permits Decoded.Ok, Decoded.Rejected {

    /** A well-formed message. Well-formed says nothing about authenticity: MACs and AEAD are checked later. */
    record Ok<T>(T message) implements Decoded<T> {
        public Ok {
            Objects.requireNonNull(message, "message");
        }
    }

    /** The bytes are not a message of the expected type. */
    record Rejected<T>(Rejection reason) implements Decoded<T> {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The message, or null when rejected. */
    default T messageOrNull() {
        return this instanceof Ok<T> ok ? ok.message() : null;
    }

    /** The reason, or null when decoding succeeded. */
    default Rejection rejectionOrNull() {
        return this instanceof Rejected<T> r ? r.reason() : null;
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    static <T> Decoded<T> ok(T message) {
        return new Ok<>(message);
    }

    /** A shared instance per reason, so a flood of junk allocates nothing here. */
    @SuppressWarnings("unchecked")
    static <T> Decoded<T> rejected(Rejection reason) {
        return (Decoded<T>) reason.shared;
    }
}
