package io.wirefx.daemon.ipc;

import io.wirefx.ipc.ConfigError;
import io.wirefx.ipc.ErrorCode;

import java.util.Objects;

/** A {@link TunnelService} operation refused, with the protocol error code and a message safe to show any caller. */
public final class TunnelServiceException extends Exception {
    private final ErrorCode code;
    private final transient ConfigError configError;

    public TunnelServiceException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public TunnelServiceException(ErrorCode code, String message, ConfigError configError) {
        super(message == null ? code.defaultMessage() : message);
        this.code = Objects.requireNonNull(code, "code");
        this.configError = configError;
    }

    public ErrorCode code() {
        return code;
    }

    /** For {@link ErrorCode#INVALID_CONFIG}: where the text is wrong; else null. */
    public ConfigError configError() {
        return configError;
    }
}
