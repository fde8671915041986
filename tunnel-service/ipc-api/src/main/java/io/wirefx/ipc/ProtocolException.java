package io.wirefx.ipc;

import java.util.Objects;

/**
 * A frame that is not an acceptable message: bad JSON, an unknown {@code type}, a missing field. Carries the error
 * code to answer with and the request id if one could be read (else 0). The message never quotes the input.
 */
public final class ProtocolException extends Exception {
    private final ErrorCode code;
    private final long requestId;

    public ProtocolException(ErrorCode code, long requestId, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.requestId = requestId;
    }

    public ErrorCode code() {
        return code;
    }

    /** The id of the offending request, 0 if unknown. */
    public long requestId() {
        return requestId;
    }
}
