package io.wirefx.ipc;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Why the service refused a request or a connection. Every {@link Response.Failure} carries one. */
public enum ErrorCode {
    /** The frame is not valid JSON or misses/garbles a field. */
    BAD_REQUEST("malformed request"),
    /** The {@code type} names no request this server knows. */
    UNKNOWN_REQUEST("unknown request type"),
    /** No protocol version both sides speak; the connection is closed. */
    UNSUPPORTED_VERSION("unsupported protocol version"),
    /** The first message was not a client hello; the connection is closed. */
    HELLO_REQUIRED("the first message must be a client hello"),
    /** The caller is neither root nor in the operator or admin group; the connection is closed. */
    ACCESS_DENIED("access denied: not a member of the WireFX operator or admin group"),
    /** The caller's role does not allow this request (operators cannot edit, import or export). */
    FORBIDDEN("not allowed for this role"),
    /** No tunnel of that name. */
    NOT_FOUND("no such tunnel"),
    /** A tunnel of that name exists already. */
    ALREADY_EXISTS("a tunnel of that name exists"),
    /** Not a valid interface name ({@code [a-zA-Z0-9_=+.-]{1,15}}, not "." or ".."). */
    INVALID_NAME("invalid tunnel name"),
    /** The configuration text does not parse; {@code configError} says where. */
    INVALID_CONFIG("invalid configuration"),
    /** The zip archive cannot be read. */
    INVALID_ARCHIVE("invalid archive"),
    /** Not possible in the tunnel's current state (e.g. deleting or renaming a running tunnel). */
    WRONG_STATE("not possible in the tunnel's current state"),
    /** An input or an answer exceeds a size limit (frame, configuration, archive). */
    TOO_LARGE("too large"),
    /** Too many connections; try again later. The connection is closed. */
    BUSY("too many connections"),
    /** The service could not do it (e.g. bringing the tunnel up failed); the message says why. */
    FAILED("operation failed"),
    /** An unexpected server-side error. */
    INTERNAL("internal error"),
    /** A code this client library does not know (sent by a newer server). */
    @JsonEnumDefaultValue
    UNKNOWN("unknown error");

    private final String defaultMessage;

    ErrorCode(String defaultMessage) {
        this.defaultMessage = defaultMessage;
    }

    /** A short English description, used when the server gives no better message. */
    public String defaultMessage() {
        return defaultMessage;
    }
}
