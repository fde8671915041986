package io.wirefx.ipc;

import java.util.Objects;

/** The service answered a request (or the connection attempt) with an error. */
public final class IpcException extends Exception {
    private final ErrorCode code;
    private final transient ConfigError configError;

    public IpcException(ErrorCode code, String message, ConfigError configError) {
        super(message == null ? code.defaultMessage() : message);
        this.code = Objects.requireNonNull(code, "code");
        this.configError = configError;
    }

    /** From a failure response. */
    public static IpcException of(Response.Failure failure) {
        return new IpcException(failure.code(), failure.message(), failure.configError());
    }

    public ErrorCode code() {
        return code;
    }

    /** Where a configuration is wrong, for {@link ErrorCode#INVALID_CONFIG}; else null. */
    public ConfigError configError() {
        return configError;
    }
}
